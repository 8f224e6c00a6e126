import * as assert from "node:assert/strict";
import { emptyState, evaluateHealth, MonitorState } from "../../monitor/health";
import { renderStatusPage } from "../../monitor/statusPage";

function healthy(): MonitorState {
    const state = emptyState();
    for (const target of Object.keys(state.probes) as (keyof MonitorState["probes"])[]) state.probes[target] = { up: true };
    state.directions["mysql-to-postgres"] = { delaySeconds: 0.05, pending: false };
    state.directions["postgres-to-mysql"] = { delaySeconds: 0.08, pending: false };
    state.connectors = ["p-mysql-source", "p-postgres-sink"].map((name) => ({
        name,
        state: "RUNNING",
        tasks: [{ id: 0, state: "RUNNING" }],
    }));
    state.slot = { name: "p_slot", active: true, walStatus: "reserved", retainedBytes: 1024 };
    return state;
}

describe("monitor/health", () => {
    it("is ok when everything answers and both directions are fast", () => {
        assert.deepEqual(evaluateHealth(healthy(), 5), { status: "ok", reasons: [] });
    });

    it("is degraded, naming the direction, when a delay is over the objective; and by a paused connector", () => {
        const state = healthy();
        state.directions["postgres-to-mysql"] = { delaySeconds: 12.5, pending: true };
        state.connectors[1].state = "PAUSED";
        const health = evaluateHealth(state, 5);
        assert.equal(health.status, "degraded");
        assert.deepEqual(health.reasons, [
            "connector p-postgres-sink is PAUSED",
            "postgres-to-mysql sync delay 12.5 s is over the objective of 5 s",
        ]);
    });

    it("is failing when a dependency is down, a task failed, a connector is missing, the watchdog gave up or the slot lost WAL", () => {
        const state = healthy();
        state.probes.postgres = { up: false, error: "SELECT 1: connect ECONNREFUSED" };
        state.connectors[0].tasks[0].state = "FAILED";
        state.connectors.push({ name: "p-mysql-sink", state: "ABSENT", tasks: [] });
        state.watchdog = [{ connector: "p-mysql-source", task: "0", attempts: 6, gaveUp: true }];
        state.slot = { name: "p_slot", active: false, walStatus: "lost", retainedBytes: 0 };
        const health = evaluateHealth(state, 5);
        assert.equal(health.status, "failing");
        assert.deepEqual(health.reasons, [
            "postgres unreachable: SELECT 1: connect ECONNREFUSED",
            "connector p-mysql-source task 0 FAILED",
            "connector p-mysql-sink is not on the Connect cluster",
            "watchdog gave up on p-mysql-source task 0 after 6 restarts",
            "replication slot p_slot lost WAL the source needs",
        ]);
    });

    it("warns when the MySQL source reads the oldest binlog file, unless that file is the one being written", () => {
        const state = healthy();
        state.binlog = { retentionSeconds: 3600, marginBytes: 0, behindBytes: 10, readsActiveFile: false };
        assert.equal(evaluateHealth(state, 5).status, "degraded");
        state.binlog.retentionSeconds = 0; // never purged
        assert.equal(evaluateHealth(state, 5).status, "ok");
        // A fresh server has one binlog file: the oldest, and never purged while written.
        state.binlog = { retentionSeconds: 3600, marginBytes: 0, behindBytes: 10, readsActiveFile: true };
        assert.equal(evaluateHealth(state, 5).status, "ok");
    });

    it("renders a status page that escapes what it shows", () => {
        const state = healthy();
        state.connectors[0].name = "p-<script>";
        const page = renderStatusPage("p", { status: "degraded", reasons: ["a & b"] }, state, "2026-11-30T00:00:00Z");
        assert.match(page, /<title>tandem p: degraded<\/title>/);
        assert.match(page, /<li>a &amp; b<\/li>/);
        assert.match(page, /p-&lt;script&gt;/);
        assert.doesNotMatch(page, /<script>/);
        assert.match(page, /retains 1\.0 KiB/);
    });
});
