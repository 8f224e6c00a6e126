// Pure: everything that must hold before a bidirectional sync can run, checked at preview and reported as
// one list. Input: what the catalogs say (database/catalog.ts).
import { appColumns, ColumnDef, TableDef } from "./model";

export interface PreflightInput {
    mysqlFlavor: "mariadb" | "mysql";
    mysqlSettings: Record<string, string>;
    postgresSettings: Record<string, string>;
    mysqlTables: TableDef[];
    postgresTables: TableDef[];
    tables: string[];
}

/** Type families that carry values across the engines (see docs/bidirectional.md for the mapping). */
export type TypeFamily = "boolean" | "integer" | "decimal" | "float" | "text" | "binary" | "date" | "time" | "datetime" | "timestamptz" | "json" | "uuid";

export function mysqlFamily(type: string): TypeFamily | undefined {
    const t = type.toLowerCase();
    if (/^tinyint\(1\)/.test(t) || /^bool/.test(t)) return "boolean";
    if (/^(tinyint|smallint|mediumint|int|integer|bigint)\b/.test(t)) return "integer";
    if (/^(decimal|numeric)\b/.test(t)) return "decimal";
    if (/^(float|double|real)\b/.test(t)) return "float";
    if (/^(char|varchar|tinytext|text|mediumtext|longtext|enum|set)\b/.test(t)) return "text";
    if (/^(json)\b/.test(t)) return "json";
    if (/^(binary|varbinary|tinyblob|blob|mediumblob|longblob)\b/.test(t)) return "binary";
    if (/^date$/.test(t)) return "date";
    if (/^time\b/.test(t)) return "time";
    if (/^datetime\b/.test(t)) return "datetime";
    if (/^timestamp\b/.test(t)) return "timestamptz";
    if (/^uuid\b/.test(t)) return "uuid";
    return undefined;
}

export function postgresFamily(type: string): TypeFamily | undefined {
    const t = type.toLowerCase();
    if (t === "boolean") return "boolean";
    if (/^(smallint|integer|bigint)$/.test(t)) return "integer";
    if (/^numeric(\(\d+(,\s*\d+)?\))?$/.test(t)) return "decimal";
    if (/^(real|double precision)$/.test(t)) return "float";
    if (/^(character varying|character|text)\b/.test(t)) return "text";
    if (/^jsonb?$/.test(t)) return "json";
    if (t === "bytea") return "binary";
    if (t === "date") return "date";
    if (/^time( \(\d\))?( without time zone)?$/.test(t) || /^time\(\d\) without time zone$/.test(t)) return "time";
    if (/^timestamp(\(\d\))? without time zone$/.test(t)) return "datetime";
    if (/^timestamp(\(\d\))? with time zone$/.test(t)) return "timestamptz";
    if (t === "uuid") return "uuid";
    // Any other plain type name is taken for a user-defined enum, which travels as text.
    if (/^"?[a-z_][a-z0-9_]*"?$/.test(t) && !KNOWN_PG.includes(t)) return "text";
    return undefined;
}

const KNOWN_PG = ["numeric", "money", "interval", "inet", "cidr", "xml", "point", "tsvector", "oid"];

// uuid travels as text; a MySQL CHAR(36) may face a PostgreSQL uuid.
const COMPATIBLE: Record<TypeFamily, TypeFamily[]> = {
    boolean: ["boolean"],
    integer: ["integer", "decimal"],
    decimal: ["decimal", "integer"],
    float: ["float"],
    text: ["text", "uuid", "json"],
    binary: ["binary"],
    date: ["date"],
    time: ["time"],
    datetime: ["datetime"],
    timestamptz: ["timestamptz"],
    json: ["json", "text"],
    uuid: ["uuid", "text"],
};

function columnProblems(table: string, mysqlColumns: ColumnDef[], postgresColumns: ColumnDef[]): string[] {
    const problems: string[] = [];
    const pgByName = new Map(postgresColumns.map((column) => [column.name, column]));
    for (const column of mysqlColumns) {
        const other = pgByName.get(column.name);
        if (!other) {
            problems.push(`${table}.${column.name} exists in MySQL/MariaDB but not in PostgreSQL`);
            continue;
        }
        const left = mysqlFamily(column.type);
        const right = postgresFamily(other.type);
        if (!left) problems.push(`${table}.${column.name}: MySQL type ${column.type} is not supported by the sync`);
        else if (!right) problems.push(`${table}.${column.name}: PostgreSQL type ${other.type} is not supported by the sync`);
        else if (!COMPATIBLE[left].includes(right)) {
            problems.push(`${table}.${column.name}: MySQL ${column.type} and PostgreSQL ${other.type} do not carry the same values`);
        }
        if (right === "decimal" && /^numeric$/i.test(other.type)) {
            problems.push(`${table}.${column.name}: give the PostgreSQL numeric a precision (numeric without one is mapped lossily)`);
        }
    }
    const mysqlNames = mysqlColumns.map((column) => column.name);
    for (const column of postgresColumns) {
        if (!mysqlNames.includes(column.name)) problems.push(`${table}.${column.name} exists in PostgreSQL but not in MySQL/MariaDB`);
    }
    return problems;
}

function keyProblems(table: string, mysqlTable: TableDef, postgresTable: TableDef): string[] {
    const problems: string[] = [];
    if (mysqlTable.primaryKey.length === 0) problems.push(`${table} has no primary key in MySQL/MariaDB`);
    if (postgresTable.primaryKey.length === 0) problems.push(`${table} has no primary key in PostgreSQL`);
    if (problems.length === 0 && [...mysqlTable.primaryKey].sort().join(",") !== [...postgresTable.primaryKey].sort().join(",")) {
        problems.push(`${table}: primary keys differ (MySQL/MariaDB ${mysqlTable.primaryKey.join(", ")}; PostgreSQL ${postgresTable.primaryKey.join(", ")})`);
    }
    // Concurrent inserts on both sides must never produce the same key.
    for (const name of mysqlTable.primaryKey) {
        const mine = mysqlTable.columns.find((column) => column.name === name)?.generated;
        const theirs = postgresTable.columns.find((column) => column.name === name)?.generated;
        if (!mine && !theirs) continue;
        const step = mine?.step ?? theirs?.step ?? 1;
        if (!mine || !theirs || mine.step < 2 || theirs.step !== mine.step || mod(mine.offset, step) === mod(theirs.offset, step)) {
            problems.push(
                `${table}.${name}: keys generated on both sides must be disjoint — set MySQL auto_increment_increment = N ≥ 2 and ` +
                    `auto_increment_offset = a, and the PostgreSQL sequence to INCREMENT BY N with a start ≠ a (mod N) ` +
                    `(now MySQL ${mine ? `step ${mine.step} offset ${mine.offset}` : "not generated"}, PostgreSQL ${theirs ? `step ${theirs.step} start ${theirs.offset}` : "not generated"})`,
            );
        }
    }
    return problems;
}

function mod(a: number, n: number): number {
    return ((a % n) + n) % n;
}

/** Every reason the sync cannot run as configured; empty when it can. */
export function preflight(input: PreflightInput): string[] {
    const problems: string[] = [];
    const my = input.mysqlSettings;
    if (!/^(on|1)$/i.test(my.log_bin ?? "")) problems.push("MySQL/MariaDB: the binary log is off (log_bin)");
    if ((my.binlog_format ?? "").toUpperCase() !== "ROW") problems.push(`MySQL/MariaDB: binlog_format must be ROW (is ${my.binlog_format ?? "unknown"})`);
    if ((my.binlog_row_image ?? "").toUpperCase() !== "FULL") problems.push(`MySQL/MariaDB: binlog_row_image must be FULL (is ${my.binlog_row_image ?? "unknown"})`);
    if (input.mysqlFlavor === "mariadb" && /^(on|1)$/i.test(my.log_bin_compress ?? "")) problems.push("MariaDB: log_bin_compress must be OFF");
    const pg = input.postgresSettings;
    if (pg.wal_level !== "logical") problems.push(`PostgreSQL: wal_level must be logical (is ${pg.wal_level ?? "unknown"})`);
    if (Number(pg.max_replication_slots ?? 0) < 1) problems.push("PostgreSQL: max_replication_slots must be at least 1");
    if (Number(pg.max_wal_senders ?? 0) < 1) problems.push("PostgreSQL: max_wal_senders must be at least 1");

    for (const name of input.tables) {
        const mysqlTable = input.mysqlTables.find((table) => table.name === name);
        const postgresTable = input.postgresTables.find((table) => table.name === name);
        if (!mysqlTable) problems.push(`${name} does not exist in MySQL/MariaDB`);
        if (!postgresTable) problems.push(`${name} does not exist in PostgreSQL`);
        if (!mysqlTable || !postgresTable) continue;
        problems.push(...keyProblems(name, mysqlTable, postgresTable));
        problems.push(...columnProblems(name, appColumns(mysqlTable), appColumns(postgresTable)));
    }
    return problems;
}

/** Tables selected by an explicit list, or by include/exclude patterns (`*` wildcards) over the catalog. */
export function selectTables(catalog: string[], selection: { tables?: string[]; include?: string[]; exclude?: string[] }): string[] {
    if (selection.tables && selection.tables.length > 0) return selection.tables;
    const toRegex = (pattern: string) => new RegExp(`^${pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
    const include = (selection.include ?? ["*"]).map(toRegex);
    const exclude = (selection.exclude ?? []).map(toRegex);
    return catalog
        .filter((name) => !name.startsWith("_tandem_"))
        .filter((name) => include.some((pattern) => pattern.test(name)) && !exclude.some((pattern) => pattern.test(name)))
        .sort();
}
