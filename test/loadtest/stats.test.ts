import * as assert from "node:assert/strict";
import { diffRows, isConnectionLoss, isDuplicateKey, summarizeLatencies } from "../../loadtest/stats";

describe("loadtest stats", () => {
    it("takes nearest-rank percentiles", () => {
        const latencies = Array.from({ length: 100 }, (_, i) => i + 1);
        assert.deepEqual(summarizeLatencies(latencies), { count: 100, p50: 50, p90: 90, p99: 99, max: 100 });
        assert.deepEqual(summarizeLatencies([]), { count: 0, p50: 0, p90: 0, p99: 0, max: 0 });
        assert.deepEqual(summarizeLatencies([5]), { count: 1, p50: 5, p90: 5, p99: 5, max: 5 });
    });

    it("lists keys that differ or exist on one side only", () => {
        const mysql = new Map([
            ["1", "a"],
            ["2", "b"],
            ["3", "c"],
        ]);
        const postgres = new Map([
            ["1", "a"],
            ["2", "B"],
            ["4", "d"],
        ]);
        assert.deepEqual(diffRows(mysql, postgres), {
            count: 3,
            sample: [
                { key: "2", mysql: "b", postgres: "B" },
                { key: "3", mysql: "c", postgres: undefined },
                { key: "4", postgres: "d" },
            ],
        });
    });

    it("tells a lost connection (retry the write) from the statement's own error (do not)", () => {
        for (const lost of [
            { code: "ECONNREFUSED" },
            { code: "PROTOCOL_CONNECTION_LOST" },
            { code: "57P01", message: "terminating connection due to administrator command" },
            { code: "57P03", message: "the database system is starting up" },
            { code: "08006" },
            { errno: 2013, message: "Lost connection to MySQL server during query" },
            { errno: 1053, message: "Server shutdown in progress" },
            new Error("Connection terminated unexpectedly"),
        ])
            assert.equal(isConnectionLoss(lost), true, JSON.stringify(lost));
        for (const own of [{ code: "23505" }, { errno: 1062 }, { code: "42P01" }, { errno: 1146 }, new Error("syntax error"), undefined])
            assert.equal(isConnectionLoss(own), false, JSON.stringify(own));
        assert.equal(isDuplicateKey({ code: "23505" }), true);
        assert.equal(isDuplicateKey({ errno: 1062 }), true);
        assert.equal(isDuplicateKey({ code: "ECONNRESET" }), false);
    });
});
