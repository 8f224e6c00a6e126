// The layering check (.dependency-cruiser.cjs, run by `npm run lint:layers`) catches wrong-way imports and
// names both files: proven with probe files written into the tree for the duration of each test.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");

function cruiseProbe(file: string, source: string): { status: number | null; output: string } {
    const probe = path.join(ROOT, file);
    fs.writeFileSync(probe, source);
    try {
        const run = spawnSync("npx", ["depcruise", "--config", ".dependency-cruiser.cjs", "--output-type", "err-long", file], {
            cwd: ROOT,
            encoding: "utf8",
        });
        return { status: run.status, output: `${run.stdout}${run.stderr}` };
    } finally {
        fs.rmSync(probe, { force: true });
    }
}

describe("layers", function () {
    this.timeout(60_000);

    it("the tree as it stands has no wrong-way import and no cycle", () => {
        const run = spawnSync("npx", ["depcruise", "--config", ".dependency-cruiser.cjs", "."], { cwd: ROOT, encoding: "utf8" });
        assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
    });

    const wrongWays: [string, string, string, string][] = [
        [
            "core/layerProbe.ts",
            'import { validateSettings } from "../components/settings";\nexport const probe = validateSettings;\n',
            "core-imports-nothing-of-ours",
            "components/settings.ts",
        ],
        [
            "sql/layerProbe.ts",
            'import { connectorSecretsFolder } from "../connectors/connectorModel";\nexport const probe = connectorSecretsFolder;\n',
            "builders-import-core-only",
            "connectors/connectorModel.ts",
        ],
        [
            "database/layerProbe.ts",
            'import { preflight } from "../preflight/preflight";\nexport const probe = preflight;\n',
            "database-imports-core-and-sql-only",
            "preflight/preflight.ts",
        ],
        [
            "ops/layerProbe.ts",
            'import { BidirectionalSync } from "../components/bidirectionalSync";\nexport const probe = BidirectionalSync;\n',
            "tools-never-import-components",
            "components/bidirectionalSync.ts",
        ],
    ];
    for (const [file, source, rule, target] of wrongWays) {
        it(`refuses ${file.split("/")[0]}/ importing ${target}, naming the rule and both files`, () => {
            const { status, output } = cruiseProbe(file, source);
            assert.notEqual(status, 0);
            assert.ok(output.includes(`error ${rule}: ${file} → ${target}`), output);
        });
    }
});
