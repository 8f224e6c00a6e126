// Pure: the writes of a load test, generated up front from a seed so that a run can be repeated. Each side
// writes its own keys (inserts, then updates and deletes of rows it inserted) plus, with --conflicts, updates
// of keys shared by both sides, issued in the same order on both so that they collide. Writes of one key go
// to one writer, in order; the writers of a side share the pace.
import { Side } from "../core/vocabulary";
import { Mix, Operation } from "./options";

export interface Write {
    kind: Operation;
    /** Index of the row's key: own keys count from 0 per side; shared (conflict) keys are separate. */
    key: number;
    /** A key written by both sides (a conflict by design). */
    shared: boolean;
    /** Position in the side's sequence: values derive from it, so every version differs. */
    seq: number;
}

export interface SidePlan {
    side: Side;
    writes: Write[];
    /** Own keys left at the end (inserted and not deleted). */
    liveKeys: number;
}

/** Mulberry32: a small, fast, seeded generator (the plan must not depend on Math.random). */
export function seededRandom(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** How many shared keys a run with `records` writes and this conflict ratio uses: few, so that they collide. */
export function sharedKeyCount(records: number, conflicts: number): number {
    return conflicts > 0 ? Math.max(1, Math.min(100, Math.round((records * conflicts) / 20))) : 0;
}

export function planSide(side: Side, records: number, mix: Mix, conflicts: number, seed: number): SidePlan {
    const random = seededRandom(seed);
    // The conflict sequence uses its own generator seeded identically on both sides: same keys, same order.
    const sharedRandom = seededRandom(seed ^ 0x5eed);
    const shared = sharedKeyCount(records, conflicts);
    const live: number[] = [];
    const position = new Map<number, number>();
    let nextKey = 0;
    const writes: Write[] = [];
    const removeLive = (key: number) => {
        const index = position.get(key)!;
        const last = live.pop()!;
        if (last !== key) {
            live[index] = last;
            position.set(last, index);
        }
        position.delete(key);
    };
    for (let seq = 0; seq < records; seq++) {
        if (shared > 0 && sharedRandom() < conflicts) {
            writes.push({ kind: "update", key: Math.floor(sharedRandom() * shared), shared: true, seq });
            continue;
        }
        const pick = random() * 100;
        let kind: Operation = pick < mix.insert ? "insert" : pick < mix.insert + mix.update ? "update" : "delete";
        if (kind !== "insert" && live.length === 0) kind = "insert";
        if (kind === "insert") {
            const key = nextKey++;
            position.set(key, live.length);
            live.push(key);
            writes.push({ kind, key, shared: false, seq });
        } else {
            const key = live[Math.floor(random() * live.length)];
            if (kind === "delete") removeLive(key);
            writes.push({ kind, key, shared: false, seq });
        }
    }
    return { side, writes, liveKeys: live.length };
}

/** Splits a side's writes among `writers` so that every key's writes stay with one writer, in order. */
export function assignWriters(writes: Write[], writers: number): Write[][] {
    const queues: Write[][] = Array.from({ length: writers }, () => []);
    for (const write of writes) queues[(write.shared ? write.key * 7919 : write.key) % writers].push(write);
    return queues;
}

export function countKinds(writes: Write[]): Record<Operation, number> & { shared: number } {
    const counts = { insert: 0, update: 0, delete: 0, shared: 0 };
    for (const write of writes) {
        counts[write.kind]++;
        if (write.shared) counts.shared++;
    }
    return counts;
}

/** What a side's own keys must look like once the run converged: the last write's `seq` of each live key, and the deleted keys. */
export interface ExpectedOwnRows {
    live: Map<number, number>;
    deleted: Set<number>;
}

/** Replays a side's own writes (shared keys have two writers, so any side's last write may win there: left out). */
export function expectedOwnRows(writes: Write[]): ExpectedOwnRows {
    const live = new Map<number, number>();
    const deleted = new Set<number>();
    for (const write of writes) {
        if (write.shared) continue;
        if (write.kind === "delete") {
            live.delete(write.key);
            deleted.add(write.key);
        } else {
            live.set(write.key, write.seq);
            deleted.delete(write.key);
        }
    }
    return { live, deleted };
}
