import * as assert from "node:assert/strict";
import { ReplicationSlotFacts } from "../../core/positions";
import { leftoverReport } from "../../preflight/leftovers";

describe("leftovers: a replication slot of the stack's name found at preview", () => {
    const base = { prefix: "p", slotName: "p_slot", postgresDatabase: "app" };
    const slot = (facts: Partial<ReplicationSlotFacts> = {}): ReplicationSlotFacts => ({
        name: "p_slot",
        plugin: "pgoutput",
        slotType: "logical",
        database: "app",
        active: false,
        restartLsn: "0/10",
        retainedBytes: 3 * 1024 * 1024,
        ...facts,
    });

    it("none, or the stack's own in use by its connector: nothing to say", () => {
        assert.deepEqual(leftoverReport(base), { refusals: [], notes: [] });
        assert.deepEqual(leftoverReport({ ...base, slot: slot({ active: true, activePid: 42 }), postgresSourceOnCluster: true }), {
            refusals: [],
            notes: [],
        });
    });

    it("refuses a slot the sync cannot use, naming it and the way out", () => {
        for (const [facts, why] of [
            [{ plugin: "test_decoding" }, /uses the output plugin test_decoding \(the sync needs pgoutput\)/],
            [{ database: "other" }, /decodes database other \(the sync's is app\)/],
            [{ slotType: "physical" as const, plugin: "" }, /is a physical slot/],
        ] as const) {
            const report = leftoverReport({ ...base, slot: slot(facts), postgresSourceOnCluster: false });
            assert.equal(report.refusals.length, 1);
            assert.match(report.refusals[0], why);
            assert.match(report.refusals[0], /SELECT pg_drop_replication_slot\('p_slot'\).*or choose another tandem:topicPrefix/);
        }
    });

    it("an idle slot without the stack's connector is taken over: the source resumes from it (WAL held named)", () => {
        const report = leftoverReport({ ...base, slot: slot(), postgresSourceOnCluster: false });
        assert.deepEqual(report.refusals, []);
        assert.match(report.notes[0], /exists without this stack's PostgreSQL source.*holds 3\.0 MB of WAL.*resumes from it/);
    });

    it("a slot in use: nothing here (the PostgreSQL source's resource judges it, knowing whether it is new)", () => {
        for (const onCluster of [true, false, undefined]) {
            const report = leftoverReport({ ...base, slot: slot({ active: true, activePid: 1 }), postgresSourceOnCluster: onCluster });
            assert.deepEqual(report, { refusals: [], notes: [] });
        }
    });
});
