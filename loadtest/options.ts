// Pure: the load test's options, validated together so that a bad command line names every bad flag at once.
import { Direction, DIRECTIONS } from "../core/vocabulary";

export const OPERATIONS = ["insert", "update", "delete"] as const;
export type Operation = (typeof OPERATIONS)[number];
export type Mix = Record<Operation, number>;

export interface LoadtestOptions {
    /** Writes per direction. */
    records: number;
    /** Concurrent writers per direction (each its own connection). */
    concurrent: number;
    directions: Direction[];
    /** Paced writes per second per direction; undefined: as fast as the writers go. */
    rate?: number;
    /** Shares of inserts, updates and deletes, summing to 100. */
    mix: Mix;
    /** Share of the writes that update keys written on both sides at once (conflicts). */
    conflicts: number;
    /** A synced table to load instead of the command's own table pair. */
    table?: string;
    /** Seconds to wait for both sides to converge after the last write. */
    convergeTimeoutSeconds: number;
    /** Keep the command's own table pair in the stack afterwards (faster reruns). */
    keep: boolean;
    /** Seconds a write that lost its connection is retried (0: fail at once). */
    retryWritesSeconds: number;
}

export interface RawLoadtestOptions {
    records?: string;
    concurrent?: string;
    direction?: string;
    rate?: string;
    mix?: string;
    conflicts?: string;
    table?: string;
    timeout?: string;
    keep?: boolean;
    retryWrites?: string;
}

/** Bad usage: the CLI exits 2 on it. */
export class InvalidOptions extends Error {
    readonly exitCode = 2;
}

export const DEFAULT_MIX: Mix = { insert: 70, update: 25, delete: 5 };

/** `insert:70,update:25,delete:5` → shares; the operations left out count 0. */
export function parseMix(text: string): Mix | string {
    const mix: Mix = { insert: 0, update: 0, delete: 0 };
    for (const part of text
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean)) {
        const [name, value] = part.split(":");
        if (!OPERATIONS.includes(name as Operation)) return `names an unknown operation "${name}" (known: ${OPERATIONS.join(", ")})`;
        const share = Number(value);
        if (!Number.isFinite(share) || share < 0) return `gives "${name}" a share that is not a number ≥ 0: "${value}"`;
        mix[name as Operation] = share;
    }
    const total = mix.insert + mix.update + mix.delete;
    if (total !== 100) return `shares must add up to 100, got ${total}`;
    if (mix.insert === 0) return "needs inserts: updates and deletes act on rows the run inserted";
    return mix;
}

function wholeNumber(value: string | undefined, fallback: number, min: number, max: number): number | string {
    if (value === undefined) return fallback;
    const number = Number(value);
    return Number.isInteger(number) && number >= min && number <= max ? number : `must be a whole number in ${min}..${max}, got "${value}"`;
}

/** Validates the command line; throws one error listing every bad flag. */
export function validateLoadtestOptions(raw: RawLoadtestOptions): LoadtestOptions {
    const problems: string[] = [];
    const check = <T>(flag: string, value: T | string): T => {
        if (typeof value === "string") problems.push(`--${flag} ${value}`);
        return value as T;
    };
    const records = check("records", wholeNumber(raw.records, 10_000, 1, 10_000_000));
    const concurrent = check("concurrent", wholeNumber(raw.concurrent, 10, 1, 200));
    const rate = raw.rate === undefined ? undefined : check("rate", wholeNumber(raw.rate, 0, 1, 1_000_000));
    const direction = raw.direction ?? "both";
    if (direction !== "both" && !DIRECTIONS.includes(direction as Direction)) {
        problems.push(`--direction must be both, ${DIRECTIONS.join(" or ")}, got "${direction}"`);
    }
    const mix = check("mix", raw.mix === undefined ? DEFAULT_MIX : parseMix(raw.mix));
    const conflicts = raw.conflicts === undefined ? 0 : Number(raw.conflicts);
    if (!(conflicts >= 0 && conflicts <= 1)) problems.push(`--conflicts must be a ratio in 0..1, got "${raw.conflicts}"`);
    if (conflicts > 0 && direction !== "both")
        problems.push("--conflicts needs --direction both (conflicts are writes on both sides at once)");
    const convergeTimeoutSeconds = check("timeout", wholeNumber(raw.timeout, 120, 1, 86_400));
    const retryWritesSeconds = check("retry-writes", wholeNumber(raw.retryWrites, 0, 0, 3_600));
    if (raw.table !== undefined && (raw.table.length === 0 || raw.table.length > 64))
        problems.push(`--table must be a table name, got "${raw.table}"`);
    if (problems.length > 0) throw new InvalidOptions(`invalid options:\n  - ${problems.join("\n  - ")}`);
    return {
        records,
        concurrent,
        directions: direction === "both" ? [...DIRECTIONS] : [direction as Direction],
        rate,
        mix,
        conflicts,
        table: raw.table,
        convergeTimeoutSeconds,
        keep: raw.keep ?? false,
        retryWritesSeconds,
    };
}
