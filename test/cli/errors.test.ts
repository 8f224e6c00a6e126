// The one line a user reads: closest names for a typo, and each lower layer's error turned into what to try next.
import * as assert from "node:assert/strict";
import { closestNames, describeError, unknownName, UsageError } from "../../cli/errors";

describe("cli/errors", () => {
    it("suggests the closest names, a substring first, nothing far off", () => {
        const known = ["tandem-mysql-sink", "tandem-mysql-source", "tandem-postgres-sink", "tandem-postgres-source", "other"];
        assert.deepEqual(closestNames("tandem-postgres-snik", known), ["tandem-postgres-sink", "tandem-postgres-source"]);
        assert.deepEqual(closestNames("postgres", known), ["tandem-postgres-sink", "tandem-postgres-source"]);
        assert.deepEqual(closestNames("zzzzzzzzzzzz", known), []);
        assert.equal(unknownName("connector", "zzz", []).message, "no connector named zzz (there is none)");
        assert.equal(unknownName("topic", "zzzzzzzz", ["a", "b"]).message, "no topic named zzzzzzzz (known: a, b)");
    });

    it("turns unreachable services into a hint, keeps usage errors at exit 2", () => {
        const connect = Object.assign(new Error("GET http://h:1/connectors failed: ECONNREFUSED (is the Connect worker running?)"), {
            name: "ConnectError",
        });
        const explained = describeError(connect, { connectUrl: "http://h:1" });
        assert.equal(
            explained.message,
            "cannot reach Kafka Connect at http://h:1 (ECONNREFUSED): is the worker running? try `sandbox/sandbox.sh status`",
        );
        assert.equal(explained.exitCode, 1);
        const answered = Object.assign(new Error("PUT … answered 409: rebalance"), { name: "ConnectError", status: 409 });
        assert.equal(describeError(answered).message, "PUT … answered 409: rebalance");
        const kafka = Object.assign(new Error("Connection error: connect ECONNREFUSED 127.0.0.1:1"), {
            name: "KafkaJSNumberOfRetriesExceeded",
        });
        assert.match(describeError(kafka, { bootstrapServers: "127.0.0.1:1" }).message, /^cannot reach Kafka at 127\.0\.0\.1:1/);
        const database = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:15432"), { code: "ECONNREFUSED" });
        assert.match(describeError(database).message, /^cannot reach 127\.0\.0\.1:15432 \(ECONNREFUSED\)/);
        assert.equal(describeError(new UsageError("bad")).exitCode, 2);
    });
});
