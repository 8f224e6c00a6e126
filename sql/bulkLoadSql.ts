// Pure builders for `tandem load`, the bulk initial load MySQL/MariaDB → PostgreSQL (docs/bidirectional.md,
// "Initial load"): keyset-paged chunk reads on MySQL whose text PostgreSQL's COPY takes as the streaming path
// would write it, a staging table, and the version-aware merge that never lets a copy overwrite what the
// stream brought since (newer versions, deletes).
import { appColumns, BOOKKEEPING, ColumnDef, TableDef } from "../core/model";
import { mysqlFamily, postgresFamily, TypeFamily } from "../core/columnTypes";
import { q } from "./mysqlSql";
import { qi } from "./postgresSql";

const { version: V } = BOOKKEEPING;

/** One copied column: the MySQL expression rendering its value as a field of PostgreSQL's COPY text format. */
export interface BulkColumn {
    name: string;
    /** Never NULL: `\N` for NULL, text escaped (backslash, tab, newline, carriage return), bytes as `\\x…`. */
    field: string;
}

export interface BulkPlan {
    table: string;
    columns: BulkColumn[];
    primaryKey: string[];
    /** Key columns that are binary in MySQL: the resume position keeps their bytes as hex. */
    binaryKeys: string[];
}

/** A column the bulk path cannot carry faithfully: that table needs Debezium's snapshot instead. */
export interface BulkRefusal {
    column: string;
    reason: string;
}

function zeroDateToNull(column: string): string {
    // Zero dates and dates with a zero month or day travel as NULL, as LegacyValueConverter sends them.
    return `CASE WHEN ${column} IS NULL OR MONTH(${column}) = 0 OR DAYOFMONTH(${column}) = 0 THEN NULL ELSE ${column} END`;
}

// MySQL string literals (the reader's session runs without NO_BACKSLASH_ESCAPES): '\\' is one backslash.
const NULL_FIELD = String.raw`'\\N'`;

/** COPY's text escapes, done by MySQL: far cheaper there than parsing every value in the loader. */
function escapedText(expression: string): string {
    return String.raw`REPLACE(REPLACE(REPLACE(REPLACE(CONVERT(${expression} USING utf8mb4), '\\', '\\\\'), '\t', '\\t'), '\n', '\\n'), '\r', '\\r')`;
}

function fieldFor(mysql: ColumnDef, family: TypeFamily): string {
    const column = q(mysql.name);
    const orNull = (expression: string) => `IFNULL(${expression}, ${NULL_FIELD})`;
    switch (family) {
        case "boolean":
            // BIT(1) is a byte; TINYINT(1) stays a number: 0/1 become false/true, any other number is refused by a
            // boolean column and so takes the streaming path (and its quarantine), as it would there.
            return orNull(/^bit/i.test(mysql.type) ? `CAST(${column} AS UNSIGNED)` : column);
        case "float":
            // MySQL prints FLOAT with 6 digits; as DOUBLE it is the exact binary value Debezium carries.
            return orNull(/^float/i.test(mysql.type) ? `CAST(${column} AS DOUBLE)` : column);
        case "binary":
            return orNull(String.raw`CONCAT('\\\\x', HEX(${column}))`);
        case "date":
        case "datetime":
        case "timestamptz":
            return orNull(zeroDateToNull(column));
        case "text":
        case "json":
        case "uuid":
            // Text, ENUM/SET labels, JSON, UUID text: MySQL's text is PostgreSQL's input, once escaped.
            return orNull(escapedText(column));
        default:
            // Integers, decimals, TIME: digits, signs, points and colons need no escaping.
            return orNull(column);
    }
}

/**
 * What `tandem load` copies of a table pair: every application column PostgreSQL does not compute, plus the
 * bookkeeping (the copy carries MySQL's versions, so the merge can compare them). Refusals name each column
 * whose values the bulk path cannot render the way the streaming path writes them.
 */
export function bulkPlan(mysqlTable: TableDef, postgresTable: TableDef): { plan?: BulkPlan; refusals: BulkRefusal[] } {
    const refusals: BulkRefusal[] = [];
    const columns: BulkColumn[] = [];
    for (const column of appColumns(mysqlTable)) {
        const other = postgresTable.columns.find((candidate) => candidate.name === column.name);
        if (!other) {
            refusals.push({ column: column.name, reason: "no such column in PostgreSQL" });
            continue;
        }
        if (column.computed || other.computed) continue; // each side computes its own
        const family = mysqlFamily(column.type);
        const target = postgresFamily(other.type, other.enumValues);
        if (!family || !target) {
            refusals.push({ column: column.name, reason: `${column.type} → ${other.type} has no bulk rendering` });
            continue;
        }
        if (family === "binary" && target !== "binary") {
            refusals.push({ column: column.name, reason: `${column.type} → ${other.type}: binary into a non-binary column` });
            continue;
        }
        columns.push({ name: column.name, field: fieldFor(column, family) });
    }
    for (const name of Object.values(BOOKKEEPING))
        columns.push({ name, field: fieldFor({ name, type: "", nullable: false }, name === BOOKKEEPING.origin ? "text" : "integer") });
    if (refusals.length > 0) return { refusals };
    const binaryKeys = mysqlTable.primaryKey.filter((name) => {
        const column = mysqlTable.columns.find((candidate) => candidate.name === name);
        return column !== undefined && mysqlFamily(column.type) === "binary";
    });
    return { plan: { table: mysqlTable.name, columns, primaryKey: mysqlTable.primaryKey, binaryKeys }, refusals };
}

/**
 * The next chunk in key order after `after` (none: from the start): each row's COPY line first, then its key
 * columns (the resume position). The keyset condition is spelled out (`a > ? OR (a = ? AND b > ?)`) so that
 * every MySQL version reads it as a range of the primary key.
 */
export function mysqlChunkQuery(
    database: string,
    plan: BulkPlan,
    after: unknown[] | undefined,
    limit: number,
): { sql: string; params: unknown[] } {
    const key = plan.primaryKey;
    const params: unknown[] = [];
    let where = "";
    if (after) {
        const branches = key.map((column, index) => {
            const equal = key.slice(0, index).map((previous, j) => {
                params.push(after[j]);
                return `${q(previous)} = ?`;
            });
            params.push(after[index]);
            return `(${[...equal, `${q(column)} > ?`].join(" AND ")})`;
        });
        where = ` WHERE ${branches.join(" OR ")}`;
    }
    // Binary key columns come back as hex (every value is read as text); keyValues turns them into bytes.
    const line = String.raw`CONCAT_WS('\t', ${plan.columns.map((column) => column.field).join(", ")})`;
    const select = [line, ...key.map((name) => (plan.binaryKeys.includes(name) ? `HEX(${q(name)})` : q(name)))].join(", ");
    const order = key.map(q).join(", ");
    return { sql: `SELECT ${select} FROM ${q(database)}.${q(plan.table)}${where} ORDER BY ${order} LIMIT ${Math.floor(limit)}`, params };
}

/** The key of a row read by mysqlChunkQuery (the trailing columns), binary key columns as bytes. */
export function keyValues(plan: BulkPlan, row: unknown[]): unknown[] {
    return plan.primaryKey.map((name, index) => {
        const value = row[1 + index];
        return plan.binaryKeys.includes(name) && typeof value === "string" ? Buffer.from(value, "hex") : value;
    });
}

/** A WHERE condition selecting these keys in MySQL (for the stream to carry rows PostgreSQL refused in bulk). */
export function mysqlKeysCondition(plan: BulkPlan, keys: unknown[][], literal: (value: unknown) => string): string {
    const columns = plan.primaryKey.map(q);
    const tuple = (values: unknown[]) => values.map(literal).join(", ");
    if (columns.length === 1) return `${columns[0]} IN (${keys.map(tuple).join(", ")})`;
    return `(${columns.join(", ")}) IN (${keys.map((values) => `(${tuple(values)})`).join(", ")})`;
}

/** The chunk's staging table: the target's copied columns with their types, emptied at every commit. */
export function postgresStagingSql(schema: string, plan: BulkPlan, stage: string): string {
    const columns = plan.columns.map((column) => qi(column.name)).join(", ");
    return `CREATE TEMP TABLE IF NOT EXISTS ${qi(stage)} ON COMMIT DELETE ROWS AS SELECT ${columns} FROM ${qi(schema)}.${qi(plan.table)} WITH NO DATA`;
}

export function postgresCopySql(plan: BulkPlan, stage: string): string {
    return `COPY ${qi(stage)} (${plan.columns.map((column) => qi(column.name)).join(", ")}) FROM STDIN`;
}

/**
 * The merge of a staged chunk, after `LOCK TABLE <tombstones> IN SHARE MODE` in the same transaction (no
 * delete can commit between its check and the merge's). A copied version is skipped when the stream has
 * deleted it or a newer one already; otherwise it is upserted, and the tables' trigger keeps what the stream
 * brought when that is newer (a copy is an old version arriving late: docs/bidirectional.md, Conflicts).
 */
export function postgresMergeSql(schema: string, plan: BulkPlan, stage: string, tombstones: string): string {
    const s = qi(schema);
    const columns = plan.columns.map((column) => qi(column.name));
    const keyMatch = plan.primaryKey.map((name) => `d.${qi(name)} = s.${qi(name)}`).join(" AND ");
    const updates = plan.columns
        .filter((column) => !plan.primaryKey.includes(column.name))
        .map((column) => `${qi(column.name)} = EXCLUDED.${qi(column.name)}`);
    return `INSERT INTO ${s}.${qi(plan.table)} (${columns.join(", ")})
SELECT ${columns.map((column) => `s.${column}`).join(", ")} FROM ${qi(stage)} s
WHERE NOT EXISTS (SELECT 1 FROM ${s}.${qi(tombstones)} d WHERE ${keyMatch} AND d.${qi(V)} >= s.${qi(V)})
ON CONFLICT (${plan.primaryKey.map(qi).join(", ")}) DO UPDATE SET ${updates.join(", ")}`;
}

export function postgresLockTombstonesSql(schema: string, tombstones: string): string {
    return `LOCK TABLE ${qi(schema)}.${qi(tombstones)} IN SHARE MODE`;
}
