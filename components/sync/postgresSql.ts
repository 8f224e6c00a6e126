// Pure builders: the PostgreSQL side of the bidirectional sync as SQL (apply and teardown). The same rules
// as mysqlSql.ts; PostgreSQL lets a BEFORE trigger skip a row (RETURN NULL), so one generic function serves
// every table.
import { appColumns, BOOKKEEPING, DELETING, Policy, TableDef, tombstoneTable } from "./model";

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
}

const NOW_MICROS = "(extract(epoch from clock_timestamp()) * 1000000)::bigint";

function incomingWins(policy: Policy): string {
    switch (policy.conflicts) {
        case "mysql-wins":
            return `NEW.${qi(O)} = 'mysql'`;
        case "postgres-wins":
            return `NEW.${qi(O)} = 'postgres'`;
        default:
            return `(NEW.${qi(V)} > OLD.${qi(V)} OR (NEW.${qi(V)} = OLD.${qi(V)} AND NEW.${qi(O)} = ${pgLiteral(policy.tieWinner)}))`;
    }
}

function fn(options: PostgresSyncOptions, name: string): string {
    return `${qi(options.schema)}.${qi(name)}`;
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
        // Stamps application writes; resolves the sync writer's writes against the current version.
        `CREATE OR REPLACE FUNCTION ${fn(options, `${options.functionPrefix}_before_write`)}() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${s}, pg_temp AS $fn$
DECLARE
  incoming_wins boolean;
  pk_columns text[] := TG_ARGV;
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
  IF TG_OP = 'INSERT' OR NEW.${qi(O)} = '${DELETING}' OR NEW.${qi(B)} = OLD.${qi(V)} THEN
    RETURN NEW;
  END IF;
  incoming_wins := ${incomingWins(options.policy)};
  INSERT INTO ${conflicts} (table_name, row_key, local_row, incoming_row, winner, policy)
  SELECT TG_TABLE_NAME, jsonb_object_agg(k, to_jsonb(OLD) -> k), to_jsonb(OLD), to_jsonb(NEW),
         CASE WHEN incoming_wins THEN NEW.${qi(O)} ELSE OLD.${qi(O)} END, ${pgLiteral(options.policy.conflicts)}
  FROM unnest(pk_columns) AS k;
  IF incoming_wins THEN
    RETURN NEW;
  END IF;
  RETURN NULL; -- skip the losing version: nothing reaches the WAL
END
$fn$`,
    ];
}

/** Idempotent statements preparing one table: bookkeeping columns, replica identity, tombstone table, triggers. */
export function postgresTableSetup(table: TableDef, options: PostgresSyncOptions): string[] {
    const s = qi(options.schema);
    const t = `${s}.${qi(table.name)}`;
    const tombName = tombstoneTable(table.name);
    const tomb = `${s}.${qi(tombName)}`;
    const pk = table.primaryKey;
    const pkArgs = pk.map(pgLiteral).join(", ");
    const match = pk.map((column) => `${qi(column)} = NEW.${qi(column)}`).join(" AND ");
    const tombFunction = fn(options, `${options.functionPrefix}_apply_delete__${table.name}`.slice(0, 63));
    const columns = [
        ...appColumns(table).map((column) => `${qi(column.name)} ${column.type}`),
        `${qi(O)} varchar(10)`,
        `${qi(V)} bigint`,
        `${qi(B)} bigint`,
    ];
    return [
        // Existing rows came from the MySQL side's snapshot or will be overwritten by it; version 0 loses.
        `ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS ${qi(O)} varchar(10) NOT NULL DEFAULT 'postgres'`,
        `ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS ${qi(V)} bigint NOT NULL DEFAULT 0`,
        `ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS ${qi(B)} bigint NOT NULL DEFAULT 0`,
        // Full before-images: deletes carry the origin and version, and unchanged TOASTed values are sent.
        `ALTER TABLE ${t} REPLICA IDENTITY FULL`,
        `CREATE TABLE IF NOT EXISTS ${tomb} (${columns.join(", ")}, PRIMARY KEY (${pk.map(qi).join(", ")}))`,
        `CREATE OR REPLACE TRIGGER ${qi("_tandem_before_write")} BEFORE INSERT OR UPDATE ON ${t}
FOR EACH ROW EXECUTE FUNCTION ${fn(options, `${options.functionPrefix}_before_write`)}(${pkArgs})`,
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
    ];
}

/** The publication the PostgreSQL source reads: exactly the synced tables and the heartbeat table. */
export function postgresPublication(tables: string[], options: PostgresSyncOptions): string[] {
    const s = qi(options.schema);
    const list = [...tables, options.heartbeatTable].map((table) => `${s}.${qi(table)}`).join(", ");
    return [
        `DO $do$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = ${pgLiteral(options.publication)}) THEN
    CREATE PUBLICATION ${qi(options.publication)} FOR TABLE ${list};
  ELSE
    ALTER PUBLICATION ${qi(options.publication)} SET TABLE ${list};
  END IF;
END $do$`,
    ];
}

export function postgresUserGrants(tables: string[], options: PostgresSyncOptions): string[] {
    const s = qi(options.schema);
    const synced = tables.map((table) => `${s}.${qi(table)}`);
    const tombs = tables.map((table) => `${s}.${qi(tombstoneTable(table))}`);
    return [
        `ALTER ROLE ${qi(options.cdcUser)} WITH LOGIN REPLICATION`,
        `GRANT USAGE ON SCHEMA ${s} TO ${qi(options.cdcUser)}, ${qi(options.syncUser)}`,
        `GRANT SELECT ON ${synced.join(", ")} TO ${qi(options.cdcUser)}`,
        `GRANT SELECT, INSERT, UPDATE ON ${s}.${qi(options.heartbeatTable)} TO ${qi(options.cdcUser)}`,
        `GRANT SELECT, INSERT, UPDATE, DELETE ON ${[...synced, ...tombs].join(", ")} TO ${qi(options.syncUser)}`,
        // Schema evolution of the sink adds columns; it must own nothing else.
        `GRANT CREATE ON SCHEMA ${s} TO ${qi(options.syncUser)}`,
    ];
}

export function postgresTableTeardown(table: string, options: PostgresSyncOptions): string[] {
    const s = qi(options.schema);
    return [
        `DROP TRIGGER IF EXISTS ${qi("_tandem_before_write")} ON ${s}.${qi(table)}`,
        `DROP TABLE IF EXISTS ${s}.${qi(tombstoneTable(table))}`,
        `DROP FUNCTION IF EXISTS ${fn(options, `${options.functionPrefix}_apply_delete__${table}`.slice(0, 63))}()`,
        `ALTER TABLE ${s}.${qi(table)} REPLICA IDENTITY DEFAULT`,
        `ALTER TABLE ${s}.${qi(table)} DROP COLUMN IF EXISTS ${qi(O)}, DROP COLUMN IF EXISTS ${qi(V)}, DROP COLUMN IF EXISTS ${qi(B)}`,
    ];
}

export function postgresCommonTeardown(options: PostgresSyncOptions): string[] {
    const s = qi(options.schema);
    return [
        `DROP PUBLICATION IF EXISTS ${qi(options.publication)}`,
        `DROP FUNCTION IF EXISTS ${fn(options, `${options.functionPrefix}_before_write`)}()`,
        `DROP TABLE IF EXISTS ${s}.${qi(options.conflictsTable)}`,
        `DROP TABLE IF EXISTS ${s}.${qi(options.heartbeatTable)}`,
    ];
}
