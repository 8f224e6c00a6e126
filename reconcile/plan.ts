// Pure: what reconcile compares in a table — its key and the application's columns (bookkeeping and computed
// columns left out), each with the canonical kind its pair of types is compared as — or why it cannot.
import { mysqlFamily, mysqlNumericRange, mysqlStrength, postgresFamily, postgresNumericRange, TypeFamily } from "../core/columnTypes";
import { BOOKKEEPING_COLUMNS, ColumnDef, TableDef } from "../core/model";
import { CanonicalColumn, CanonicalKind, ReconcileTable } from "../sql/reconcileSql";

const FOUR_BYTE_FLOAT = /^(float|real)\b/i;

/** The kind a column pair is compared as, or why it cannot be. */
export function canonicalKind(mysql: ColumnDef, postgres: ColumnDef): { kind: CanonicalKind; scale?: number } | string {
    const my = mysqlFamily(mysql.type);
    const pg = postgresFamily(postgres.type, postgres.enumValues);
    if (!my || !pg) return `column ${mysql.name}: ${mysql.type} / ${postgres.type} is not a mapped type pair`;
    const both = (family: TypeFamily) => my === family && pg === family;
    if (my === "json" || pg === "json") return { kind: "json" };
    if (both("boolean")) return { kind: "boolean" };
    const numeric: TypeFamily[] = ["boolean", "integer", "decimal"];
    if (numeric.includes(my) && numeric.includes(pg)) {
        const scale = Math.min(mysqlNumericRange(mysql.type)?.scale ?? 0, postgresNumericRange(postgres.type)?.scale ?? 0);
        if (my !== "decimal" && pg !== "decimal") return { kind: "integer" };
        return { kind: "decimal", scale };
    }
    if (both("float")) return { kind: FOUR_BYTE_FLOAT.test(mysql.type) || /^real$/i.test(postgres.type) ? "float4" : "float8" };
    if (my === "uuid" || pg === "uuid") return { kind: "uuid" };
    if (both("text")) return { kind: "text" };
    for (const family of ["binary", "date", "time", "datetime", "timestamptz"] as const) if (both(family)) return { kind: family };
    return `column ${mysql.name}: ${mysql.type} / ${postgres.type} is not a mapped type pair`;
}

/** The comparison plan of one table, or the problems that prevent it (each naming the column). */
export function planTable(mysql: TableDef | undefined, postgres: TableDef | undefined, name: string): ReconcileTable | string[] {
    if (!mysql || !postgres)
        return [`table ${name} does not exist in ${!mysql && !postgres ? "either database" : !mysql ? "MySQL/MariaDB" : "PostgreSQL"}`];
    if (mysql.primaryKey.length === 0 || postgres.primaryKey.length === 0)
        return [
            `table ${name} has no primary key${mysql.primaryKey.length ? " in PostgreSQL" : postgres.primaryKey.length ? " in MySQL/MariaDB" : ""}: reconcile compares rows by key`,
        ];
    const problems: string[] = [];
    const pgColumns = new Map(postgres.columns.map((column) => [column.name, column]));
    const plan = (column: ColumnDef): CanonicalColumn | undefined => {
        const other = pgColumns.get(column.name);
        if (!other) {
            problems.push(`column ${column.name} exists in MySQL/MariaDB only`);
            return undefined;
        }
        const kind = canonicalKind(column, other);
        if (typeof kind === "string") {
            problems.push(kind);
            return undefined;
        }
        return { name: column.name, ...kind };
    };
    const byName = new Map(mysql.columns.map((column) => [column.name, column]));
    const key = mysql.primaryKey
        .map((name) => {
            const planned = plan(byName.get(name)!);
            const strength = mysqlStrength(byName.get(name)!.collation);
            return planned && (strength === "case" || strength === "case-accent") ? { ...planned, caseInsensitive: true } : planned;
        })
        .filter((column): column is CanonicalColumn => Boolean(column));
    const columns = mysql.columns
        .filter((column) => !mysql.primaryKey.includes(column.name) && !BOOKKEEPING_COLUMNS.includes(column.name))
        .filter((column) => !column.computed && !pgColumns.get(column.name)?.computed)
        .map(plan)
        .filter((column): column is CanonicalColumn => Boolean(column));
    for (const column of postgres.columns)
        if (!byName.has(column.name) && !BOOKKEEPING_COLUMNS.includes(column.name))
            problems.push(`column ${column.name} exists in PostgreSQL only`);
    if (!BOOKKEEPING_COLUMNS.every((column) => byName.has(column) && pgColumns.has(column)))
        problems.push(`table ${name} is not synced (no bookkeeping columns): add it to the stack first`);
    return problems.length ? problems : { name, key, columns };
}
