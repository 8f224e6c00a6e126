// Pure builders: the MySQL/MariaDB side of the bidirectional sync as SQL (apply and teardown). See
// docs/bidirectional.md for how the triggers prevent echoes and resolve conflicts.
import {
    appColumns,
    BOOKKEEPING,
    ColumnDef,
    DELETING,
    Policy,
    TableDef,
    tombstoneTable,
} from "./model";

const { origin: O, version: V, base: B } = BOOKKEEPING;

export function q(identifier: string): string {
    return `\`${identifier.replace(/`/g, "``")}\``;
}

export function literal(value: string): string {
    return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

/** Trigger names must fit 64 characters; long table names are shortened with a stable hash. */
export function mysqlTriggerName(kind: string, table: string): string {
    const name = `_tandem_${kind}__${table}`;
    if (name.length <= 64) return name;
    const crypto: typeof import("crypto") = require("crypto");
    const hash = crypto.createHash("sha256").update(table).digest("hex").slice(0, 10);
    return `${name.slice(0, 53)}_${hash}`;
}

const NOW_MICROS = "CAST(UNIX_TIMESTAMP(NOW(6)) * 1000000 AS SIGNED)";

/** `SESSION_USER()` names the client; `CURRENT_USER()` inside a trigger would name its definer. */
function isSyncSession(syncUser: string): string {
    return `SUBSTRING_INDEX(SESSION_USER(), '@', 1) = ${literal(syncUser)}`;
}

/** SQL truth of "the incoming version wins over the current one", identical on both sides. */
export function incomingWinsCondition(policy: Policy, incoming: string, current: string): string {
    switch (policy.conflicts) {
        case "mysql-wins":
            return `${incoming}.${q(O)} = 'mysql'`;
        case "postgres-wins":
            return `${incoming}.${q(O)} = 'postgres'`;
        default:
            return `(${incoming}.${q(V)} > ${current}.${q(V)} OR (${incoming}.${q(V)} = ${current}.${q(V)} AND ${incoming}.${q(O)} = ${literal(policy.tieWinner)}))`;
    }
}

function isBinary(column: ColumnDef): boolean {
    return /(blob|binary)/i.test(column.type);
}

function jsonOf(row: string, columns: ColumnDef[]): string {
    const pairs = columns.map((column) => `${literal(column.name)}, ${isBinary(column) ? `HEX(${row}.${q(column.name)})` : `${row}.${q(column.name)}`}`);
    return `JSON_OBJECT(${pairs.join(", ")})`;
}

export interface MysqlSyncOptions {
    database: string;
    syncUser: string;
    policy: Policy;
    /** MariaDB has ADD/DROP COLUMN IF EXISTS; MySQL 8 does not (its errors are tolerated instead). */
    flavor: "mariadb" | "mysql";
    /** The conflict log of this sync. */
    conflictsTable: string;
}

/**
 * A statement prefix telling the SQL runner which MySQL error codes mean "already done" (1060: duplicate
 * column, 1091: no such column). It keeps the statement list the same whatever the catalog holds now.
 */
export function tolerate(codes: number[], statement: string): string {
    return `/* tandem:tolerate ${codes.join(",")} */ ${statement}`;
}

/** Idempotent statements that prepare one table: bookkeeping columns, tombstone table, triggers. */
export function mysqlTableSetup(table: TableDef, options: MysqlSyncOptions): string[] {
    const t = q(table.name);
    const statements: string[] = [];
    const add = (column: string, definition: string) =>
        statements.push(
            options.flavor === "mariadb"
                ? `ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS ${q(column)} ${definition}`
                : tolerate([1060], `ALTER TABLE ${t} ADD COLUMN ${q(column)} ${definition}`),
        );
    // Rows that exist before the sync starts count as written by the MySQL application (the side that
    // snapshots); their version 0 loses to any real write.
    add(O, "VARCHAR(10) NOT NULL DEFAULT 'mysql'");
    add(V, "BIGINT NOT NULL DEFAULT 0");
    add(B, "BIGINT NOT NULL DEFAULT 0");

    const columns = [...appColumns(table), ...bookkeepingDefs()];
    const pk = table.primaryKey;
    const tomb = q(tombstoneTable(table.name));
    statements.push(
        `CREATE TABLE IF NOT EXISTS ${tomb} (${columns
            .map((column) => `${q(column.name)} ${column.type}${pk.includes(column.name) ? " NOT NULL" : " NULL"}`)
            .join(", ")}, PRIMARY KEY (${pk.map(q).join(", ")})) DEFAULT CHARSET=utf8mb4`,
    );

    const sync = isSyncSession(options.syncUser);
    const neutralize = columns.map((column) => `NEW.${q(column.name)} = OLD.${q(column.name)}`).join(", ");
    const pkJson = `JSON_OBJECT(${pk.map((column) => `${literal(column)}, OLD.${q(column)}`).join(", ")})`;
    const names = {
        beforeInsert: mysqlTriggerName("bi", table.name),
        beforeUpdate: mysqlTriggerName("bu", table.name),
        tombInsert: mysqlTriggerName("ti", table.name),
        tombUpdate: mysqlTriggerName("tu", table.name),
    };
    for (const name of Object.values(names)) statements.push(`DROP TRIGGER IF EXISTS ${q(name)}`);

    statements.push(`CREATE TRIGGER ${q(names.beforeInsert)} BEFORE INSERT ON ${t} FOR EACH ROW
BEGIN
  IF NOT (${sync}) THEN
    SET NEW.${q(O)} = 'mysql', NEW.${q(B)} = 0, NEW.${q(V)} = ${NOW_MICROS};
  END IF;
END`);

    statements.push(`CREATE TRIGGER ${q(names.beforeUpdate)} BEFORE UPDATE ON ${t} FOR EACH ROW
BEGIN
  DECLARE incoming_wins BOOLEAN;
  IF NOT (${sync}) THEN
    SET NEW.${q(O)} = 'mysql', NEW.${q(B)} = OLD.${q(V)}, NEW.${q(V)} = GREATEST(${NOW_MICROS}, OLD.${q(V)} + 1);
  ELSEIF NEW.${q(O)} <> '${DELETING}' AND NEW.${q(B)} <> OLD.${q(V)} THEN
    SET incoming_wins = ${incomingWinsCondition(options.policy, "NEW", "OLD")};
    INSERT INTO ${q(options.conflictsTable)} (table_name, row_key, local_row, incoming_row, winner, policy)
      VALUES (${literal(table.name)}, ${pkJson}, ${jsonOf("OLD", columns)}, ${jsonOf("NEW", columns)},
              IF(incoming_wins, NEW.${q(O)}, OLD.${q(O)}), ${literal(options.policy.conflicts)});
    IF NOT incoming_wins THEN
      -- An update that changes nothing is not written to the binlog: the losing version leaves no trace.
      SET ${neutralize};
    END IF;
  END IF;
END`);

    // The other side's deletes arrive as rows of the tombstone table. The row is deleted only if it is still
    // the version that was deleted there (a concurrent update or a re-insert wins over the delete); it is
    // first marked 'deleting' so that the source can tell this delete from an application's.
    const match = pk.map((column) => `${q(column)} = NEW.${q(column)}`).join(" AND ");
    const applyDelete = `
  UPDATE ${t} SET ${q(O)} = '${DELETING}' WHERE ${match} AND ${q(V)} = NEW.${q(V)};
  DELETE FROM ${t} WHERE ${match} AND ${q(O)} = '${DELETING}';`;
    statements.push(`CREATE TRIGGER ${q(names.tombInsert)} AFTER INSERT ON ${tomb} FOR EACH ROW
BEGIN${applyDelete}
END`);
    statements.push(`CREATE TRIGGER ${q(names.tombUpdate)} AFTER UPDATE ON ${tomb} FOR EACH ROW
BEGIN${applyDelete}
END`);
    return statements;
}

function bookkeepingDefs(): ColumnDef[] {
    return [
        { name: O, type: "VARCHAR(10)", nullable: false },
        { name: V, type: "BIGINT", nullable: false },
        { name: B, type: "BIGINT", nullable: false },
    ];
}

/** Debezium's signaling table (incremental snapshots), as its documentation defines it. */
export function mysqlSignalTable(signalTable: string): string {
    return `CREATE TABLE IF NOT EXISTS ${q(signalTable)} (id VARCHAR(42) PRIMARY KEY, type VARCHAR(32) NOT NULL, data VARCHAR(2048) NULL) DEFAULT CHARSET=utf8mb4`;
}

/**
 * A signal asking the MySQL/MariaDB source for an incremental snapshot of `tables` (Debezium's watermark
 * based snapshot: chunked, resumable, interleaved with streaming). Its id is derived from the table set, so
 * the signal is sent once per set (INSERT IGNORE of an existing id changes nothing and is not logged).
 */
export function mysqlIncrementalSnapshotSignal(signalTable: string, database: string, tables: string[]): string {
    const crypto: typeof import("crypto") = require("crypto");
    const collections = tables.map((table) => `${database}.${table}`);
    const id = `initial-${crypto.createHash("sha256").update(collections.join(",")).digest("hex").slice(0, 32)}`;
    const data = JSON.stringify({ "data-collections": collections, type: "incremental" });
    return `INSERT IGNORE INTO ${q(signalTable)} (id, type, data) VALUES (${literal(id)}, 'execute-snapshot', ${literal(data)})`;
}

/** Statements shared by all tables: the conflict log. */
export function mysqlCommonSetup(conflictsTable: string): string[] {
    return [
        `CREATE TABLE IF NOT EXISTS ${q(conflictsTable)} (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  table_name VARCHAR(64) NOT NULL,
  row_key JSON NOT NULL,
  local_row JSON NOT NULL,
  incoming_row JSON NOT NULL,
  winner VARCHAR(10) NOT NULL,
  policy VARCHAR(20) NOT NULL,
  detected_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) DEFAULT CHARSET=utf8mb4`,
    ];
}

/** Teardown of what mysqlTableSetup added; application rows and columns untouched. */
export function mysqlTableTeardown(table: TableDef, flavor: "mariadb" | "mysql"): string[] {
    return [
        ...["bi", "bu", "ti", "tu"].map((kind) => `DROP TRIGGER IF EXISTS ${q(mysqlTriggerName(kind, table.name))}`),
        `DROP TABLE IF EXISTS ${q(tombstoneTable(table.name))}`,
        ...[O, V, B].map((column) =>
            flavor === "mariadb"
                ? `ALTER TABLE ${q(table.name)} DROP COLUMN IF EXISTS ${q(column)}`
                : tolerate([1091], `ALTER TABLE ${q(table.name)} DROP COLUMN ${q(column)}`),
        ),
    ];
}

export function mysqlCommonTeardown(conflictsTable: string, signalTable: string): string[] {
    return [`DROP TABLE IF EXISTS ${q(conflictsTable)}`, `DROP TABLE IF EXISTS ${q(signalTable)}`];
}

export interface MysqlUserOptions {
    database: string;
    cdcUser: string;
    syncUser: string;
    tables: string[];
    /** Debezium's signaling table; the reader writes snapshot watermarks into it. */
    signalTable: string;
    /** Host part of the accounts (MySQL's `'user'@'host'`). */
    host: string;
}

/** Least-privilege accounts: a binlog reader for Debezium, a writer for the JDBC sink. Passwords bound later. */
export function mysqlUserGrants(options: MysqlUserOptions): string[] {
    const account = (user: string) => `${literal(user)}@${literal(options.host)}`;
    const db = q(options.database);
    const writable = [...options.tables, ...options.tables.map(tombstoneTable)];
    return [
        // What Debezium's MySQL/MariaDB connectors need (global by nature: binlog and snapshot locks).
        `GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO ${account(options.cdcUser)}`,
        `GRANT INSERT, UPDATE, DELETE ON ${db}.${q(options.signalTable)} TO ${account(options.cdcUser)}`,
        ...writable.map((table) => `GRANT SELECT, INSERT, UPDATE, DELETE, ALTER ON ${db}.${q(table)} TO ${account(options.syncUser)}`),
    ];
}

/** Who runs the MySQL/MariaDB server: RDS (binlog retention through its stored procedure) or anyone else. */
export type MysqlHosting = "rds" | "self-managed";
export const RDS_MAX_BINLOG_RETENTION_HOURS = 168;

/**
 * Keep at least `hours` of binlog, so a connector stopped that long resumes without a new snapshot.
 * RDS purges binlogs at once unless `binlog retention hours` is set (its default is NULL). Elsewhere the
 * retention is raised, never lowered (0 means "never purge" and is kept); MySQL 8 persists it across
 * restarts, MariaDB needs it in its config file too (docs/environments.md).
 */
export function binlogRetentionSql(flavor: "mariadb" | "mysql", hosting: MysqlHosting, hours: number): string[] {
    if (!Number.isInteger(hours) || hours < 1) throw new Error(`binlog retention must be a whole number of hours, got ${hours}`);
    if (hosting === "rds") return [`CALL mysql.rds_set_configuration('binlog retention hours', ${hours})`];
    const seconds = hours * 3600;
    const current = "@@GLOBAL.binlog_expire_logs_seconds";
    return [`SET ${flavor === "mysql" ? "PERSIST" : "GLOBAL"} binlog_expire_logs_seconds = IF(${current} = 0 OR ${current} >= ${seconds}, ${current}, ${seconds})`];
}
