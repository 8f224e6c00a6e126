// Pure builders: the PostgreSQL side of the bidirectional sync as SQL (apply and teardown). The same rules
// as mysqlSql.ts; PostgreSQL lets a BEFORE trigger skip a row (RETURN NULL), so one generic function serves
// every table.
//
// The sink writes with session_replication_role = replica: foreign keys are not checked (rows of parent and
// child tables travel on different topics and arrive in any order) and the applications' own triggers do not
// fire on rows that already carry their final values; the sync's triggers are ENABLE ALWAYS.
import { appColumns, BOOKKEEPING, DELETING, Policy, ReferentialAction, TableDef } from "../core/model";
import { incomingWinsCondition } from "./conflictRule";
import { postgresTableFunction, tombstoneTable } from "../core/names";

const { origin: O, version: V, base: B } = BOOKKEEPING;

export function qi(identifier: string): string {
    return `"${identifier.replace(/"/g, '""')}"`;
}

export function pgLiteral(value: string): string {
    return `'${value.replace(/'/g, "''")}'`;
}

export interface PostgresSyncOptions {
    schema: string;
    syncUser: string;
    cdcUser: string;
    policy: Policy;
    publication: string;
    heartbeatTable: string;
    conflictsTable: string;
    /** Prefix of this sync's functions (one sync's teardown must not touch another's). */
    functionPrefix: string;
    /** `tandem load`'s resume positions per table (sync writer reads and writes them). */
    progressTable?: string;
    /** `tandem reconcile`'s run and repair logs (created on first use by the tool; dropped by the teardown). */
    reconcileTables?: string[];
}

/**
 * A MySQL foreign key whose ON DELETE action MySQL performs without logging it: the child rows it deletes or
 * nulls never reach the binlog, so PostgreSQL repeats the action when the parent's delete arrives.
 */
export interface MysqlCascade {
    child: string;
    columns: string[];
    referencedColumns: string[];
    onDelete: Extract<ReferentialAction, "CASCADE" | "SET NULL">;
}

const NOW_MICROS = "(extract(epoch from clock_timestamp()) * 1000000)::bigint";
/** Set (transaction-local) while the sync repeats a MySQL cascade: those writes keep their bookkeeping. */
const CASCADING = "tandem.cascading";
/** The key an upsert of a loose-key table means, as JSON (transaction-local, from BEFORE INSERT to BEFORE UPDATE). */
const UPSERT_KEY = "tandem.upsert_key";

/** Whether the table's key compares strings loosely in PostgreSQL (citext, nondeterministic collation). */
export function hasLooseKeyPostgres(table: TableDef): boolean {
    return table.primaryKey.some((name) => {
        const column = table.columns.find((candidate) => candidate.name === name);
        return column !== undefined && (column.collationDeterministic === false || /^citext$/i.test(column.type));
    });
}

function fn(options: PostgresSyncOptions, name: string): string {
    return `${qi(options.schema)}.${qi(name)}`;
}

function beforeWrite(options: PostgresSyncOptions): string {
    return fn(options, `${options.functionPrefix}_before_write`);
}

/** Functions and tables shared by all synced tables. */
export function postgresCommonSetup(options: PostgresSyncOptions): string[] {
    const s = qi(options.schema);
    const conflicts = `${s}.${qi(options.conflictsTable)}`;
    return [
        `CREATE TABLE IF NOT EXISTS ${conflicts} (
  id bigserial PRIMARY KEY,
  table_name text NOT NULL,
  row_key jsonb NOT NULL,
  local_row jsonb NOT NULL,
  incoming_row jsonb NOT NULL,
  winner text NOT NULL,
  policy text NOT NULL,
  detected_at timestamptz NOT NULL DEFAULT clock_timestamp()
)`,
        `CREATE TABLE IF NOT EXISTS ${s}.${qi(options.heartbeatTable)} (id int PRIMARY KEY, beat timestamptz NOT NULL)`,
        ...(options.progressTable ? [postgresLoadProgressSql(options.schema, options.progressTable)] : []),
        // Stamps application writes; resolves the sync writer's writes against the current version.
        `CREATE OR REPLACE FUNCTION ${beforeWrite(options)}() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${s}, pg_temp AS $fn$
DECLARE
  incoming_wins boolean;
  -- Arguments: 'loose' (case-insensitive key: its spelling travels) or 'exact', then the key columns.
  loose boolean := TG_ARGV[0] = 'loose';
  pk_columns text[] := TG_ARGV[1:];
  upsert_key text;
BEGIN
  IF session_user <> ${pgLiteral(options.syncUser)} THEN
    NEW.${qi(O)} := 'postgres';
    IF TG_OP = 'INSERT' THEN
      NEW.${qi(B)} := 0;
      NEW.${qi(V)} := ${NOW_MICROS};
    ELSE
      NEW.${qi(B)} := OLD.${qi(V)};
      NEW.${qi(V)} := greatest(${NOW_MICROS}, OLD.${qi(V)} + 1);
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.${qi(O)} = '${DELETING}' OR current_setting('${CASCADING}', true) = 'on' THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF loose THEN
      -- INSERT … ON CONFLICT fires this first: keep the incoming key's spelling for the update that may follow.
      PERFORM set_config('${UPSERT_KEY}', (SELECT jsonb_object_agg(k, to_jsonb(NEW) -> k) FROM unnest(pk_columns) AS k)::text, true);
    END IF;
    RETURN NEW;
  END IF;
  IF (NEW.${qi(O)} = OLD.${qi(O)} AND NEW.${qi(V)} <= OLD.${qi(V)}) OR NEW.${qi(V)} = OLD.${qi(B)} THEN
    RETURN NULL; -- a version held or replaced already: a replay, or an old version arriving late
  END IF;
  IF NEW.${qi(B)} <> OLD.${qi(V)} THEN
    incoming_wins := ${incomingWinsCondition(options.policy, "NEW", "OLD", qi)};
    INSERT INTO ${conflicts} (table_name, row_key, local_row, incoming_row, winner, policy)
    SELECT TG_TABLE_NAME, jsonb_object_agg(k, to_jsonb(OLD) -> k), to_jsonb(OLD), to_jsonb(NEW),
           CASE WHEN incoming_wins THEN NEW.${qi(O)} ELSE OLD.${qi(O)} END, ${pgLiteral(options.policy.conflicts)}
    FROM unnest(pk_columns) AS k;
    IF NOT incoming_wins THEN
      RETURN NULL; -- skip the losing version: nothing reaches the WAL
    END IF;
  END IF;
  IF loose THEN
    -- The version applied brings its key's spelling along ('abc' replaces 'ABC').
    upsert_key := current_setting('${UPSERT_KEY}', true);
    IF upsert_key IS NOT NULL AND upsert_key <> '' THEN
      NEW := jsonb_populate_record(NEW, upsert_key::jsonb);
      PERFORM set_config('${UPSERT_KEY}', '', true);
    END IF;
  END IF;
  RETURN NEW;
END
$fn$`,
    ];
}

/** Where each table's load stands: resumed from `last_key` after a crash, skipped once `finished_at` is set. */
export function postgresLoadProgressSql(schema: string, progressTable: string): string {
    return `CREATE TABLE IF NOT EXISTS ${qi(schema)}.${qi(progressTable)} (
  table_name text PRIMARY KEY,
  last_key jsonb,
  rows_copied bigint NOT NULL DEFAULT 0,
  rows_to_stream bigint NOT NULL DEFAULT 0,
  pending_keys jsonb,
  started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at timestamptz
)`;
}

function cascadeStatements(cascade: MysqlCascade, options: PostgresSyncOptions): string {
    const child = `${qi(options.schema)}.${qi(cascade.child)}`;
    const match = cascade.columns.map((column, index) => `${qi(column)} = OLD.${qi(cascade.referencedColumns[index])}`).join(" AND ");
    if (cascade.onDelete === "CASCADE") {
        // A plain delete: it travels back to MySQL, where it removes what MySQL's cascade missed (rows written
        // concurrently) and is a no-op otherwise.
        return `  DELETE FROM ${child} WHERE ${match};`;
    }
    return `  PERFORM set_config('${CASCADING}', 'on', true);
  UPDATE ${child} SET ${cascade.columns.map((column) => `${qi(column)} = NULL`).join(", ")} WHERE ${match};
  PERFORM set_config('${CASCADING}', 'off', true);`;
}

/**
 * The triggers running the shared before-write function. An insert by the sync writer keeps its values as they
 * are, unless the key is loose (the function notes its spelling for the update an upsert may turn into): for
 * exact keys the insert trigger is skipped for the sync writer by its WHEN clause, so that the sink's and the
 * bulk load's inserts do not pay for a PL/pgSQL call each.
 */
function beforeWriteTriggers(t: string, options: PostgresSyncOptions, pkArgs: string, looseKey: boolean): string[] {
    const trigger = (name: string, events: string, when = "") =>
        `CREATE OR REPLACE TRIGGER ${qi(name)} BEFORE ${events} ON ${t}
FOR EACH ROW${when} EXECUTE FUNCTION ${beforeWrite(options)}(${pkArgs})`;
    const always = (name: string) => `ALTER TABLE ${t} ENABLE ALWAYS TRIGGER ${qi(name)}`;
    if (looseKey) {
        return [
            `DROP TRIGGER IF EXISTS ${qi("_tandem_before_insert")} ON ${t}`,
            trigger("_tandem_before_write", "INSERT OR UPDATE"),
            always("_tandem_before_write"),
        ];
    }
    return [
        trigger("_tandem_before_write", "UPDATE"),
        always("_tandem_before_write"),
        trigger("_tandem_before_insert", "INSERT", ` WHEN (session_user <> ${pgLiteral(options.syncUser)})`),
        always("_tandem_before_insert"),
    ];
}

/**
 * Idempotent statements preparing one table: bookkeeping columns, replica identity, tombstone table, triggers,
 * MySQL's cascades from this table, and the roles' access to it.
 */
export function postgresTableSetup(table: TableDef, options: PostgresSyncOptions, cascades: MysqlCascade[] = []): string[] {
    const s = qi(options.schema);
    const t = `${s}.${qi(table.name)}`;
    const tomb = `${s}.${qi(tombstoneTable(table.name))}`;
    const pk = table.primaryKey;
    const pkArgs = [hasLooseKeyPostgres(table) ? "loose" : "exact", ...pk].map(pgLiteral).join(", ");
    const match = pk.map((column) => `${qi(column)} = NEW.${qi(column)}`).join(" AND ");
    const tombFunction = fn(options, postgresTableFunction(options.functionPrefix, "apply_delete", table.name));
    const cascadeFunction = fn(options, postgresTableFunction(options.functionPrefix, "cascade", table.name));
    const application = appColumns(table);
    // Deletes carry only the key and the bookkeeping (the sinks' RouteToTable drops the rest).
    const tombColumns = [
        ...pk.map((name) => {
            const column = application.find((candidate) => candidate.name === name);
            return `${qi(name)} ${column?.type ?? "text"}${column?.collation ? ` COLLATE ${qi(column.collation)}` : ""} NOT NULL`;
        }),
        `${qi(O)} varchar(10)`,
        `${qi(V)} bigint`,
        `${qi(B)} bigint`,
    ];
    const statements = [
        // Existing rows came from the MySQL side's snapshot or will be overwritten by it; version 0 loses.
        `ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS ${qi(O)} varchar(10) NOT NULL DEFAULT 'postgres'`,
        `ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS ${qi(V)} bigint NOT NULL DEFAULT 0`,
        `ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS ${qi(B)} bigint NOT NULL DEFAULT 0`,
        // Full before-images: deletes carry the origin and version, and unchanged TOASTed values are sent.
        `ALTER TABLE ${t} REPLICA IDENTITY FULL`,
        `CREATE TABLE IF NOT EXISTS ${tomb} (${tombColumns.join(", ")}, PRIMARY KEY (${pk.map(qi).join(", ")}))`,
        ...beforeWriteTriggers(t, options, pkArgs, hasLooseKeyPostgres(table)),
        `CREATE OR REPLACE FUNCTION ${tombFunction}() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${s}, pg_temp AS $fn$
BEGIN
  -- Delete only the version that was deleted on the other side; mark it first so the source knows.
  UPDATE ${t} SET ${qi(O)} = '${DELETING}' WHERE ${match} AND ${qi(V)} = NEW.${qi(V)};
  DELETE FROM ${t} WHERE ${match} AND ${qi(O)} = '${DELETING}';
  RETURN NULL;
END
$fn$`,
        `CREATE OR REPLACE TRIGGER ${qi("_tandem_apply_delete")} AFTER INSERT OR UPDATE ON ${tomb}
FOR EACH ROW EXECUTE FUNCTION ${tombFunction}()`,
        `ALTER TABLE ${tomb} ENABLE ALWAYS TRIGGER ${qi("_tandem_apply_delete")}`,
    ];
    if (cascades.length > 0) {
        statements.push(
            `CREATE OR REPLACE FUNCTION ${cascadeFunction}() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${s}, pg_temp AS $fn$
BEGIN
  -- Only for deletes the sync applies: MySQL's ON DELETE actions on these children were not in its binlog.
  IF session_user <> ${pgLiteral(options.syncUser)} THEN
    RETURN NULL;
  END IF;
${cascades.map((cascade) => cascadeStatements(cascade, options)).join("\n")}
  RETURN NULL;
END
$fn$`,
            `CREATE OR REPLACE TRIGGER ${qi("_tandem_mysql_cascade")} AFTER DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION ${cascadeFunction}()`,
            `ALTER TABLE ${t} ENABLE ALWAYS TRIGGER ${qi("_tandem_mysql_cascade")}`,
        );
    } else {
        statements.push(`DROP TRIGGER IF EXISTS ${qi("_tandem_mysql_cascade")} ON ${t}`, `DROP FUNCTION IF EXISTS ${cascadeFunction}()`);
    }
    statements.push(
        `GRANT SELECT ON ${t} TO ${qi(options.cdcUser)}`,
        `GRANT SELECT, INSERT, UPDATE, DELETE ON ${t}, ${tomb} TO ${qi(options.syncUser)}`,
    );
    return statements;
}

/** Undoes postgresTableSetup; application rows and columns untouched. */
export function postgresTableTeardown(table: string, options: PostgresSyncOptions): string[] {
    const s = qi(options.schema);
    const t = `${s}.${qi(table)}`;
    const revoke = (role: string) => `DO $do$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${pgLiteral(role)}) AND to_regclass(${pgLiteral(t)}) IS NOT NULL THEN
    EXECUTE ${pgLiteral(`REVOKE ALL ON ${t} FROM ${qi(role)}`)};
  END IF;
END $do$`;
    return [
        revoke(options.syncUser),
        revoke(options.cdcUser),
        `DROP TRIGGER IF EXISTS ${qi("_tandem_before_write")} ON ${t}`,
        `DROP TRIGGER IF EXISTS ${qi("_tandem_before_insert")} ON ${t}`,
        `DROP TRIGGER IF EXISTS ${qi("_tandem_mysql_cascade")} ON ${t}`,
        `DROP TABLE IF EXISTS ${s}.${qi(tombstoneTable(table))}`,
        `DROP FUNCTION IF EXISTS ${fn(options, postgresTableFunction(options.functionPrefix, "apply_delete", table))}()`,
        `DROP FUNCTION IF EXISTS ${fn(options, postgresTableFunction(options.functionPrefix, "cascade", table))}()`,
        // IF EXISTS: a table dropped by its application before leaving the stack has nothing left to clean.
        `ALTER TABLE IF EXISTS ${t} REPLICA IDENTITY DEFAULT`,
        `ALTER TABLE IF EXISTS ${t} DROP COLUMN IF EXISTS ${qi(O)}, DROP COLUMN IF EXISTS ${qi(V)}, DROP COLUMN IF EXISTS ${qi(B)}`,
    ];
}

export function postgresCommonTeardown(options: PostgresSyncOptions): string[] {
    const s = qi(options.schema);
    return [
        `DROP PUBLICATION IF EXISTS ${qi(options.publication)}`,
        `DROP FUNCTION IF EXISTS ${beforeWrite(options)}()`,
        `DROP TABLE IF EXISTS ${s}.${qi(options.conflictsTable)}`,
        `DROP TABLE IF EXISTS ${s}.${qi(options.heartbeatTable)}`,
        ...(options.progressTable ? [`DROP TABLE IF EXISTS ${s}.${qi(options.progressTable)}`] : []),
        ...(options.reconcileTables ?? []).map((table) => `DROP TABLE IF EXISTS ${s}.${qi(table)}`),
    ];
}

/** MySQL foreign keys whose ON DELETE action PostgreSQL must repeat, grouped by the parent table. */
export function mysqlCascadesByParent(tables: TableDef[]): Map<string, MysqlCascade[]> {
    const synced = new Set(tables.map((table) => table.name));
    const byParent = new Map<string, MysqlCascade[]>();
    for (const table of tables) {
        for (const key of table.foreignKeys ?? []) {
            if (!synced.has(key.referencedTable) || (key.onDelete !== "CASCADE" && key.onDelete !== "SET NULL")) continue;
            const cascade: MysqlCascade = {
                child: table.name,
                columns: key.columns,
                referencedColumns: key.referencedColumns,
                onDelete: key.onDelete,
            };
            byParent.set(key.referencedTable, [...(byParent.get(key.referencedTable) ?? []), cascade]);
        }
    }
    return byParent;
}
