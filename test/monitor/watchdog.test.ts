import * as assert from "node:assert/strict";
import { ConnectorState } from "../../monitor/health";
import { Watchdog } from "../../monitor/watchdog";

const settings = { enabled: true, maxAttempts: 3, initialBackoffSeconds: 5, maxBackoffSeconds: 30, stableAfterSeconds: 60 };
const failedTask = (state = "FAILED"): ConnectorState[] => [
    { name: "p-postgres-sink", state: "RUNNING", tasks: [{ id: 0, state, trace: "boom\nat x" }] },
];

describe("monitor/watchdog", () => {
    it("waits the initial back-off, then doubles it after each restart, capped", () => {
        const dog = new Watchdog(settings);
        assert.deepEqual(dog.observe(failedTask(), 0), [], "first sight: nothing before the initial back-off");
        assert.deepEqual(dog.observe(failedTask(), 4_999), []);
        const due = dog.observe(failedTask(), 5_000);
        assert.deepEqual(due, [{ connector: "p-postgres-sink", task: "0" }]);
        dog.restarted(due[0], 5_000);
        assert.deepEqual(dog.observe(failedTask(), 14_999), [], "second wait is 10 s");
        assert.equal(dog.observe(failedTask(), 15_000).length, 1);
        dog.restarted(due[0], 15_000);
        assert.deepEqual(dog.observe(failedTask(), 34_999), [], "third wait is 20 s");
        const [entry] = dog.entries();
        assert.equal(entry.attempts, 2);
        assert.equal(entry.lastTrace, "boom\nat x");
        assert.equal(entry.nextRestartAt, new Date(35_000).toISOString());
    });

    it("gives up after maxAttempts restarts of something still failing, and says so", () => {
        const dog = new Watchdog({ ...settings, initialBackoffSeconds: 0 });
        let now = 0;
        for (let i = 0; i < 3; i++) {
            const due = dog.observe(failedTask(), now);
            assert.equal(due.length, 1, `restart ${i + 1}`);
            dog.restarted(due[0], now);
            now += 60_000;
        }
        assert.deepEqual(dog.observe(failedTask(), now), []);
        const [entry] = dog.entries();
        assert.equal(entry.gaveUp, true);
        assert.equal(entry.attempts, 3);
        assert.equal(entry.nextRestartAt, undefined);
    });

    it("forgets something that has run stably, and restarts a connector itself when it failed", () => {
        const dog = new Watchdog(settings);
        dog.observe(failedTask(), 0);
        dog.restarted({ connector: "p-postgres-sink", task: "0" }, 5_000);
        dog.observe(failedTask("RUNNING"), 6_000);
        assert.equal(dog.entries().length, 1, "not yet stable");
        dog.observe(failedTask("RUNNING"), 66_000);
        assert.equal(dog.entries().length, 0);
        dog.observe([{ name: "p-mysql-source", state: "FAILED", tasks: [] }], 70_000);
        assert.deepEqual(dog.observe([{ name: "p-mysql-source", state: "FAILED", tasks: [] }], 75_000), [
            { connector: "p-mysql-source", task: "connector" },
        ]);
    });

    it("does nothing when disabled", () => {
        const dog = new Watchdog({ ...settings, enabled: false, initialBackoffSeconds: 0 });
        assert.deepEqual(dog.observe(failedTask(), 0), []);
        assert.deepEqual(dog.entries(), []);
    });
});
