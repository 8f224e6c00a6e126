import * as assert from "node:assert/strict";
import { assignWriters, countKinds, expectedOwnRows, planSide, sharedKeyCount, Write } from "../../loadtest/plan";

const mix = { insert: 70, update: 25, delete: 5 };

describe("loadtest plan", () => {
    it("writes exactly `records` rows in about the asked mix, updating and deleting only rows it inserted", () => {
        const plan = planSide("mysql", 10_000, mix, 0, 1);
        const counts = countKinds(plan.writes);
        assert.equal(plan.writes.length, 10_000);
        assert.ok(
            Math.abs(counts.insert - 7000) < 300 && Math.abs(counts.update - 2500) < 300 && Math.abs(counts.delete - 500) < 150,
            JSON.stringify(counts),
        );
        const live = new Set<number>();
        for (const write of plan.writes) {
            if (write.kind === "insert") {
                assert.ok(!live.has(write.key), "a fresh key per insert");
                live.add(write.key);
            } else {
                assert.ok(live.has(write.key), `${write.kind} of a row not inserted before (${write.key})`);
                if (write.kind === "delete") live.delete(write.key);
            }
        }
        assert.equal(live.size, plan.liveKeys);
    });

    it("is the same for the same seed, and sends the same shared keys in the same order from both sides", () => {
        assert.deepEqual(planSide("mysql", 500, mix, 0.2, 7), planSide("mysql", 500, mix, 0.2, 7));
        const shared = (side: "mysql" | "postgres") =>
            planSide(side, 2000, mix, 0.2, 7)
                .writes.filter((write) => write.shared)
                .map((w) => [w.key, w.seq]);
        assert.deepEqual(shared("mysql"), shared("postgres"));
        assert.ok(shared("mysql").length > 300 && shared("mysql").every(([key]) => key < sharedKeyCount(2000, 0.2)));
    });

    it("keeps every key's writes with one writer, in order", () => {
        const plan = planSide("postgres", 3000, mix, 0.1, 3);
        const queues = assignWriters(plan.writes, 7);
        assert.equal(queues.flat().length, plan.writes.length);
        const owner = new Map<string, number>();
        queues.forEach((queue, writer) => {
            let lastSeq = -1;
            for (const write of queue) {
                const id = `${write.shared}:${write.key}`;
                assert.equal(owner.get(id) ?? writer, writer);
                owner.set(id, writer);
                assert.ok(write.seq > lastSeq, "in sequence order");
                lastSeq = write.seq;
            }
        });
    });

    it("knows what each own key must hold once converged: the last write's seq, or gone; shared keys left to the comparison", () => {
        const writes: Write[] = [
            { kind: "insert", key: 0, shared: false, seq: 0 },
            { kind: "insert", key: 1, shared: false, seq: 1 },
            { kind: "update", key: 0, shared: false, seq: 2 },
            { kind: "delete", key: 1, shared: false, seq: 3 },
            { kind: "update", key: 7, shared: true, seq: 4 },
        ];
        const expected = expectedOwnRows(writes);
        assert.deepEqual([...expected.live], [[0, 2]]);
        assert.deepEqual([...expected.deleted], [1]);
        const plan = planSide("postgres", 5_000, mix, 0.1, 3);
        assert.equal(expectedOwnRows(plan.writes).live.size, plan.liveKeys);
    });
});
