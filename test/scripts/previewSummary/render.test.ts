// Unit tests of scripts/previewSummary/render.ts on small hand-made `pulumi preview --json` documents
// (test/fixtures/preview/), shaped like what the real CLI prints for this project.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { summarizePreview } from "../../../scripts/previewSummary/render";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const FIXTURES = path.join(ROOT, "test", "fixtures", "preview");
const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), "utf8"));
/** Table rows of the summary, by resource name. */
function rowOf(markdown: string, name: string): string {
    const rows = markdown.split("\n").filter((line) => line.startsWith("|") && line.includes(`\`${name}\``));
    assert.equal(rows.length, 1, `one row for ${name} in:\n${markdown}`);
    return rows[0];
}

describe("scripts/previewSummary/render", () => {
    describe("summary of connectors-update.json", () => {
        const preview = fixture("connectors-update.json");
        const markdown = summarizePreview(preview, { stack: "dev" });

        it("has the stack in the heading and the change counts", () => {
            assert.match(markdown, /^### Pulumi preview: `dev`\n/);
            assert.match(markdown, /\*\*1 to create\*\* · \*\*3 to update\*\* · \*\*1 to replace\*\* · \*\*1 to delete\*\* · 2 unchanged/);
            assert.doesNotMatch(markdown, /Preview failed/);
        });

        it("takes the stack from the URNs without the option", () => {
            assert.match(summarizePreview(preview), /^### Pulumi preview: `fixture`\n/);
        });

        it("lists one row per changing resource, riskiest first, unchanged ones left out", () => {
            const rows = markdown.split("\n").filter((line) => line.startsWith("| `"));
            assert.deepEqual(
                rows.map((row) =>
                    row
                        .split(" | ")
                        .slice(0, 3)
                        .map((cell) => cell.replace(/^\| /, "")),
                ),
                [
                    ["`+- replace`", "Connector", "`tandem-postgres-source`"],
                    ["`- delete`", "SqlObjects", "`tandem-initial-load-signal`"],
                    ["`~ update`", "Connector", "`tandem-mysql-source`"],
                    ["`~ update`", "Connector", "`tandem-postgres-sink`"],
                    ["`~ update`", "SqlObjects", "`tandem-mysql-objects`"],
                    ["`+ create`", "GeneratedPassword", "`tandem-postgres-cdc-password`"],
                ],
            );
            assert.ok(!markdown.includes("tandem-mysql-sink"), "an unchanged resource is listed");
            assert.ok(!markdown.includes("tandem-fixture`"), "the unchanged stack is listed");
        });

        it("shows replace reasons", () => {
            assert.match(rowOf(markdown, "tandem-postgres-source"), /\*\*replace\*\* on `connectUrl`/);
        });

        it("lists Connector config keys computed from old/new inputs when detailedDiff is null", () => {
            const row = rowOf(markdown, "tandem-mysql-source");
            assert.match(
                row,
                /config: changed `table\.include\.list`; added `signal\.data\.collection`; removed `heartbeat\.interval\.ms`/,
            );
            // tasks.max went from "1" to 1: the same for Connect.
            assert.doesNotMatch(row, /tasks\.max/);
            assert.doesNotMatch(row, /`auth`|`__provider`/);
        });

        it("names the changed inputs of other resources", () => {
            const row = rowOf(markdown, "tandem-mysql-objects");
            assert.match(row, /`apply` \(2 → 3 items\)/);
            assert.match(row, /`teardownOnDelete`/);
            assert.doesNotMatch(row, /`connection`|`secrets`/);
        });

        it("never prints a secret or any value from the states", () => {
            const raw = JSON.stringify(preview);
            const secrets = raw.match(/FIXTURE-[a-z-]+-\d+/g) ?? [];
            assert.ok(secrets.length >= 10, "the fixture holds its marked secrets");
            for (const secret of secrets) assert.ok(!markdown.includes(secret), `${secret} printed`);
            for (const marker of [
                "4dabf18193072939515e22adb298388d",
                "1b47061264138c4ac30d75fd1eb44270",
                "[secret]",
                "plaintext",
                "exports.handler",
            ]) {
                assert.ok(!markdown.includes(marker), `${marker} printed`);
            }
            // Plain values of inputs stay out too: only keys are shown.
            for (const value of ["app.orders,app.customers", "http://connect.internal:8083", "CREATE TRIGGER", "tandem_slot", "1000"]) {
                assert.ok(!markdown.includes(value), `${value} printed`);
            }
        });

        it("lists warnings, shortened and redacted, and counts infos", () => {
            assert.match(markdown, /\*\*Diagnostics:\*\* 0 errors, 2 warnings/);
            assert.match(
                markdown,
                /- \*\*warning\*\* \(Connector tandem-postgres-sink\): connector tandem-postgres-sink: Connect not reachable/,
            );
            assert.match(markdown, /2 info messages not shown/);
            assert.doesNotMatch(markdown, /some inputs are not known yet|program printed a line/);
        });

        it("keeps Markdown out of names and messages from breaking the table", () => {
            for (const row of markdown.split("\n").filter((line) => line.startsWith("| `"))) {
                assert.equal(row.replace(/\\\|/g, "").split("|").length, 6, `columns of ${row}`);
            }
        });
    });

    describe("summary of preflight-failed.json", () => {
        const markdown = summarizePreview(fixture("preflight-failed.json"), { stack: "local" });

        it("says the preview failed and lists each error once, shortened", () => {
            assert.match(markdown, /\*\*Preview failed\*\* with 2 errors/);
            assert.match(markdown, /\*\*Diagnostics:\*\* 2 errors, 0 warnings/);
            assert.equal(markdown.match(/preflight failed;/g)?.length, 1, "duplicate error listed twice");
            assert.match(markdown, /- \*\*error\*\* \(Stack tandem-local\): preflight failed; the sync cannot run until these are fixed:/);
            assert.match(markdown, /binlog_format must be ROW/);
            assert.match(markdown, /\(4 more lines\)/);
            assert.doesNotMatch(markdown, /line 11/);
            assert.match(markdown, /- \*\*error\*\*: an unhandled error occurred/);
        });

        it("has no table when nothing changes", () => {
            assert.doesNotMatch(markdown, /\| Op \|/);
        });

        it("caps each message by characters too", () => {
            const short = summarizePreview(fixture("preflight-failed.json"), { maxMessageChars: 40 });
            assert.doesNotMatch(short, /audit_log/);
        });
    });

    describe("big previews", () => {
        const steps = Array.from({ length: 60 }, (_, i) => ({
            op: i % 10 === 0 ? "create" : "update",
            urn: `urn:pulumi:prod::tandem::tandem:index:BidirectionalSync$pulumi-nodejs:dynamic/tandem:Connector::prod-connector-${i}`,
            oldState: {
                type: "pulumi-nodejs:dynamic/tandem:Connector",
                inputs: { config: Object.fromEntries(Array.from({ length: 40 }, (_, k) => [`key.${k}`, "old"])) },
            },
            newState: {
                type: "pulumi-nodejs:dynamic/tandem:Connector",
                inputs: { config: Object.fromEntries(Array.from({ length: 40 }, (_, k) => [`key.${k}`, `new-${i}`])) },
            },
        }));
        const diagnostics = Array.from({ length: 30 }, (_, i) => ({ message: `warning ${i}: ${"x".repeat(5000)}`, severity: "warning" }));
        const markdown = summarizePreview({ steps, diagnostics, changeSummary: { create: 6, update: 54 } }, { stack: "prod" });

        it("caps the rows and says how many more", () => {
            assert.equal(markdown.split("\n").filter((line) => line.startsWith("| `")).length, 25);
            assert.match(markdown, /…and 35 more resource changes not shown \(29 update, 6 create\)/);
        });

        it("caps the config keys per resource", () => {
            const row = markdown.split("\n").find((line) => line.includes("prod-connector-1`"))!;
            assert.equal(row.match(/`key\.\d+`/g)?.length, 12);
            assert.match(row, /\(\+28 more keys\)/);
        });

        it("caps diagnostics and stays well under GitHub's comment limit", () => {
            assert.match(markdown, /- …and 20 more/);
            assert.ok(markdown.length < 20000, `summary is ${markdown.length} characters`);
            const options = { maxRows: 5, maxDiagnostics: 2 };
            assert.equal(
                summarizePreview({ steps, diagnostics }, options)
                    .split("\n")
                    .filter((line) => line.startsWith("| `")).length,
                5,
            );
        });

        it("counts from the steps when changeSummary is missing", () => {
            assert.match(summarizePreview({ steps }), /\*\*6 to create\*\* · \*\*54 to update\*\*/);
        });
    });

    describe("edge cases", () => {
        const urn = (name: string, type = "pulumi-nodejs:dynamic/tandem:Connector") => `urn:pulumi:dev::tandem::${type}::${name}`;

        it("says No changes for an empty preview", () => {
            const markdown = summarizePreview({ steps: [{ op: "same", urn: urn("a") }], changeSummary: { same: 1 } }, { stack: "dev" });
            assert.match(markdown, /No changes\./);
            assert.doesNotMatch(markdown, /\| Op \|/);
        });

        it("explains an update whose inputs did not change", () => {
            const state = { type: "pulumi-nodejs:dynamic/tandem:Connector", inputs: { __provider: "v1", config: { a: "1" } } };
            const drift = summarizePreview({ steps: [{ op: "update", urn: urn("c"), oldState: state, newState: state }] });
            assert.match(drift, /no input change \(the provider reports drift/);
            const code = summarizePreview({
                steps: [
                    { op: "update", urn: urn("c"), oldState: state, newState: { ...state, inputs: { ...state.inputs, __provider: "v2" } } },
                ],
            });
            assert.match(code, /no input change \(provider code changed\)/);
        });

        it("hides the keys of a config that is secret as a whole", () => {
            const markdown = summarizePreview({
                steps: [
                    {
                        op: "update",
                        urn: urn("c"),
                        oldState: { inputs: { config: "[secret]" } },
                        newState: {
                            inputs: {
                                config: {
                                    "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
                                    plaintext: '{"secret.key":"v"}',
                                },
                            },
                        },
                    },
                ],
            });
            assert.match(markdown, /config \(secret: keys hidden\)/);
            assert.doesNotMatch(markdown, /secret\.key/);
        });

        it("escapes names and keeps one row per replaced resource", () => {
            const markdown = summarizePreview({
                steps: [
                    { op: "create-replacement", urn: urn("a|b") },
                    { op: "replace", urn: urn("a|b"), replaceReasons: ["name"] },
                    { op: "delete-replaced", urn: urn("a|b") },
                ],
            });
            const rows = markdown.split("\n").filter((line) => line.startsWith("| `"));
            assert.equal(rows.length, 1);
            assert.match(rows[0], /`a\\\|b`/);
            assert.match(rows[0], /\*\*replace\*\* on `name`/);
        });

        it("masks given literals in diagnostics", () => {
            const markdown = summarizePreview(
                { diagnostics: [{ severity: "error", message: "error: login failed with s3cr3t-value" }] },
                { redact: ["s3cr3t-value"] },
            );
            assert.doesNotMatch(markdown, /s3cr3t-value/);
            assert.match(markdown, /login failed with \\\[redacted\\\]/);
        });
    });
});
