// Pure: the rows a load test writes. Its own table has fixed columns; a synced table given with --table gets
// values generated from each column's type (the catalog's), small and valid on both engines, different for
// every write so that each one is a new version.
import { ColumnDef } from "../core/model";
import { BOOKKEEPING_COLUMNS } from "../core/model";
import { mysqlFamily, postgresFamily, TypeFamily } from "../core/columnTypes";
import { Side } from "../core/vocabulary";
import { Write } from "./plan";

/**
 * Where the keys of one run live: every run takes fresh keys (its start time in seconds × 10^7, the seconds
 * taken modulo 10^8 so that every key stays below 2^53, exact as a JavaScript number and in both databases).
 */
export function keyBase(startedAtMs: number): number {
    return (Math.floor(startedAtMs / 1000) % 100_000_000) * 10_000_000;
}

/** Own keys are odd on MySQL and even on PostgreSQL; the shared keys follow both ranges. */
export function keyOf(write: Pick<Write, "key" | "shared">, side: Side, base: number, records: number): number {
    if (write.shared) return base + 2 * records + 2 + write.key;
    return base + 2 * write.key + (side === "mysql" ? 1 : 2);
}

/** The own table's columns besides `id`, for one write. */
export function ownRow(side: Side, seq: number): { side: string; seq: number; payload: string; amount: string } {
    return { side, seq, payload: `${side} write ${seq} `.padEnd(60, "·"), amount: ((seq % 1_000_000) / 100).toFixed(2) };
}

export interface WritableColumn {
    name: string;
    family: TypeFamily;
    /** Characters (text) or digits/scale (decimal) the column holds. */
    length?: number;
    scale?: number;
    enumValues?: string[];
}

/** The columns a load test writes in a synced table: not generated, not bookkeeping, with a known family. */
export function writableColumns(columns: ColumnDef[], side: Side): { columns: WritableColumn[]; unsupported: string[] } {
    const out: WritableColumn[] = [];
    const unsupported: string[] = [];
    for (const column of columns) {
        if (BOOKKEEPING_COLUMNS.includes(column.name) || column.computed) continue;
        const family = side === "mysql" ? mysqlFamily(column.type) : postgresFamily(column.type, column.enumValues);
        if (!family) {
            unsupported.push(`${column.name} (${column.type})`);
            continue;
        }
        const numbers = /\((\d+)(?:\s*,\s*(\d+))?\)/.exec(column.type);
        out.push({
            name: column.name,
            family,
            length: numbers ? Number(numbers[1]) : undefined,
            scale: numbers?.[2] !== undefined ? Number(numbers[2]) : undefined,
            enumValues: column.enumValues,
        });
    }
    return { columns: out, unsupported };
}

/** A value for `column` in write `seq`, as a string or number both drivers bind (null never: NOT NULL columns exist). */
export function generatedValue(column: WritableColumn, seq: number, side: Side): string | number | boolean | Buffer {
    switch (column.family) {
        case "boolean":
            return seq % 2 === 0;
        case "integer":
            return seq % 100;
        case "decimal": {
            const scale = column.scale ?? 0;
            const integerDigits = Math.max(1, (column.length ?? 10) - scale);
            return ((seq % 10 ** Math.min(integerDigits, 6)) + (scale > 0 ? 0.5 : 0)).toFixed(scale);
        }
        case "float":
            return (seq % 1000) + 0.25;
        case "text": {
            if (column.enumValues && column.enumValues.length > 0) return column.enumValues[seq % column.enumValues.length];
            return `${side[0]}${seq}`.slice(0, Math.max(1, column.length ?? 32));
        }
        case "binary":
            return Buffer.from(`${side[0]}${seq}`.slice(0, Math.max(1, column.length ?? 16)));
        case "json":
            return JSON.stringify({ side, seq });
        case "uuid":
            return `00000000-0000-4000-8000-${String(seq % 1e12).padStart(12, "0")}`;
        case "date":
            return new Date(Date.UTC(2020, 0, 1 + (seq % 3000))).toISOString().slice(0, 10);
        case "time":
            return `${String(seq % 24).padStart(2, "0")}:${String(seq % 60).padStart(2, "0")}:00`;
        case "datetime":
        case "timestamptz":
            return new Date(Date.UTC(2020, 0, 1) + (seq % 100_000_000) * 1000).toISOString().slice(0, 19).replace("T", " ");
    }
}
