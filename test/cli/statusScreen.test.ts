// The status screen: per direction its connectors, delay, lag and dead letters; the verdict's reasons and any trace.
import * as assert from "node:assert/strict";
import { PipelineStatus } from "../../cli/pipelineStatus";
import { renderStatus, statusLine } from "../../cli/statusScreen";

function status(): PipelineStatus {
    const running = (name: string) => ({ name, state: "RUNNING", tasks: [{ id: 0, state: "RUNNING" }] });
    return {
        stack: "local",
        prefix: "p",
        checkedAt: "2026-11-30T00:00:00.000Z",
        health: { status: "ok", reasons: [] },
        delaysFrom: "health monitor",
        monitorUrl: "http://127.0.0.1:8084",
        directions: [
            {
                direction: "mysql-to-postgres",
                source: running("p-mysql-source"),
                sink: running("p-postgres-sink"),
                delaySeconds: 0.42,
                delayPending: false,
                lag: 0,
                deadLetters: 0,
            },
            {
                direction: "postgres-to-mysql",
                source: running("p-postgres-source"),
                sink: running("p-mysql-sink"),
                delaySeconds: 12.3,
                delayPending: true,
                lag: 7,
                deadLetters: 2,
            },
        ],
        conflicts: [{ table: "orders", winner: "postgres", total: 3, lastHour: 1 }],
        slot: { name: "p_slot", active: true, walStatus: "reserved", retainedBytes: 2048 },
        watchdog: [],
        unreachable: {},
    };
}

describe("cli/statusScreen", () => {
    it("shows each direction on a line, the slot and the conflicts", () => {
        const text = renderStatus(status());
        assert.match(text, /^tandem local \(prefix p\)\s+ok/);
        assert.match(text, /mysql-to-postgres\s+p-mysql-source RUNNING 1\/1\s+p-postgres-sink RUNNING 1\/1\s+0\.42 s\s+0\s+0/);
        assert.match(text, /postgres-to-mysql\s+.*12 s \(rising\)\s+7\s+2/);
        assert.match(text, /slot p_slot: active, WAL reserved, retains 2\.0 KiB/);
        assert.match(text, /conflicts: 3 recorded, 1 in the last hour: orders \(postgres won\) 3/);
        assert.match(text, /delays from: health monitor \(http:\/\/127\.0\.0\.1:8084\)/);
    });

    it("names a failed task with the first line of its trace, and the verdict's reasons", () => {
        const failing = status();
        failing.health = { status: "failing", reasons: ["connector p-postgres-sink task 0 FAILED"] };
        failing.directions[0].sink.tasks = [
            { id: 0, state: "FAILED", trace: "org.apache.kafka.connect.errors.ConnectException: boom\n\tat x.y(Z.java:1)" } as never,
        ];
        const text = renderStatus(failing);
        assert.match(text, /p-postgres-sink RUNNING 0\/1 1 failed/);
        assert.match(text, /p-postgres-sink task 0: org\.apache\.kafka\.connect\.errors\.ConnectException: boom/);
        assert.match(text, /- connector p-postgres-sink task 0 FAILED/);
        assert.doesNotMatch(text, /at x\.y/);
        assert.match(
            statusLine(failing),
            /^2026-11-30T00:00:00\.000Z failing \| mysql-to-postgres 0\.42 s lag 0 dlq 0 \| .* \| connector p-postgres-sink task 0 FAILED\n$/,
        );
    });
});
