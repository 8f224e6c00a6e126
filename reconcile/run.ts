// Effects: reconciliation of one table on live databases. Segments of the key range are checksummed inside both
// databases at once (count + sum of row hashes); equal segments are done, unequal ones are split (value ranges
// for an integer key, split points read in key order otherwise) until small enough to fetch and diff in memory.
// Segments adapt to keep each query near half a second. Every key found different is read again once the
// pipeline has had time to carry in-flight changes, and only differences that stay, on rows not written within
// the settle window, are reported; the rest are `unsettled`. Memory holds one leaf segment and the differences.
import { Policy } from "../core/model";
import { tombstoneTable } from "../core/names";
import { Side, SIDES } from "../core/vocabulary";
import {
    CanonicalColumn,
    deleteRowSql,
    Engine,
    bucketChecksumsSql,
    keySpanSql,
    leafRowsSql,
    nowMicrosSql,
    ReconcileTable,
    rowsByKeysSql,
    segmentChecksumSql,
    splitPointSql,
    tombstoneVersionSql,
    touchRowSql,
} from "../sql/reconcileSql";
import { Difference, diffRows, keyId, SideRow, sideRow, winnerOf } from "./compare";
import { ReconcileDatabases } from "./databases";

export interface ReconcileOptions {
    /** Changes younger than this (their `_tandem_version`) may still be travelling: never reported as differences. */
    settleSeconds: number;
    /** How long differences are re-checked while rows keep changing. */
    recheckSeconds: number;
    /** Aim for each checksum query (pt-table-checksum's 0.5 s). */
    targetQuerySeconds: number;
    /** Segments with at most this many rows (on the larger side) are fetched and compared in memory. */
    leafRows: number;
    fanout: number;
    /** Rows per second at most (both sides together), 0 for no limit. */
    maxRate: number;
    /** Stop descending once this many differing keys are known (the report says "at least"). */
    maxDifferences: number;
}

export const RECONCILE_DEFAULTS: ReconcileOptions = {
    settleSeconds: 10,
    recheckSeconds: 60,
    targetQuerySeconds: 0.5,
    leafRows: 1000,
    fanout: 16,
    maxRate: 0,
    maxDifferences: 100_000,
};

export interface TableReport {
    table: string;
    rows: Record<Side, number>;
    seconds: number;
    segments: number;
    differences: { kind: Difference["kind"]; key: string[]; columns?: string[] }[];
    truncated: boolean;
    /** Keys still changing when the re-checks ended: not reported as differences. */
    unsettled: number;
    repairs: { key: string[]; kind: Difference["kind"]; winner: Side; action: "rewrite" | "delete"; side: Side }[];
}

export interface Progress {
    rows(table: string, done: number, total: number): void;
    phase(message: string): void;
}

interface Segment {
    /** Canonical key texts: rows after `after` (exclusive) up to `upTo` (inclusive); undefined = open. */
    after?: string[];
    upTo?: string[];
    /** Integer keys: the value range, for splitting by value. */
    span?: { lo: bigint; hi: bigint };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A canonical key text as a parameter of its column (bytes for binary keys). */
export function keyParam(column: CanonicalColumn, text: string): unknown {
    return column.kind === "binary" ? Buffer.from(text, "hex") : text;
}

export class TableReconciler {
    private readonly engines: Record<Side, Engine>;
    private targetRows = 50_000;
    private rowsSeen = 0;
    private readonly started = Date.now();

    constructor(
        private readonly db: ReconcileDatabases,
        private readonly table: ReconcileTable,
        private readonly options: ReconcileOptions,
        private readonly progress: Progress,
    ) {
        this.engines = { mysql: db.engine("mysql"), postgres: db.engine("postgres") };
    }

    private bounds(segment: Segment) {
        const params = [...(segment.after ?? []), ...(segment.upTo ?? [])].map((text, index) =>
            keyParam(this.table.key[index % this.table.key.length], text),
        );
        return { shape: { after: segment.after !== undefined, upTo: segment.upTo !== undefined }, params };
    }

    private async both<T>(sql: (engine: Engine) => string, params: unknown[] = []): Promise<Record<Side, T[]>> {
        const [mysql, postgres] = await Promise.all(SIDES.map((side) => this.db.query<T>(side, sql(this.engines[side]), params)));
        return { mysql, postgres };
    }

    /** A single integer key's span over both sides, and the larger row count (undefined: another kind of key). */
    private async integerSpan(): Promise<{ lo: bigint; hi: bigint; total: number } | undefined | "empty"> {
        const key = this.table.key;
        if (key.length !== 1 || key[0].kind !== "integer") return undefined;
        const spans = await this.both<{ lo: string | null; hi: string | null; n: number }>((engine) => keySpanSql(engine, this.table));
        const found = SIDES.map((side) => spans[side][0]).filter((span) => span.lo !== null);
        if (found.length === 0) return "empty";
        return {
            lo: found.map((span) => BigInt(span.lo!)).reduce((a, b) => (a < b ? a : b)),
            hi: found.map((span) => BigInt(span.hi!)).reduce((a, b) => (a > b ? a : b)),
            total: Math.max(...SIDES.map((side) => Number(spans[side][0].n))),
        };
    }

    /**
     * An integer key: buckets of consecutive keys (about half a leaf each, by the key's density) checksummed in one
     * pass per query, each side walking its own queries (no waiting for the other), as many buckets per query as
     * keep it near the target time. Returns the buckets that differ, as segments.
     */
    private async scanBuckets(
        span: { lo: bigint; hi: bigint; total: number },
        rows: Record<Side, number>,
    ): Promise<{ differing: Segment[]; queries: number }> {
        const density = span.total / Number(span.hi - span.lo + 1n);
        const width = BigInt(Math.max(1, Math.floor(this.options.leafRows / 2 / Math.max(density, 1e-9))));
        const buckets = Number((span.hi - span.lo) / width) + 1;
        const sums: Record<Side, Map<number, string>> = { mysql: new Map(), postgres: new Map() };
        let queries = 0;
        await Promise.all(
            SIDES.map(async (side) => {
                let perQuery = Math.max(1, Math.round(this.targetRows / (this.options.leafRows / 2)));
                for (let first = 0; first < buckets;) {
                    // The buckets this query covers: `perQuery` changes below, the cursor moves by what was read.
                    const count = Math.min(perQuery, buckets - first);
                    const started = process.hrtime.bigint();
                    const found = await this.db.query<{ b: string | number; n: number; s: string }>(
                        side,
                        bucketChecksumsSql(this.engines[side], this.table, span.lo, width, first, count),
                    );
                    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
                    queries += 1;
                    let inQuery = 0;
                    for (const bucket of found) {
                        sums[side].set(Number(bucket.b), `${bucket.n}:${bucket.s}`);
                        inQuery += Number(bucket.n);
                    }
                    rows[side] += inQuery;
                    if (side === "mysql") this.progress.rows(this.table.name, rows.mysql, span.total);
                    perQuery = Math.max(
                        1,
                        Math.round(perQuery * Math.min(2, Math.max(0.5, this.options.targetQuerySeconds / Math.max(seconds, 0.01)))),
                    );
                    await this.throttle(inQuery);
                    first += count;
                }
            }),
        );
        const differing: Segment[] = [];
        for (const bucket of new Set([...sums.mysql.keys(), ...sums.postgres.keys()])) {
            if (sums.mysql.get(bucket) === sums.postgres.get(bucket)) continue;
            const start = span.lo + BigInt(bucket) * width;
            const end = start + width - 1n;
            differing.push({ after: [String(start - 1n)], upTo: [String(end)], span: { lo: start, hi: end } });
        }
        return { differing: differing.sort((a, b) => (a.span!.lo < b.span!.lo ? -1 : 1)), queries };
    }

    private async split(segment: Segment, counts: Record<Side, number>): Promise<Segment[]> {
        const fanout = this.options.fanout;
        if (segment.span && segment.span.hi > segment.span.lo) {
            const { lo, hi } = segment.span;
            const step = (hi - lo + 1n + BigInt(fanout) - 1n) / BigInt(fanout);
            const parts: Segment[] = [];
            for (let start = lo; start <= hi; start += step) {
                const end = start + step - 1n < hi ? start + step - 1n : hi;
                parts.push({
                    after: start === lo ? segment.after : [String(start - 1n)],
                    upTo: end === hi ? segment.upTo : [String(end)],
                    span: { lo: start, hi: end },
                });
            }
            return parts;
        }
        // Split points read on the side holding more rows of the segment, in the order both sides share.
        const side: Side = counts.mysql >= counts.postgres ? "mysql" : "postgres";
        const n = counts[side];
        const { shape, params } = this.bounds(segment);
        const points: string[][] = [];
        for (let i = 1; i < fanout; i++) {
            const [row] = await this.db.query<Record<string, unknown>>(
                side,
                splitPointSql(this.engines[side], this.table, shape, (n * i) / fanout - 1),
                params,
            );
            if (!row) continue;
            const point = this.table.key.map((_, index) =>
                String(row[`k${index}`] instanceof Buffer ? (row[`k${index}`] as Buffer).toString("utf8") : row[`k${index}`]),
            );
            if (!points.some((existing) => keyId(existing) === keyId(point))) points.push(point);
        }
        if (points.length === 0) return [];
        const parts: Segment[] = [];
        let after = segment.after;
        for (const point of points) {
            parts.push({ after, upTo: point });
            after = point;
        }
        parts.push({ after, upTo: segment.upTo });
        return parts;
    }

    private async leaf(segment: Segment): Promise<Difference[]> {
        const { shape, params } = this.bounds(segment);
        const rows = await this.both<Record<string, unknown>>((engine) => leafRowsSql(engine, this.table, shape), params);
        return diffRows(
            this.table,
            rows.mysql.map((row) => sideRow(this.table, row)),
            rows.postgres.map((row) => sideRow(this.table, row)),
        );
    }

    private async throttle(rows: number): Promise<void> {
        this.rowsSeen += rows;
        if (this.options.maxRate <= 0) return;
        const ahead = this.rowsSeen / this.options.maxRate - (Date.now() - this.started) / 1000;
        if (ahead > 0) await sleep(ahead * 1000);
    }

    /** Every segment checked; returns the candidate differences and the work done. */
    async scan(): Promise<{ candidates: Difference[]; rows: Record<Side, number>; segments: number; truncated: boolean }> {
        const rows = { mysql: 0, postgres: 0 };
        const span = await this.integerSpan();
        if (span === "empty") return { candidates: [], rows, segments: 0, truncated: false };
        let queue: Segment[] = [{}];
        let segments = 0;
        let counted = false;
        if (span) {
            const buckets = await this.scanBuckets(span, rows);
            queue = buckets.differing;
            segments = buckets.queries;
            counted = true;
        }
        const candidates: Difference[] = [];
        while (queue.length) {
            if (candidates.length >= this.options.maxDifferences) return { candidates, rows, segments, truncated: true };
            const segment = queue.shift()!;
            const { shape, params } = this.bounds(segment);
            const sums = await this.both<{ n: number; s: string }>((engine) => segmentChecksumSql(engine, this.table, shape), params);
            segments += 1;
            const counts = { mysql: Number(sums.mysql[0].n), postgres: Number(sums.postgres[0].n) };
            if (!counted) {
                // The whole table at once (a key other than one integer): its count is the table's.
                counted = true;
                rows.mysql = counts.mysql;
                rows.postgres = counts.postgres;
                this.progress.rows(this.table.name, rows.mysql, rows.mysql);
            }
            await this.throttle(counts.mysql + counts.postgres);
            if (counts.mysql === counts.postgres && String(sums.mysql[0].s) === String(sums.postgres[0].s)) continue;
            if (Math.max(counts.mysql, counts.postgres) <= this.options.leafRows) {
                candidates.push(...(await this.leaf(segment)));
                continue;
            }
            const parts = await this.split(segment, counts);
            if (parts.length <= 1) candidates.push(...(await this.leaf(segment)));
            else queue.unshift(...parts);
        }
        return { candidates, rows, segments, truncated: false };
    }

    private async rowsByKeys(side: Side, keys: string[][]): Promise<SideRow[]> {
        const found: SideRow[] = [];
        for (let i = 0; i < keys.length; i += 200) {
            const batch = keys.slice(i, i + 200);
            const params = batch.flatMap((key) => key.map((text, index) => keyParam(this.table.key[index], text)));
            const rows = await this.db.query<Record<string, unknown>>(
                side,
                rowsByKeysSql(this.engines[side], this.table, batch.length),
                params,
            );
            found.push(...rows.map((row) => sideRow(this.table, row)));
        }
        return found;
    }

    /**
     * Reads the candidates again until none is younger than the settle window (or the re-checks run out):
     * differences that stay on settled rows are confirmed, those still changing are `unsettled`.
     */
    async confirm(candidates: Difference[]): Promise<{ confirmed: Difference[]; unsettled: number }> {
        let pending = candidates;
        const deadline = Date.now() + this.options.recheckSeconds * 1000;
        for (;;) {
            if (pending.length === 0) return { confirmed: [], unsettled: 0 };
            await sleep(Math.min(2000, this.options.settleSeconds * 1000));
            const keys = pending.map((difference) => difference.key);
            const [mysql, postgres, clocks] = await Promise.all([
                this.rowsByKeys("mysql", keys),
                this.rowsByKeys("postgres", keys),
                this.both<{ now_us: string }>((engine) => nowMicrosSql(engine)),
            ]);
            const asked = new Set(keys.map(keyId));
            // A case-insensitive key may return another spelling: only the keys asked for are compared.
            const keep = (row: SideRow) => asked.has(keyId(row.key));
            pending = diffRows(this.table, mysql.filter(keep), postgres.filter(keep));
            const nowUs = Math.min(...SIDES.map((side) => Number(clocks[side][0].now_us)));
            const recent = (difference: Difference) =>
                Math.max(difference.mysql?.version ?? 0, difference.postgres?.version ?? 0) > nowUs - this.options.settleSeconds * 1e6;
            const moving = pending.filter(recent);
            if (moving.length === 0) return { confirmed: pending, unsettled: 0 };
            if (Date.now() > deadline) return { confirmed: pending.filter((difference) => !recent(difference)), unsettled: moving.length };
        }
    }

    /** Repairs one confirmed difference through the pipeline, as the conflict policy decides. */
    async repair(policy: Policy, difference: Difference): Promise<TableReport["repairs"][number]> {
        const params = difference.key.map((text, index) => keyParam(this.table.key[index], text));
        const version = async (side: Side): Promise<number> => {
            const row = difference[side];
            if (row) return row.version;
            const [found] = await this.db
                .query<{ v: string | null }>(
                    side,
                    tombstoneVersionSql(this.engines[side], tombstoneTable(this.table.name), this.table),
                    params,
                )
                .catch(() => [{ v: null }]);
            return Number(found?.v ?? 0);
        };
        const winner = winnerOf(policy, { mysql: await version("mysql"), postgres: await version("postgres") });
        const loser: Side = winner === "mysql" ? "postgres" : "mysql";
        if (difference[winner]) {
            await this.db.query(winner, touchRowSql(this.engines[winner], this.table), params);
            return { key: difference.key, kind: difference.kind, winner, action: "rewrite", side: winner };
        }
        await this.db.query(loser, deleteRowSql(this.engines[loser], this.table), params);
        return { key: difference.key, kind: difference.kind, winner, action: "delete", side: loser };
    }
}
