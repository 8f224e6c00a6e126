// Pure: rows of both sides compared in memory — by canonical key, then column by column (JSON by value: jsonb
// reorders keys and spacing) — and who wins a difference under the stack's conflict policy.
import { Policy } from "../core/model";
import { Side } from "../core/vocabulary";
import { ReconcileTable } from "../sql/reconcileSql";

export interface SideRow {
    key: string[];
    values: (string | null)[];
    version: number;
    origin: string;
}

export type DifferenceKind = "missing-in-mysql" | "missing-in-postgres" | "values-differ";

export interface Difference {
    kind: DifferenceKind;
    key: string[];
    /** values-differ: the columns whose values differ. */
    columns?: string[];
    mysql?: SideRow;
    postgres?: SideRow;
}

export const keyId = (key: string[]) => key.join("\u0000");

/** A row as the driver returned it (k0…, c0…, v, o) → its canonical texts. */
export function sideRow(table: ReconcileTable, row: Record<string, unknown>): SideRow {
    const text = (value: unknown) =>
        value === null || value === undefined ? null : Buffer.isBuffer(value) ? value.toString("utf8") : String(value);
    return {
        key: table.key.map((_, index) => text(row[`k${index}`]) ?? ""),
        values: table.columns.map((_, index) => text(row[`c${index}`])),
        version: Number(row.v ?? 0),
        origin: String(row.o ?? ""),
    };
}

/** JSON compared by value: object keys in any order, numbers by value. */
export function sameJson(a: string, b: string): boolean {
    const canonical = (value: unknown): unknown => {
        if (Array.isArray(value)) return value.map(canonical);
        if (value && typeof value === "object")
            return Object.fromEntries(
                Object.keys(value)
                    .sort()
                    .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
            );
        return value;
    };
    try {
        return JSON.stringify(canonical(JSON.parse(a))) === JSON.stringify(canonical(JSON.parse(b)));
    } catch {
        return a === b;
    }
}

/** The columns whose values differ between two versions of a row. */
export function differingColumns(table: ReconcileTable, mysql: SideRow, postgres: SideRow): string[] {
    return table.columns
        .filter((column, index) => {
            const [a, b] = [mysql.values[index], postgres.values[index]];
            if (a === null || b === null) return a !== b;
            return column.kind === "json" ? !sameJson(a, b) : a !== b;
        })
        .map((column) => column.name);
}

/** Two key-ordered row lists of one segment compared: every key missing on a side, every row whose values differ. */
export function diffRows(table: ReconcileTable, mysql: SideRow[], postgres: SideRow[]): Difference[] {
    const theirs = new Map(postgres.map((row) => [keyId(row.key), row]));
    const differences: Difference[] = [];
    for (const row of mysql) {
        const other = theirs.get(keyId(row.key));
        theirs.delete(keyId(row.key));
        if (!other) differences.push({ kind: "missing-in-postgres", key: row.key, mysql: row });
        else {
            const columns = differingColumns(table, row, other);
            if (columns.length) differences.push({ kind: "values-differ", key: row.key, columns, mysql: row, postgres: other });
        }
    }
    for (const row of theirs.values()) differences.push({ kind: "missing-in-mysql", key: row.key, postgres: row });
    return differences;
}

/**
 * The side whose state wins, as the sync decides a conflict: the newer version (equal versions: the tie winner),
 * or the policy's side. A row missing on one side is represented by that side's tombstone version (0: none).
 */
export function winnerOf(policy: Policy, versions: Record<Side, number>): Side {
    if (policy.conflicts === "mysql-wins") return "mysql";
    if (policy.conflicts === "postgres-wins") return "postgres";
    if (versions.mysql === versions.postgres) return policy.tieWinner;
    return versions.mysql > versions.postgres ? "mysql" : "postgres";
}
