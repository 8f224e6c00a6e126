// Test support: a column rendered as comparable text by each database, under the documented mapping. Values
// are compared as each database renders them; the few renderings the engines spell differently are
// normalized here (and only those): floats by value, JSON by value, booleans, hex case.

export type RenderKind =
    | "text"
    | "year"
    | "bool"
    | "hex"
    | "float4"
    | "float8"
    | "json"
    | "date"
    | "zerodate"
    | "zerodatetime"
    | "datetime6"
    | "time6"
    | "timestamptz6";

export interface RenderedColumn {
    name: string;
    kind: RenderKind;
}

const q = (name: string) => `\`${name.replace(/`/g, "``")}\``;
const qi = (name: string) => `"${name.replace(/"/g, '""')}"`;
const FMT_MY = "'%Y-%m-%d %H:%i:%s.%f'";
const FMT_PG = "'YYYY-MM-DD HH24:MI:SS.US'";

/** MySQL expression rendering the column (the session runs at time_zone +00:00). */
export function mysqlRender(column: RenderedColumn): string {
    const c = q(column.name);
    switch (column.kind) {
        case "bool":
            return `CASE WHEN ${c} IS NULL THEN NULL WHEN ${c} <> 0 THEN 'true' ELSE 'false' END`;
        case "hex":
            return `LOWER(HEX(${c}))`;
        case "year":
            return `CAST(CAST(${c} AS UNSIGNED) AS CHAR)`; // 0000 is the number 0

        case "float4":
        case "float8":
            return `CAST(CAST(${c} AS DOUBLE) AS CHAR)`;
        case "date":
            return `DATE_FORMAT(${c}, '%Y-%m-%d')`;
        case "zerodate":
            return `IF(${c} IS NULL OR MONTH(${c}) = 0 OR DAY(${c}) = 0, NULL, DATE_FORMAT(${c}, '%Y-%m-%d'))`;
        case "zerodatetime":
            return `IF(${c} IS NULL OR MONTH(${c}) = 0 OR DAY(${c}) = 0, NULL, DATE_FORMAT(${c}, ${FMT_MY}))`;
        case "datetime6":
        case "timestamptz6":
            return `DATE_FORMAT(${c}, ${FMT_MY})`;
        case "time6":
            return `TIME_FORMAT(${c}, '%H:%i:%s.%f')`;
        default:
            return `CAST(${c} AS CHAR)`;
    }
}

export function postgresRender(column: RenderedColumn): string {
    const c = qi(column.name);
    switch (column.kind) {
        case "hex":
            return `encode(${c}, 'hex')`;
        case "date":
        case "zerodate":
            return `to_char(${c}, 'YYYY-MM-DD')`;
        case "zerodatetime":
        case "datetime6":
            return `to_char(${c}, ${FMT_PG})`;
        case "timestamptz6":
            return `to_char(${c} AT TIME ZONE 'UTC', ${FMT_PG})`;
        case "time6":
            return `to_char(${c}, 'HH24:MI:SS.US')`;
        default:
            return `${c}::text`;
    }
}

function stableJson(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
    if (value && typeof value === "object") {
        return `{${Object.keys(value)
            .sort()
            .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`)
            .join(",")}}`;
    }
    return JSON.stringify(value);
}

/** The normalized text of one rendered value. */
export function normalize(kind: RenderKind, text: unknown): string | null {
    if (text === null || text === undefined) return null;
    const value = Buffer.isBuffer(text) ? text.toString("utf8") : String(text);
    switch (kind) {
        case "float4":
            return String(Math.fround(Number(value)));
        case "float8":
            return String(Number(value));
        case "json":
            return stableJson(JSON.parse(value));
        case "bool":
            return value === "1" || value === "true" ? "true" : value === "0" || value === "false" ? "false" : value;
        case "hex":
            return value.toLowerCase();
        default:
            return value;
    }
}

export function selectList(columns: RenderedColumn[], side: "mysql" | "postgres"): string {
    return columns.map((column, index) => `${side === "mysql" ? mysqlRender(column) : postgresRender(column)} AS c${index}`).join(", ");
}

/** Rows as normalized arrays, in the order given by the SQL. */
export function normalizeRows(columns: RenderedColumn[], rows: Record<string, unknown>[]): (string | null)[][] {
    return rows.map((row) => columns.map((column, index) => normalize(column.kind, row[`c${index}`])));
}
