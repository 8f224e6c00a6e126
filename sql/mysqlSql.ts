// Pure builders: the MySQL/MariaDB side of the bidirectional sync as SQL (apply and teardown). See
// docs/bidirectional.md for how the triggers prevent echoes and resolve conflicts.
import { appColumns, BOOKKEEPING, ColumnDef, DELETING, Policy, TableDef } from "../core/model";
import { incomingWinsCondition } from "./conflictRule";
import { mysqlCollationIsExact } from "../core/columnTypes";
import { debeziumQuotedId, mysqlTriggerName, tombstoneTable } from "../core/names";
import { MysqlFlavor } from "../core/vocabulary";

export { mysqlTriggerName } from "../core/names";

const { origin: O, version: V, base: B } = BOOKKEEPING;

export function q(identifier: string): string {
    return `\`${identifier.replace(/`/g, "``")}\``;
}

export function literal(value: string): string {
    return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

const NOW_MICROS = "CAST(UNIX_TIMESTAMP(NOW(6)) * 1000000 AS SIGNED)";

/** `SESSION_USER()` names the client; `CURRENT_USER()` inside a trigger would name its definer. */
function isSyncSession(syncUser: string): string {
    return `SUBSTRING_INDEX(SESSION_USER(), '@', 1) = ${literal(syncUser)}`;
}

function isBinary(column: ColumnDef): boolean {
    return /(blob|binary)/i.test(column.type);
}

function jsonOf(row: string, columns: ColumnDef[]): string {
    const pairs = columns.map(
        (column) => `${literal(column.name)}, ${isBinary(column) ? `HEX(${row}.${q(column.name)})` : `${row}.${q(column.name)}`}`,
    );
    return `JSON_OBJECT(${pairs.join(", ")})`;
}

export interface MysqlSyncOptions {
    database: string;
    syncUser: string;
    policy: Policy;
    /** MariaDB has ADD/DROP COLUMN IF EXISTS; MySQL 8 does not (its errors are tolerated instead). */
    flavor: MysqlFlavor;
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

/** MySQL's zero value of a NOT NULL temporal column, restored when the sync writes NULL into it (see zero dates). */
function zeroDateOf(column: ColumnDef): string | undefined {
    if (column.nullable || column.computed) return undefined;
    const type = column.type.toLowerCase();
    if (type === "date") return "'0000-00-00'";
    if (/^(datetime|timestamp)\b/.test(type)) return "'0000-00-00 00:00:00'";
    return undefined;
}

/** Session variable holding the `index`th key column of the row an upsert means (it keeps the column's collation). */
function upsertKey(index: number): string {
    return `@tandem_upsert_k${index}`;
}

/** Whether the table's key compares strings loosely (case/accent-insensitive, padded): its spelling must travel. */
export function hasLooseKey(table: TableDef): boolean {
    return table.primaryKey.some((name) => {
        const column = table.columns.find((candidate) => candidate.name === name);
        return column?.collation !== undefined && !mysqlCollationIsExact(column.collation);
    });
}

/**
 * Idempotent statements that prepare one table: bookkeeping columns, tombstone table, triggers.
 *
 * Sync writes (session user = the sync writer) go through these rules, in order:
 * - an update from the other side's `deleting` mark passes (the tombstone trigger's own update);
 * - an upsert that landed on another row than its key (a unique key that collides) is refused with SIGNAL:
 *   the sink quarantines it instead of overwriting an unrelated row (`INSERT … ON DUPLICATE KEY UPDATE` fires on
 *   any unique index); keys are compared with their own collation;
 * - a version already held or replaced here (a replay after a crash, or an old version arriving late) changes
 *   nothing and is not a conflict;
 * - a version not based on the current one is a conflict, resolved by the policy and logged;
 * - a NULL written into a NOT NULL date column becomes the zero date again (zero dates travel as NULL);
 * - with a case-insensitive key, the version applied brings its key's spelling along ('abc' replaces 'ABC').
 */
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

    const application = appColumns(table);
    const columns = [...application, ...bookkeepingDefs()];
    const pk = table.primaryKey;
    const tomb = q(tombstoneTable(table.name));
    // Deletes carry only the key and the bookkeeping (the sinks' RouteToTable drops the rest).
    const keyColumns = pk.map((name) => application.find((column) => column.name === name)!).filter(Boolean);
    statements.push(
        `CREATE TABLE IF NOT EXISTS ${tomb} (${[...keyColumns.map((column) => `${q(column.name)} ${column.type}${column.collation ? ` COLLATE ${column.collation}` : ""} NOT NULL`), ...bookkeepingDefs().map((column) => `${q(column.name)} ${column.type} NULL`)].join(", ")}, PRIMARY KEY (${pk.map(q).join(", ")})) DEFAULT CHARSET=utf8mb4`,
    );

    const sync = isSyncSession(options.syncUser);
    // A generated column cannot be assigned, not even its own value.
    const writable = columns.filter((column) => !column.computed);
    const neutralize = writable.map((column) => `NEW.${q(column.name)} = OLD.${q(column.name)}`).join(", ");
    const pkJson = `JSON_OBJECT(${pk.map((column) => `${literal(column)}, OLD.${q(column)}`).join(", ")})`;
    const zeroDates = application
        .map((column) => [column, zeroDateOf(column)] as const)
        .filter(([, zero]) => zero !== undefined)
        .map(([column, zero]) => `  IF NEW.${q(column.name)} IS NULL THEN SET NEW.${q(column.name)} = ${zero}; END IF;`)
        .join("\n");
    const adoptSpelling = hasLooseKey(table)
        ? `\n    IF applied AND upsert THEN\n      SET ${pk.map((column, index) => `NEW.${q(column)} = ${upsertKey(index)}`).join(", ")};\n    END IF;`
        : "";
    const names = {
        beforeInsert: mysqlTriggerName("bi", table.name),
        afterInsert: mysqlTriggerName("ai", table.name),
        beforeUpdate: mysqlTriggerName("bu", table.name),
        tombInsert: mysqlTriggerName("ti", table.name),
        tombUpdate: mysqlTriggerName("tu", table.name),
    };
    for (const name of Object.values(names)) statements.push(`DROP TRIGGER IF EXISTS ${q(name)}`);

    statements.push(`CREATE TRIGGER ${q(names.beforeInsert)} BEFORE INSERT ON ${t} FOR EACH ROW
BEGIN
  IF NOT (${sync}) THEN
    SET NEW.${q(O)} = 'mysql', NEW.${q(B)} = 0, NEW.${q(V)} = ${NOW_MICROS};
  ELSE
    -- The key this upsert means; if it lands on another row (a unique key), BEFORE UPDATE refuses it.
    SET @tandem_upsert = 1, ${pk.map((column, index) => `${upsertKey(index)} = NEW.${q(column)}`).join(", ")};
${zeroDates}
  END IF;
END`);

    statements.push(`CREATE TRIGGER ${q(names.afterInsert)} AFTER INSERT ON ${t} FOR EACH ROW
BEGIN
  IF ${sync} THEN
    SET @tandem_upsert = NULL;
  END IF;
END`);

    statements.push(`CREATE TRIGGER ${q(names.beforeUpdate)} BEFORE UPDATE ON ${t} FOR EACH ROW
BEGIN
  DECLARE incoming_wins BOOLEAN;
  DECLARE applied BOOLEAN DEFAULT TRUE;
  DECLARE upsert BOOLEAN DEFAULT @tandem_upsert = 1;
  IF NOT (${sync}) THEN
    SET NEW.${q(O)} = 'mysql', NEW.${q(B)} = OLD.${q(V)}, NEW.${q(V)} = GREATEST(${NOW_MICROS}, OLD.${q(V)} + 1);
  ELSEIF NEW.${q(O)} <> '${DELETING}' THEN
    SET @tandem_upsert = NULL;
    IF upsert AND NOT (${pk.map((column, index) => `OLD.${q(column)} <=> ${upsertKey(index)}`).join(" AND ")}) THEN
      SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = ${literal(`tandem: collides on a unique key with another row of ${[...table.name].slice(0, 48).join("")}`)};
    END IF;
    IF (NEW.${q(O)} = OLD.${q(O)} AND NEW.${q(V)} <= OLD.${q(V)}) OR NEW.${q(V)} = OLD.${q(B)} THEN
      -- A version held or replaced already: a replay, or an old version arriving late.
      SET ${neutralize};
      SET applied = FALSE;
    ELSEIF NEW.${q(B)} <> OLD.${q(V)} THEN
      SET incoming_wins = ${incomingWinsCondition(options.policy, "NEW", "OLD", q)};
      INSERT INTO ${q(options.conflictsTable)} (table_name, row_key, local_row, incoming_row, winner, policy)
        VALUES (${literal(table.name)}, ${pkJson}, ${jsonOf("OLD", columns)}, ${jsonOf("NEW", columns)},
                IF(incoming_wins, NEW.${q(O)}, OLD.${q(O)}), ${literal(options.policy.conflicts)});
      IF NOT incoming_wins THEN
        -- An update that changes nothing is not written to the binlog: the losing version leaves no trace.
        SET ${neutralize};
        SET applied = FALSE;
      END IF;
    END IF;${adoptSpelling}
${zeroDates}
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
 * based snapshot: chunked, resumable, interleaved with streaming). Tables are named in Debezium's quoted form,
 * which it reads verbatim (dots, quotes and all). `requestId` tells one request from another.
 */
export function mysqlIncrementalSnapshotSignal(
    signalTable: string,
    database: string,
    tables: string[],
    requestId: string,
    /** Per table, a WHERE condition limiting the rows snapshotted (Debezium's `additional-conditions`). */
    conditions: Record<string, string> = {},
): string {
    const collections = tables.map((table) => debeziumQuotedId(database, table));
    const additional = tables
        .filter((table) => conditions[table] !== undefined)
        .map((table) => ({ "data-collection": debeziumQuotedId(database, table), filter: conditions[table] }));
    const data = JSON.stringify({
        "data-collections": collections,
        type: "incremental",
        ...(additional.length > 0 ? { "additional-conditions": additional } : {}),
    });
    return `INSERT IGNORE INTO ${q(signalTable)} (id, type, data) VALUES (${literal(requestId)}, 'execute-snapshot', ${literal(data)})`;
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
export function mysqlTableTeardown(table: TableDef, flavor: MysqlFlavor): string[] {
    return [
        ...["bi", "ai", "bu", "ti", "tu"].map((kind) => `DROP TRIGGER IF EXISTS ${q(mysqlTriggerName(kind, table.name))}`),
        `DROP TABLE IF EXISTS ${q(tombstoneTable(table.name))}`,
        // 1146: a table dropped by its application before leaving the stack has nothing left to clean.
        ...[O, V, B].map((column) =>
            flavor === "mariadb"
                ? tolerate([1146], `ALTER TABLE ${q(table.name)} DROP COLUMN IF EXISTS ${q(column)}`)
                : tolerate([1091, 1146], `ALTER TABLE ${q(table.name)} DROP COLUMN ${q(column)}`),
        ),
    ];
}

export function mysqlCommonTeardown(conflictsTable: string, signalTable: string): string[] {
    return [`DROP TABLE IF EXISTS ${q(conflictsTable)}`, `DROP TABLE IF EXISTS ${q(signalTable)}`];
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
export function binlogRetentionSql(flavor: MysqlFlavor, hosting: MysqlHosting, hours: number): string[] {
    if (!Number.isInteger(hours) || hours < 1) throw new Error(`binlog retention must be a whole number of hours, got ${hours}`);
    if (hosting === "rds") return [`CALL mysql.rds_set_configuration('binlog retention hours', ${hours})`];
    const seconds = hours * 3600;
    const current = "@@GLOBAL.binlog_expire_logs_seconds";
    return [
        `SET ${flavor === "mysql" ? "PERSIST" : "GLOBAL"} binlog_expire_logs_seconds = IF(${current} = 0 OR ${current} >= ${seconds}, ${current}, ${seconds})`,
    ];
}
