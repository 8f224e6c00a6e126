// Pure: the SQL of a load test. Its own table pair (created and removed by the command), and the arrival log:
// a trigger in the receiving database records, for each row version the sync writes, the database's own
// clock at that moment, so that latency is commit→visible measured inside the receiving database (not by a
// client polling). Versions carry their write time already (`_tandem_version`, µs since the epoch).
import { BOOKKEEPING, syncNames } from "../core/model";
import { fitIdentifier, postgresTableFunction, tombstoneTable } from "../core/names";
import { literal, q } from "../sql/mysqlSql";
import { pgLiteral, qi } from "../sql/postgresSql";

export const LOADTEST_TABLE = "tandem_loadtest";
export const ARRIVALS_TABLE = "tandem_loadtest_arrivals";
const { origin: O, version: V } = BOOKKEEPING;

/** The command's own table pair: 6 columns, like a typical row of the legacy app. */
export function loadtestTableSql(schema: string): { mysql: string[]; postgres: string[] } {
    return {
        mysql: [
            `CREATE TABLE IF NOT EXISTS ${q(LOADTEST_TABLE)} (
  id BIGINT NOT NULL PRIMARY KEY, side VARCHAR(8) NOT NULL, seq INT NOT NULL, payload VARCHAR(200) NOT NULL,
  amount DECIMAL(12,2) NOT NULL, updated_at DATETIME(6) NOT NULL)`,
        ],
        postgres: [
            `CREATE TABLE IF NOT EXISTS ${qi(schema)}.${qi(LOADTEST_TABLE)} (
  id bigint PRIMARY KEY, side varchar(8) NOT NULL, seq integer NOT NULL, payload varchar(200) NOT NULL,
  amount numeric(12,2) NOT NULL, updated_at timestamp(6) NOT NULL)`,
        ],
    };
}

/**
 * Drops the own table pair and what the sync added for it: its tombstone tables and PostgreSQL's per-table
 * functions (teardown removes them too, but only when the stack tears down).
 */
export function dropLoadtestTableSql(schema: string, prefix: string): { mysql: string[]; postgres: string[] } {
    const tombstone = tombstoneTable(LOADTEST_TABLE);
    const { functionPrefix } = syncNames(prefix);
    return {
        mysql: [`DROP TABLE IF EXISTS ${q(LOADTEST_TABLE)}`, `DROP TABLE IF EXISTS ${q(tombstone)}`],
        postgres: [
            `DROP TABLE IF EXISTS ${qi(schema)}.${qi(LOADTEST_TABLE)}`,
            `DROP TABLE IF EXISTS ${qi(schema)}.${qi(tombstone)}`,
            ...["apply_delete", "cascade"].map(
                (kind) => `DROP FUNCTION IF EXISTS ${qi(schema)}.${qi(postgresTableFunction(functionPrefix, kind, LOADTEST_TABLE))}()`,
            ),
        ],
    };
}

function triggerName(table: string, kind: string): string {
    return fitIdentifier(`tandem_lt_${kind}__${table}`);
}

/**
 * MySQL/MariaDB side: rows the PostgreSQL side wrote, as the sink applies them. SYSDATE(6) is the time of the
 * write itself (NOW(6) would be the statement's start). A losing version (the triggers keep the current row)
 * logs the current version again; readers keep each version's first arrival.
 */
export function mysqlArrivalSql(table: string, key: string[]): { setup: string[]; teardown: string[] } {
    const log = (row: string) =>
        `IF ${row}.${q(O)} = 'postgres' THEN INSERT INTO ${q(ARRIVALS_TABLE)} (row_key, version, arrived) VALUES (CONCAT_WS('|', ${key
            .map((column) => `${row}.${q(column)}`)
            .join(", ")}), ${row}.${q(V)}, CAST(UNIX_TIMESTAMP(SYSDATE(6)) * 1000000 AS SIGNED)); END IF`;
    const insert = triggerName(table, "ai");
    const update = triggerName(table, "au");
    return {
        setup: [
            `CREATE TABLE IF NOT EXISTS ${q(ARRIVALS_TABLE)} (n BIGINT AUTO_INCREMENT PRIMARY KEY, row_key VARCHAR(255) NOT NULL, version BIGINT NOT NULL, arrived BIGINT NOT NULL)`,
            `DELETE FROM ${q(ARRIVALS_TABLE)}`,
            `DROP TRIGGER IF EXISTS ${q(insert)}`,
            `DROP TRIGGER IF EXISTS ${q(update)}`,
            `CREATE TRIGGER ${q(insert)} AFTER INSERT ON ${q(table)} FOR EACH ROW ${log("NEW")}`,
            `CREATE TRIGGER ${q(update)} AFTER UPDATE ON ${q(table)} FOR EACH ROW ${log("NEW")}`,
        ],
        teardown: [
            `DROP TRIGGER IF EXISTS ${q(insert)}`,
            `DROP TRIGGER IF EXISTS ${q(update)}`,
            `DROP TABLE IF EXISTS ${q(ARRIVALS_TABLE)}`,
        ],
    };
}

/**
 * PostgreSQL side: rows the MySQL side wrote. clock_timestamp() is the time of the write; the trigger fires
 * ALWAYS because the sink's sessions run as a replica (session_replication_role), and it is SECURITY DEFINER
 * because the sink's role may not write the log. Losing versions never reach AFTER triggers here.
 */
export function postgresArrivalSql(schema: string, table: string, key: string[]): { setup: string[]; teardown: string[] } {
    const s = qi(schema);
    const fn = `${s}.${qi(triggerName(table, "fn"))}`;
    const trigger = qi(triggerName(table, "arrive"));
    const t = `${s}.${qi(table)}`;
    return {
        setup: [
            `CREATE TABLE IF NOT EXISTS ${s}.${qi(ARRIVALS_TABLE)} (n bigserial PRIMARY KEY, row_key text NOT NULL, version bigint NOT NULL, arrived bigint NOT NULL)`,
            `DELETE FROM ${s}.${qi(ARRIVALS_TABLE)}`,
            `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${pgLiteral(schema)} AS $fn$
BEGIN
  INSERT INTO ${s}.${qi(ARRIVALS_TABLE)} (row_key, version, arrived)
  VALUES (concat_ws('|', ${key.map((column) => `NEW.${qi(column)}`).join(", ")}), NEW.${qi(V)}, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint);
  RETURN NULL;
END $fn$`,
            `DROP TRIGGER IF EXISTS ${trigger} ON ${t}`,
            `CREATE TRIGGER ${trigger} AFTER INSERT OR UPDATE ON ${t} FOR EACH ROW WHEN (NEW.${qi(O)} = 'mysql') EXECUTE FUNCTION ${fn}()`,
            `ALTER TABLE ${t} ENABLE ALWAYS TRIGGER ${trigger}`,
        ],
        teardown: [
            `DROP TRIGGER IF EXISTS ${trigger} ON ${t}`,
            `DROP FUNCTION IF EXISTS ${fn}()`,
            `DROP TABLE IF EXISTS ${s}.${qi(ARRIVALS_TABLE)}`,
        ],
    };
}

/** Latencies of the logged arrivals (each version's first), in microseconds. */
export function arrivalLatencySql(engine: "mysql" | "postgres", schema: string): string {
    const table = engine === "mysql" ? q(ARRIVALS_TABLE) : `${qi(schema)}.${qi(ARRIVALS_TABLE)}`;
    return `SELECT MIN(arrived) - version AS latency FROM ${table} GROUP BY row_key, version`;
}

/** Every row's key and version, to compare both sides row by row (equal versions: equal rows, the sync's invariant). */
export function versionsSql(engine: "mysql" | "postgres", schema: string, table: string, key: string[]): string {
    if (engine === "mysql") {
        return `SELECT CONCAT_WS('|', ${key.map(q).join(", ")}) AS k, ${q(V)} AS v FROM ${q(table)}`;
    }
    return `SELECT concat_ws('|', ${key.map(qi).join(", ")}) AS k, ${qi(V)} AS v FROM ${qi(schema)}.${qi(table)}`;
}

/** Rows of the sync's conflict table that name `table`. */
export function conflictCountSql(engine: "mysql" | "postgres", schema: string, conflictsTable: string, table: string): string {
    return engine === "mysql"
        ? `SELECT COUNT(*) AS n FROM ${q(conflictsTable)} WHERE table_name = ${literal(table)}`
        : `SELECT COUNT(*) AS n FROM ${qi(schema)}.${qi(conflictsTable)} WHERE table_name = ${pgLiteral(table)}`;
}

/** The own table's rows rendered the same way by both engines, to compare values and not only versions. */
export function ownRowsSql(engine: "mysql" | "postgres", schema: string): string {
    return engine === "mysql"
        ? `SELECT CONCAT_WS('|', id, side, seq, payload, amount, DATE_FORMAT(updated_at, '%Y-%m-%d %H:%i:%s.%f')) AS r FROM ${q(LOADTEST_TABLE)} ORDER BY id`
        : `SELECT concat_ws('|', id, side, seq, payload, amount, to_char(updated_at, 'YYYY-MM-DD HH24:MI:SS.US')) AS r FROM ${qi(schema)}.${qi(LOADTEST_TABLE)} ORDER BY id`;
}

/** `id` and `seq` of the own table's rows whose key lies within the given keys' range (integers the run generated). */
export function ownSeqsSql(engine: "mysql" | "postgres", schema: string, ids: string[]): string {
    const numbers = ids.map(Number);
    if (numbers.some((id) => !Number.isSafeInteger(id))) throw new Error("the own table's keys are integers");
    const range = `id BETWEEN ${Math.min(...numbers)} AND ${Math.max(...numbers)}`;
    return engine === "mysql"
        ? `SELECT id, seq FROM ${q(LOADTEST_TABLE)} WHERE ${range}`
        : `SELECT id, seq FROM ${qi(schema)}.${qi(LOADTEST_TABLE)} WHERE ${range}`;
}
