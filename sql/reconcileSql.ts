// Pure: the SQL of `tandem reconcile` — each value in a canonical text form both engines produce identically for
// the type mapping of docs/bidirectional.md, a row's text and its 60-bit hash, segment checksums (count + sum of
// hashes: order-independent), keyset ranges in an order both engines agree on, and the repairs.
import { BOOKKEEPING } from "../core/model";
import { MysqlFlavor, Side } from "../core/vocabulary";
import { q } from "./mysqlSql";
import { qi } from "./postgresSql";

/** How a column's values are compared: the canonical text each engine renders for it. */
export type CanonicalKind =
    | "integer"
    | "decimal"
    | "boolean"
    | "float8"
    | "float4"
    | "text"
    | "uuid"
    | "binary"
    | "date"
    | "time"
    | "datetime"
    | "timestamptz"
    | "json";

export interface CanonicalColumn {
    name: string;
    kind: CanonicalKind;
    /** Digits after the point (decimal): the smaller of the two sides'. */
    scale?: number;
    /** A key whose equality ignores case (MySQL `_ci` collation): two spellings are one row. */
    caseInsensitive?: boolean;
}

export interface ReconcileTable {
    name: string;
    /** The primary key, in order. */
    key: CanonicalColumn[];
    /** The application's other columns compared (bookkeeping and computed columns left out). */
    columns: CanonicalColumn[];
}

export interface Engine {
    side: Side;
    flavor?: MysqlFlavor;
    /** PostgreSQL schema. */
    schema: string;
}

/** Significant digits floats are compared at (docs/bidirectional.md, Reconciliation). */
export const FLOAT_DIGITS = { float8: 14, float4: 6 } as const;

const qn = (engine: Engine, name: string) => (engine.side === "mysql" ? q(name) : qi(name));
export const tableRef = (engine: Engine, table: string) => (engine.side === "mysql" ? q(table) : `${qi(engine.schema)}.${qi(table)}`);

function floatText(engine: Engine, column: string, digits: number): string {
    const shift = digits - 1;
    if (engine.side === "mysql") {
        const exponent = `FLOOR(LOG10(ABS(${column})))`;
        return `IF(${column} = 0, '0', CONCAT(CAST(ROUND(${column} / POW(10, ${exponent} - ${shift})) AS DECIMAL(30,0)), 'e', CAST(${exponent} AS SIGNED)))`;
    }
    const value = `${column}::float8`;
    const exponent = `floor(log(abs(${value})))`;
    return `CASE WHEN ${value} = 0 THEN '0' WHEN ${value} IN ('NaN', 'Infinity', '-Infinity') THEN ${value}::text ELSE (round(${value} / power(10::float8, ${exponent} - ${shift}))::numeric(30,0))::text || 'e' || (${exponent})::bigint::text END`;
}

/** The canonical text of one value (NULL stays NULL; MySQL's zero dates are NULL, as the sync maps them). */
export function canonicalSql(engine: Engine, column: CanonicalColumn, alias = ""): string {
    const c = `${alias}${qn(engine, column.name)}`;
    const my = engine.side === "mysql";
    switch (column.kind) {
        case "integer":
            return my ? `CAST(${c} AS CHAR)` : `${c}::text`;
        case "boolean":
            return my ? `CAST(${c} + 0 AS CHAR)` : `CASE WHEN ${c} IS NULL THEN NULL WHEN ${c} THEN '1' ELSE '0' END`;
        case "decimal":
            return my ? `CAST(CAST(${c} AS DECIMAL(65,${column.scale ?? 0})) AS CHAR)` : `round(${c}::numeric, ${column.scale ?? 0})::text`;
        case "float8":
        case "float4":
            return floatText(engine, c, FLOAT_DIGITS[column.kind]);
        case "text":
        case "json":
            // "C": a nondeterministic (case-insensitive) collation refuses the escaping's replace().
            return my ? `CONVERT(${c} USING utf8mb4)` : `(${c}::text COLLATE "C")`;
        case "uuid":
            return my ? `LOWER(CONVERT(${c} USING utf8mb4))` : `lower(${c}::text)`;
        case "binary":
            return my ? `LOWER(HEX(${c}))` : `encode(${c}, 'hex')`;
        case "date":
            return my ? `IF(${c} = '0000-00-00', NULL, DATE_FORMAT(${c}, '%Y-%m-%d'))` : `to_char(${c}, 'YYYY-MM-DD')`;
        case "time":
            return my ? `TIME_FORMAT(${c}, '%H:%i:%s.%f')` : `to_char(${c}, 'HH24:MI:SS.US')`;
        case "datetime":
            return my
                ? `IF(${c} = '0000-00-00 00:00:00', NULL, DATE_FORMAT(${c}, '%Y-%m-%d %H:%i:%s.%f'))`
                : `to_char(${c}, 'YYYY-MM-DD HH24:MI:SS.US')`;
        case "timestamptz":
            // The MySQL session runs in UTC (reconcile/databases.ts): TIMESTAMP values read as UTC.
            return my
                ? `IF(${c} = '0000-00-00 00:00:00', NULL, DATE_FORMAT(${c}, '%Y-%m-%d %H:%i:%s.%f'))`
                : `to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')`;
    }
}

const STRINGY: CanonicalKind[] = ["text", "uuid", "json"];

/**
 * A row's text: each text value prefixed with `v` and its `|` doubled, NULL as `N` (distinct from ''), joined by `|` — no two
 * rows share a text, and each value is computed once (a length prefix would compute it twice).
 */
export function rowTextSql(engine: Engine, table: ReconcileTable): string {
    const parts = [...table.key, ...table.columns].map((column) => {
        const text = canonicalSql(engine, column);
        // Only text can hold `|`, or be empty or `N`: the other kinds' canonical texts need no marking.
        if (!STRINGY.includes(column.kind)) return engine.side === "mysql" ? `IFNULL(${text}, 'N')` : `coalesce(${text}, 'N')`;
        return engine.side === "mysql"
            ? `IFNULL(CONCAT('v', REPLACE(${text}, '|', '||')), 'N')`
            : `coalesce('v' || replace(${text}, '|', '||'), 'N')`;
    });
    return engine.side === "mysql" ? `CONCAT_WS('|', ${parts.join(", ")})` : `concat_ws('|', ${parts.join(", ")})`;
}

/** The row's 60-bit hash (the first 15 hex digits of its MD5), a number both engines sum exactly. */
export function rowHashSql(engine: Engine, table: ReconcileTable): string {
    const text = rowTextSql(engine, table);
    return engine.side === "mysql"
        ? `CAST(CONV(LEFT(MD5(${text}), 15), 16, 10) AS UNSIGNED)`
        : `('x' || left(md5(${text}), 15))::bit(60)::bigint`;
}

/** A key column as ordered for segments: strings by code point (binary UTF-8), everything else natively. */
export function keyOrderSql(engine: Engine, column: CanonicalColumn): string {
    const c = qn(engine, column.name);
    if (!STRINGY.includes(column.kind)) return c;
    if (engine.side === "postgres") return `${c}::text COLLATE "C"`;
    const binary = engine.flavor === "mysql" ? "utf8mb4_0900_bin" : "utf8mb4_nopad_bin";
    return `${column.kind === "uuid" ? `LOWER(CONVERT(${c} USING utf8mb4))` : `CONVERT(${c} USING utf8mb4)`} COLLATE ${binary}`;
}

/** A placeholder for the n-th parameter (1-based). */
const param = (engine: Engine, n: number) => (engine.side === "mysql" ? "?" : `$${n}`);

/** Keys after `after` (exclusive) up to `upTo` (inclusive), as a WHERE condition over parameters (in that order). */
export function rangeWhereSql(engine: Engine, key: CanonicalColumn[], bounds: { after: boolean; upTo: boolean }): string {
    const tuple = (columns: string[]) => (columns.length === 1 ? columns[0] : `(${columns.join(", ")})`);
    const ordered = tuple(key.map((column) => keyOrderSql(engine, column)));
    const conditions: string[] = [];
    let n = 1;
    const params = () => tuple(key.map(() => param(engine, n++)));
    if (bounds.after) conditions.push(`${ordered} > ${params()}`);
    if (bounds.upTo) conditions.push(`${ordered} <= ${params()}`);
    return conditions.length ? conditions.join(" AND ") : "1 = 1";
}

export function orderBySql(engine: Engine, key: CanonicalColumn[]): string {
    return key.map((column) => keyOrderSql(engine, column)).join(", ");
}

/** Count and sum of row hashes of one segment: equal on both sides means the same rows (up to a 2^-60 chance). */
export function segmentChecksumSql(engine: Engine, table: ReconcileTable, bounds: { after: boolean; upTo: boolean }): string {
    const where = rangeWhereSql(engine, table.key, bounds);
    const from = tableRef(engine, table.name);
    return engine.side === "mysql"
        ? `SELECT COUNT(*) AS n, CAST(COALESCE(SUM(h), 0) AS CHAR) AS s FROM (SELECT ${rowHashSql(engine, table)} AS h FROM ${from} WHERE ${where}) x`
        : `SELECT count(*) AS n, coalesce(sum(h), 0)::text AS s FROM (SELECT ${rowHashSql(engine, table)} AS h FROM ${from} WHERE ${where}) x`;
}

/** The key (canonical texts `k0…`) `offset` rows into a segment, in key order: a split point. */
export function splitPointSql(engine: Engine, table: ReconcileTable, bounds: { after: boolean; upTo: boolean }, offset: number): string {
    const keys = table.key.map((column, index) => `${canonicalSql(engine, column)} AS k${index}`).join(", ");
    return `SELECT ${keys} FROM ${tableRef(engine, table.name)} WHERE ${rangeWhereSql(engine, table.key, bounds)} ORDER BY ${orderBySql(engine, table.key)} LIMIT 1 OFFSET ${Math.max(0, Math.floor(offset))}`;
}

/** A single integer key's smallest and largest values and the row count (the first segments are value ranges). */
export function keySpanSql(engine: Engine, table: ReconcileTable): string {
    const k = qn(engine, table.key[0].name);
    const text = engine.side === "mysql" ? (x: string) => `CAST(${x} AS CHAR)` : (x: string) => `${x}::text`;
    return `SELECT ${text(`MIN(${k})`)} AS lo, ${text(`MAX(${k})`)} AS hi, COUNT(*) AS n FROM ${tableRef(engine, table.name)}`;
}

/** A leaf segment's rows: key texts, row text (hashed in memory), version, with the database's clock. */
export function leafRowsSql(engine: Engine, table: ReconcileTable, bounds: { after: boolean; upTo: boolean }): string {
    return `SELECT ${rowSelect(engine, table)} FROM ${tableRef(engine, table.name)} WHERE ${rangeWhereSql(engine, table.key, bounds)} ORDER BY ${orderBySql(engine, table.key)}`;
}

function rowSelect(engine: Engine, table: ReconcileTable): string {
    const keys = table.key.map((column, index) => `${canonicalSql(engine, column)} AS k${index}`);
    const values = table.columns.map((column, index) => `${canonicalSql(engine, column)} AS c${index}`);
    const version = `${qn(engine, BOOKKEEPING.version)} AS v`;
    const origin = `${qn(engine, BOOKKEEPING.origin)} AS o`;
    return [...keys, ...values, version, origin].join(", ");
}

/**
 * Rows of the given keys (`count` keys as parameters, binary ones as bytes), for the re-checks and the column diff.
 * The key columns are compared as they are, so that their index serves; callers match rows by canonical key.
 */
export function rowsByKeysSql(engine: Engine, table: ReconcileTable, count: number): string {
    let n = 1;
    const tuple = (items: string[]) => (items.length === 1 ? items[0] : `(${items.join(", ")})`);
    const nativeKey = tuple(table.key.map((column) => qn(engine, column.name)));
    const lists = Array.from({ length: count }, () => tuple(table.key.map(() => param(engine, n++))));
    return `SELECT ${rowSelect(engine, table)} FROM ${tableRef(engine, table.name)} WHERE ${nativeKey} IN (${lists.join(", ")})`;
}

/** The database's clock in microseconds since the epoch (the versions' clock). */
export function nowMicrosSql(engine: Engine): string {
    return engine.side === "mysql"
        ? "SELECT CAST(UNIX_TIMESTAMP(NOW(6)) * 1000000 AS SIGNED) AS now_us"
        : "SELECT (extract(epoch from clock_timestamp()) * 1000000)::bigint AS now_us";
}

/**
 * A repair that travels through the pipeline: the winning row rewritten as its application would (the triggers give
 * it a new version, the source forwards it), or the losing row deleted the same way (its tombstone travels).
 */
export function touchRowSql(engine: Engine, table: ReconcileTable): string {
    const column = qn(engine, (table.columns[0] ?? table.key[0]).name);
    return `UPDATE ${tableRef(engine, table.name)} SET ${column} = ${column} WHERE ${keyEqualsSql(engine, table)}`;
}

export function deleteRowSql(engine: Engine, table: ReconcileTable): string {
    return `DELETE FROM ${tableRef(engine, table.name)} WHERE ${keyEqualsSql(engine, table)}`;
}

function keyEqualsSql(engine: Engine, table: ReconcileTable): string {
    return table.key.map((column, index) => `${qn(engine, column.name)} = ${param(engine, index + 1)}`).join(" AND ");
}

/** The newest tombstone version of a key on one side (a delete there), if any. */
export function tombstoneVersionSql(engine: Engine, tombstone: string, table: ReconcileTable): string {
    return `SELECT MAX(${qn(engine, BOOKKEEPING.version)}) AS v FROM ${tableRef(engine, tombstone)} WHERE ${keyEqualsSql(engine, table)}`;
}

/** Where reconcile records its runs (read by the health monitor) and each repair: PostgreSQL, created on first use. */
export function reconcileLogSql(schema: string, runs: string, repairs: string, monitorRole: string): string[] {
    return [
        `CREATE TABLE IF NOT EXISTS ${qi(schema)}.${qi(runs)} (table_name text PRIMARY KEY, rows_compared bigint NOT NULL, differences bigint NOT NULL, unsettled bigint NOT NULL, finished_at timestamptz NOT NULL)`,
        `CREATE TABLE IF NOT EXISTS ${qi(schema)}.${qi(repairs)} (id bigserial PRIMARY KEY, table_name text NOT NULL, row_key jsonb NOT NULL, kind text NOT NULL, winner text NOT NULL, action text NOT NULL, columns jsonb, repaired_at timestamptz NOT NULL DEFAULT clock_timestamp())`,
        `DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${pgText(monitorRole)}) THEN EXECUTE ${pgText(`GRANT SELECT ON ${qi(schema)}.${qi(runs)} TO ${qi(monitorRole)}`)}; END IF; END $$`,
    ];
}

function pgText(value: string): string {
    return `'${value.replace(/'/g, "''")}'`;
}

/** The last run of each table, for the monitor (absent until reconcile ran once). */
export function reconcileRunsSql(schema: string, runs: string): string {
    return `SELECT table_name, differences, extract(epoch from finished_at)::float8 AS finished FROM ${qi(schema)}.${qi(runs)}`;
}

/**
 * Checksums of consecutive key buckets of a single integer key in one pass: bucket b holds keys
 * lo + b·width … lo + (b+1)·width − 1; the query covers buckets [first, first + count). Integers inlined (exact
 * integer arithmetic on both engines; they are ours, digits only).
 */
export function bucketChecksumsSql(engine: Engine, table: ReconcileTable, lo: bigint, width: bigint, first: number, count: number): string {
    const k = qn(engine, table.key[0].name);
    const from = tableRef(engine, table.name);
    const start = lo + BigInt(first) * width;
    const end = lo + BigInt(first + count) * width;
    const where = `${k} >= ${start} AND ${k} < ${end}`;
    if (engine.side === "mysql") {
        return `SELECT (${k} - ${lo}) DIV ${width} AS b, COUNT(*) AS n, CAST(SUM(${rowHashSql(engine, table)}) AS CHAR) AS s FROM ${from} WHERE ${where} GROUP BY b`;
    }
    return `SELECT (${k}::bigint - ${lo}) / ${width} AS b, count(*) AS n, sum(${rowHashSql(engine, table)})::text AS s FROM ${from} WHERE ${where} GROUP BY b`;
}
