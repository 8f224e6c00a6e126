// Unit tests of scripts/previewSummary/read.ts: the preview JSON with noise around it, URNs and type tokens.
import * as assert from "node:assert/strict";
import { parsePreviewJson, parseUrn, shortType } from "../../../scripts/previewSummary/read";
import { summarizePreview } from "../../../scripts/previewSummary/render";

describe("scripts/previewSummary/read", () => {
    it("parses URNs, nested types included", () => {
        assert.deepEqual(
            parseUrn("urn:pulumi:dev::tandem::tandem:index:BidirectionalSync$pulumi-nodejs:dynamic/tandem:Connector::dev-mysql-source"),
            { stack: "dev", project: "tandem", type: "pulumi-nodejs:dynamic/tandem:Connector", name: "dev-mysql-source" },
        );
        assert.equal(parseUrn("urn:pulumi:dev::tandem::pulumi:pulumi:Stack::tandem-dev").name, "tandem-dev");
    });

    it("shortens types", () => {
        assert.equal(shortType("pulumi-nodejs:dynamic/tandem:Connector"), "Connector");
        assert.equal(shortType("pulumi-nodejs:dynamic/tandem:SqlObjects"), "SqlObjects");
        assert.equal(shortType("tandem:index:BidirectionalSync"), "BidirectionalSync");
        assert.equal(shortType("pulumi:pulumi:Stack"), "Stack");
        assert.equal(shortType("kafka:index/topic:Topic"), "kafka:Topic");
        assert.equal(shortType("pulumi:providers:kafka"), "provider:kafka");
    });

    it("reads JSON with noise around it, rejects what is not JSON", () => {
        assert.deepEqual(parsePreviewJson('warning: something\n{"steps": []}\n'), { steps: [] });
        assert.throws(() => parsePreviewJson("error: no stack named 'dev' found"), /not the JSON/);
        assert.throws(() => summarizePreview(null as unknown as object), TypeError);
    });
});
