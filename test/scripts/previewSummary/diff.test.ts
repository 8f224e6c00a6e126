// Unit tests of scripts/previewSummary/diff.ts: property paths and Connector config key changes.
import * as assert from "node:assert/strict";
import { diffConfigKeys, parsePropertyPath, stepChanges } from "../../../scripts/previewSummary/diff";

describe("scripts/previewSummary/diff", () => {
    it("parses property paths in both notations", () => {
        assert.deepEqual(parsePropertyPath('config["poll.interval.ms"]'), [
            { key: "config", quoted: false },
            { key: "poll.interval.ms", quoted: true },
        ]);
        assert.deepEqual(
            parsePropertyPath("config.poll.interval.ms").map((s) => s.key),
            ["config", "poll", "interval", "ms"],
        );
        assert.deepEqual(
            parsePropertyPath("apply[3]").map((s) => s.key),
            ["apply", "3"],
        );
        assert.deepEqual(
            parsePropertyPath('config["a\\"b"]').map((s) => s.key),
            ["config", 'a"b'],
        );
    });

    it("diffs config keys as Connect sees them (strings), secrets and unknowns opaque", () => {
        assert.deepEqual(diffConfigKeys({ a: "1", b: "x", c: "y" }, { a: 1, b: "z", d: "w" }), {
            added: ["d"],
            removed: ["c"],
            changed: ["b"],
        });
        assert.equal(diffConfigKeys("[secret]", { a: "1" }).opaque, "secret");
        assert.equal(diffConfigKeys({ a: "1" }, "04da6b54-80e4-46f7-96ec-b56ff0331ba9").opaque, "unknown");
    });

    it("names the top-level properties in the detailedDiff paths of a bridged provider's step", () => {
        // Steps of kafka, aws, docker and kubernetes resources may carry a detailedDiff; our dynamic providers' never do.
        // No states nor diffReasons here, so the names can only come from the paths.
        const type = "kafka:index/topic:Topic";
        const changes = stepChanges({
            op: "replace",
            urn: `urn:pulumi:dev::tandem::${type}::tandem.orders`,
            replaceReasons: ["partitions"],
            detailedDiff: {
                'config["retention.ms"]': { kind: "update" },
                "config.cleanup.policy": { kind: "add" },
                partitions: { kind: "update-replace" },
                "tags[0]": {},
            },
        });
        assert.deepEqual(changes, {
            replaceOn: ["partitions"],
            properties: [
                { name: "config", note: undefined },
                { name: "tags", note: undefined },
            ],
            config: undefined,
        });
    });
});
