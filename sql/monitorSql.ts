// Pure builders: what the health monitor needs in each database — the canary table with its arrival stamp
// (core/canary.ts), the monitor's least-privilege accounts — and the bounded queries it runs on every round
// (no scan of an application table: the canary has two rows, the conflict log is read from an id on).
import { CANARY_COLUMNS } from "../core/canary";
import { BOOKKEEPING } from "../core/model";
import { mysqlTriggerName } from "../core/names";
import { MysqlFlavor, Side } from "../core/vocabulary";
import { identifiedBy } from "./mysqlAccounts";
import { literal, q } from "./mysqlSql";
import { pgLiteral, qi } from "./postgresSql";

const { side: SIDE, seq: SEQ, arrived: ARRIVED } = CANARY_COLUMNS;
const VERSION = BOOKKEEPING.version;

export interface CanaryNames {
    canaryTable: string;
    conflictsTable: string;
    monitorUser: string;
    /** PostgreSQL: the sync's function prefix (one sync's objects never collide with another's). */
    functionPrefix: string;
}

const MYSQL_NOW_US = "CAST(UNIX_TIMESTAMP(SYSDATE(6)) * 1000000 AS SIGNED)";
const POSTGRES_NOW_US = "(extract(epoch FROM clock_timestamp()) * 1000000)::bigint";

/**
 * The canary table and its arrival stamp on MySQL/MariaDB: the PostgreSQL side's row is only ever written by the
 * sync, so stamping it needs no test of the session. A replayed older `seq` leaves the stamp alone.
 */
export function mysqlCanarySetup(names: CanaryNames): string[] {
    const t = q(names.canaryTable);
    const stamp = `SET NEW.${q(ARRIVED)} = ${MYSQL_NOW_US}`;
    const insert = q(mysqlTriggerName("ci", names.canaryTable));
    const update = q(mysqlTriggerName("cu", names.canaryTable));
    return [
        `CREATE TABLE IF NOT EXISTS ${t} (${q(SIDE)} VARCHAR(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL PRIMARY KEY, ${q(SEQ)} BIGINT NOT NULL, ${q(ARRIVED)} BIGINT NULL) DEFAULT CHARSET=utf8mb4`,
        `DROP TRIGGER IF EXISTS ${insert}`,
        `DROP TRIGGER IF EXISTS ${update}`,
        `CREATE TRIGGER ${insert} BEFORE INSERT ON ${t} FOR EACH ROW IF NEW.${q(SIDE)} = 'postgres' THEN ${stamp}; END IF`,
        `CREATE TRIGGER ${update} BEFORE UPDATE ON ${t} FOR EACH ROW IF NEW.${q(SIDE)} = 'postgres' AND NEW.${q(SEQ)} > OLD.${q(SEQ)} THEN ${stamp}; END IF`,
    ];
}

export function mysqlCanaryTeardown(names: CanaryNames): string[] {
    return [
        `DROP TRIGGER IF EXISTS ${q(mysqlTriggerName("ci", names.canaryTable))}`,
        `DROP TRIGGER IF EXISTS ${q(mysqlTriggerName("cu", names.canaryTable))}`,
        `DROP TABLE IF EXISTS ${q(names.canaryTable)}`,
    ];
}

function postgresStampFunction(schema: string, names: CanaryNames): string {
    return `${qi(schema)}.${qi(`${names.functionPrefix}_canary_arrival`)}`;
}

/**
 * The same on PostgreSQL. The trigger fires ALWAYS (the sink's sessions run as a replica) and after the sync's own
 * `_tandem_before_*` triggers (PostgreSQL orders them by name): a version they keep out never gets a stamp.
 */
export function postgresCanarySetup(schema: string, names: CanaryNames): string[] {
    const t = `${qi(schema)}.${qi(names.canaryTable)}`;
    const fn = postgresStampFunction(schema, names);
    return [
        `CREATE TABLE IF NOT EXISTS ${t} (${qi(SIDE)} varchar(16) PRIMARY KEY, ${qi(SEQ)} bigint NOT NULL, ${qi(ARRIVED)} bigint)`,
        `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF NEW.${qi(SIDE)} = 'mysql' AND (TG_OP = 'INSERT' OR NEW.${qi(SEQ)} > OLD.${qi(SEQ)}) THEN
    NEW.${qi(ARRIVED)} := ${POSTGRES_NOW_US};
  END IF;
  RETURN NEW;
END $fn$`,
        `DROP TRIGGER IF EXISTS "_tandem_canary_arrival" ON ${t}`,
        `CREATE TRIGGER "_tandem_canary_arrival" BEFORE INSERT OR UPDATE ON ${t} FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
        `ALTER TABLE ${t} ENABLE ALWAYS TRIGGER "_tandem_canary_arrival"`,
    ];
}

export function postgresCanaryTeardown(schema: string, names: CanaryNames): string[] {
    return [
        `DROP TABLE IF EXISTS ${qi(schema)}.${qi(names.canaryTable)}`,
        `DROP FUNCTION IF EXISTS ${postgresStampFunction(schema, names)}()`,
    ];
}

function account(user: string, host: string): string {
    return `${literal(user)}@${literal(host)}`;
}

/**
 * The monitor's MySQL account: canary writes, the conflict log, and the binlog list (REPLICATION CLIENT, which
 * MariaDB ≥ 10.5 calls BINLOG MONITOR). The password is the `{{secret:monitor}}` placeholder.
 */
export function mysqlMonitorAccount(database: string, host: string, names: CanaryNames, flavor: MysqlFlavor = "mariadb"): string[] {
    const who = account(names.monitorUser, host);
    const db = q(database);
    return [
        `CREATE USER IF NOT EXISTS ${who} ${identifiedBy("monitor", flavor)}`,
        `ALTER USER ${who} ${identifiedBy("monitor", flavor)}`,
        `GRANT REPLICATION CLIENT ON *.* TO ${who}`,
        `GRANT SELECT, INSERT, UPDATE ON ${db}.${q(names.canaryTable)} TO ${who}`,
        `GRANT SELECT ON ${db}.${q(names.conflictsTable)} TO ${who}`,
    ];
}

export function mysqlMonitorAccountTeardown(host: string, names: CanaryNames): string[] {
    return [`DROP USER IF EXISTS ${account(names.monitorUser, host)}`];
}

/** The monitor's PostgreSQL role: canary writes and the conflict log (the replication slot's WAL needs no grant). */
export function postgresMonitorRole(schema: string, names: CanaryNames): string[] {
    const who = qi(names.monitorUser);
    const s = qi(schema);
    return [
        `DO $do$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${pgLiteral(names.monitorUser)}) THEN CREATE ROLE ${who} LOGIN; END IF; END $do$`,
        `ALTER ROLE ${who} PASSWORD {{secret:monitor:postgres-scram}}`,
        // pg_replication_slots and the WAL position are readable by any role; pg_monitor (every session's SQL
        // text, every setting) is more than the probes need. Stacks deployed before granted it.
        `REVOKE pg_monitor FROM ${who}`,
        `GRANT USAGE ON SCHEMA ${s} TO ${who}`,
        `GRANT SELECT, INSERT, UPDATE ON ${s}.${qi(names.canaryTable)} TO ${who}`,
        `GRANT SELECT ON ${s}.${qi(names.conflictsTable)} TO ${who}`,
    ];
}

export function postgresMonitorRoleTeardown(schema: string, names: CanaryNames): string[] {
    const who = qi(names.monitorUser);
    return [
        `DO $do$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${pgLiteral(names.monitorUser)}) THEN
  EXECUTE 'REVOKE ALL ON ALL TABLES IN SCHEMA ${qi(schema).replace(/'/g, "''")} FROM ${who.replace(/'/g, "''")}';
  EXECUTE 'REVOKE ALL ON SCHEMA ${qi(schema).replace(/'/g, "''")} FROM ${who.replace(/'/g, "''")}';
END IF; END $do$`,
        `DROP ROLE IF EXISTS ${who}`,
    ];
}

// ---- the monitor's queries ----

/** One side's view of the canary row written by `origin`: its seq, write time, stamp, and the database's clock now. */
export function canaryReadSql(engine: Side, schema: string, table: string, origin: Side): string {
    if (engine === "mysql") {
        return `SELECT ${q(SEQ)} AS seq, ${q(VERSION)} AS version, ${q(ARRIVED)} AS arrived, ${MYSQL_NOW_US} AS now_us FROM ${q(table)} WHERE ${q(SIDE)} = ${literal(origin)}`;
    }
    return `SELECT ${qi(SEQ)} AS seq, ${qi(VERSION)} AS version, ${qi(ARRIVED)} AS arrived, ${POSTGRES_NOW_US} AS now_us FROM ${qi(schema)}.${qi(table)} WHERE ${qi(SIDE)} = ${pgLiteral(origin)}`;
}

/** The database's clock, µs since the epoch (a pending canary's age is measured on its origin's clock). */
export function nowUsSql(engine: Side): string {
    return engine === "mysql" ? `SELECT ${MYSQL_NOW_US} AS now_us` : `SELECT ${POSTGRES_NOW_US} AS now_us`;
}

/** Writes the next canary of `origin` (its first one, or seq + 1). */
export function canaryBumpSql(engine: Side, schema: string, table: string): string {
    if (engine === "mysql") {
        return `INSERT INTO ${q(table)} (${q(SIDE)}, ${q(SEQ)}) VALUES ('mysql', 1) ON DUPLICATE KEY UPDATE ${q(SEQ)} = ${q(SEQ)} + 1`;
    }
    const t = `${qi(schema)}.${qi(table)}`;
    return `INSERT INTO ${t} AS c (${qi(SIDE)}, ${qi(SEQ)}) VALUES ('postgres', 1) ON CONFLICT (${qi(SIDE)}) DO UPDATE SET ${qi(SEQ)} = c.${qi(SEQ)} + 1`;
}

/**
 * Conflicts recorded after `afterId`, by table and winner; at most `limit` rows of the log are read. Both sides log
 * each conflict (each detects it when the other's version arrives); it is counted once, on the side where the
 * winning version arrived (`winner` = the incoming row's origin). `last_id` covers every row read.
 */
export function conflictsSinceSql(engine: Side, schema: string, table: string, afterId: string, limit: number): string {
    const after = /^\d+$/.test(afterId) ? afterId : "0";
    const origin = BOOKKEEPING.origin;
    if (engine === "mysql") {
        return `SELECT table_name, winner, SUM(counted) AS n, MAX(id) AS last_id FROM (SELECT id, table_name, winner, winner = JSON_UNQUOTE(JSON_EXTRACT(incoming_row, '$.${origin}')) AS counted FROM ${q(table)} WHERE id > ${after} ORDER BY id LIMIT ${limit}) recent GROUP BY table_name, winner`;
    }
    return `SELECT table_name, winner, SUM(counted) AS n, MAX(id) AS last_id FROM (SELECT id, table_name, winner, (winner = incoming_row->>${pgLiteral(origin)})::int AS counted FROM ${qi(schema)}.${qi(table)} WHERE id > ${after} ORDER BY id LIMIT ${limit}) recent GROUP BY table_name, winner`;
}

/** Where the conflict log ends now: a restarted monitor counts from there (counters restart at 0). */
export function conflictsHighWaterSql(engine: Side, schema: string, table: string): string {
    return engine === "mysql"
        ? `SELECT COALESCE(MAX(id), 0) AS last_id FROM ${q(table)}`
        : `SELECT COALESCE(MAX(id), 0) AS last_id FROM ${qi(schema)}.${qi(table)}`;
}

/** The sync's replication slot: retained WAL, whether a reader is attached, and PostgreSQL's verdict on it. */
export function replicationSlotSql(slot: string): string {
    return `SELECT slot_name, active, wal_status, pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint AS retained_bytes, safe_wal_size FROM pg_replication_slots WHERE slot_name = ${pgLiteral(slot)}`;
}

/**
 * Conflicts per table and winner over the whole log and the last hour, each counted once (on the side where the
 * winning version arrived, as conflictsSinceSql does): what `tandem status` shows.
 */
export function conflictTotalsSql(engine: Side, schema: string, table: string): string {
    const origin = BOOKKEEPING.origin;
    if (engine === "mysql") {
        return `SELECT table_name, winner, COUNT(*) AS total, SUM(detected_at > NOW(6) - INTERVAL 1 HOUR) AS last_hour FROM ${q(table)} WHERE winner = JSON_UNQUOTE(JSON_EXTRACT(incoming_row, '$.${origin}')) GROUP BY table_name, winner`;
    }
    return `SELECT table_name, winner, COUNT(*) AS total, COUNT(*) FILTER (WHERE detected_at > now() - interval '1 hour') AS last_hour FROM ${qi(schema)}.${qi(table)} WHERE winner = incoming_row->>${pgLiteral(origin)} GROUP BY table_name, winner`;
}
