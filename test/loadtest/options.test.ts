import * as assert from "node:assert/strict";
import { DEFAULT_MIX, parseMix, validateLoadtestOptions } from "../../loadtest/options";

describe("loadtest options", () => {
    it("defaults to the old tool's command line: 10,000 records, 10 writers, both directions, 70/25/5", () => {
        const options = validateLoadtestOptions({});
        assert.deepEqual(
            [options.records, options.concurrent, options.directions, options.mix, options.conflicts, options.rate],
            [10_000, 10, ["mysql-to-postgres", "postgres-to-mysql"], DEFAULT_MIX, 0, undefined],
        );
    });

    it("parses a mix, leaving out operations as 0, and refuses one that does not add up or has no inserts", () => {
        assert.deepEqual(parseMix("insert:80,update:20"), { insert: 80, update: 20, delete: 0 });
        assert.match(String(parseMix("insert:50,update:20")), /add up to 100, got 70/);
        assert.match(String(parseMix("update:100")), /needs inserts/);
        assert.match(String(parseMix("upsert:100")), /unknown operation "upsert"/);
    });

    it("names every bad flag at once", () => {
        assert.throws(
            () =>
                validateLoadtestOptions({
                    records: "0",
                    concurrent: "x",
                    direction: "sideways",
                    mix: "insert:1",
                    conflicts: "2",
                    rate: "-5",
                    retryWrites: "soon",
                }),
            (error: Error) =>
                ["--records", "--concurrent", "--direction", "--mix", "--conflicts", "--rate", "--retry-writes"].every((flag) =>
                    error.message.includes(flag),
                ),
        );
    });

    it("refuses conflicts in one direction only: they are writes on both sides at once", () => {
        assert.throws(
            () => validateLoadtestOptions({ direction: "mysql-to-postgres", conflicts: "0.1" }),
            /--conflicts needs --direction both/,
        );
    });

    it("fails writes at once unless asked to ride out a lost connection for a while", () => {
        assert.equal(validateLoadtestOptions({}).retryWritesSeconds, 0);
        assert.equal(validateLoadtestOptions({ retryWrites: "120" }).retryWritesSeconds, 120);
    });
});
