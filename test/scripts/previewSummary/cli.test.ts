// Tests of scripts/previewSummary/cli.ts, run as a process like the workflow does (also through the bash wrapper).
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { readArguments } from "../../../scripts/previewSummary/cli";
import { summarizePreview } from "../../../scripts/previewSummary/render";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const FIXTURES = path.join(ROOT, "test", "fixtures", "preview");
const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), "utf8"));

describe("scripts/previewSummary/cli", function () {
    this.timeout(60_000);
    const run = promisify(execFile);
    const script = path.join(ROOT, "scripts", "previewSummary", "cli.ts");
    const node = (args: string[], input?: string) =>
        new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
            const child = execFile(
                process.execPath,
                ["-r", "ts-node/register/transpile-only", script, ...args],
                { cwd: ROOT },
                (error, stdout, stderr) =>
                    resolve({ code: error ? Number((error as NodeJS.ErrnoException & { code?: number }).code ?? 1) : 0, stdout, stderr }),
            );
            child.stdin?.end(input ?? "");
        });

    it("reads a file argument and prints the summary", async () => {
        const { code, stdout } = await node(["--stack", "dev", path.join(FIXTURES, "connectors-update.json")]);
        assert.equal(code, 0);
        assert.equal(stdout, summarizePreview(fixture("connectors-update.json"), { stack: "dev" }));
    });

    it("reads stdin", async () => {
        const { code, stdout } = await node([], fs.readFileSync(path.join(FIXTURES, "preflight-failed.json"), "utf8"));
        assert.equal(code, 0);
        assert.match(stdout, /^### Pulumi preview: `local`/);
    });

    it("fails clearly on empty input and bad flags", async () => {
        const empty = await node([], "");
        assert.equal(empty.code, 1);
        assert.match(empty.stderr, /empty input/);
        const bad = await node(["--nope"]);
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /usage:/);
    });

    it("parses --stack in each form and names what is wrong with bad arguments", () => {
        const forms = [
            ["--stack", "dev", "p.json"],
            ["-s", "dev", "p.json"],
            ["--stack=dev", "p.json"],
            ["p.json", "-sdev"],
        ];
        for (const args of forms) {
            assert.deepEqual(readArguments(args), { help: false, stack: "dev", file: "p.json" }, args.join(" "));
        }
        assert.deepEqual(readArguments(["-"]), { help: false, stack: undefined, file: "-" });
        assert.deepEqual(readArguments(["-h"]), { help: true, stack: undefined, file: undefined });
        assert.deepEqual(readArguments(["--nope"]), { error: "Unknown option '--nope'" });
        assert.match((readArguments(["--stack"]) as { error: string }).error, /--stack <value>' argument missing/);
        assert.match((readArguments(["--stack", "--nope"]) as { error: string }).error, /'--stack' argument is ambiguous/);
        assert.deepEqual(readArguments(["a.json", "b.json"]), { error: "one input file only" });
    });

    it("runs through the bash wrapper", async () => {
        const { stdout } = await run(
            "bash",
            [path.join(ROOT, "scripts", "preview-summary"), "--stack=dev", path.join(FIXTURES, "connectors-update.json")],
            { cwd: "/" },
        );
        assert.match(stdout, /^### Pulumi preview: `dev`/);
    });
});
