// Unit tests of scripts/previewSummary/redact.ts: credentials masked in free text.
import * as assert from "node:assert/strict";
import { redactText } from "../../../scripts/previewSummary/redact";

describe("scripts/previewSummary/redact", () => {
    it("redacts credentials in free text", () => {
        const text = redactText('url postgres://u:hunter22@h/db password=abc123 "token": "t0k3n" IDENTIFIED BY \'pw9\' my-literal-secret', [
            "my-literal-secret",
        ]);
        for (const secret of ["hunter22", "abc123", "t0k3n", "pw9", "my-literal-secret"])
            assert.ok(!text.includes(secret), `${secret} in ${text}`);
    });
});
