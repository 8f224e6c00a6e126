// Unit tests of scripts/previewSummary/diff.ts: property paths and Connector config key changes.
import * as assert from "node:assert/strict";
import { diffConfigKeys, parsePropertyPath } from "../../../scripts/previewSummary/diff";

describe("scripts/previewSummary/diff", () => {
    it("parses property paths in both notations", () => {
        assert.deepEqual(parsePropertyPath('config["poll.interval.ms"]'), [
            { key: "config", quoted: false },
            { key: "poll.interval.ms", quoted: true },
        ]);
        assert.deepEqual(parsePropertyPath("config.poll.interval.ms").map((s) => s.key), ["config", "poll", "interval", "ms"]);
        assert.deepEqual(parsePropertyPath('apply[3]').map((s) => s.key), ["apply", "3"]);
        assert.deepEqual(parsePropertyPath('config["a\\"b"]').map((s) => s.key), ["config", 'a"b']);
    });

    it("diffs config keys as Connect sees them (strings), secrets and unknowns opaque", () => {
        assert.deepEqual(diffConfigKeys({ a: "1", b: "x", c: "y" }, { a: 1, b: "z", d: "w" }), { added: ["d"], removed: ["c"], changed: ["b"] });
        assert.equal(diffConfigKeys("[secret]", { a: "1" }).opaque, "secret");
        assert.equal(diffConfigKeys({ a: "1" }, "04da6b54-80e4-46f7-96ec-b56ff0331ba9").opaque, "unknown");
    });
});
