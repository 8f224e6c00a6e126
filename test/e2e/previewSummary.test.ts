// End to end, for real: a stack of this project on the sandbox is deployed, its config changed (one more
// table, another conflict policy), and the real `pulumi preview --json` of the change goes through
// scripts/previewSummary/. The Markdown must name the updated Connectors with their changed config keys
// and the updated SqlObjects, and hold no password: neither the admin ones nor the generated ones.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { Stack } from "@pulumi/pulumi/automation";
import { summarizePreview } from "../../scripts/previewSummary/render";
import { REPO_ROOT, stateDir } from "../support/sandbox";
import { e2eSuite } from "../support/e2eSuite";
import { mysqlQuery, postgresQuery, removeSyncStack, syncStack } from "../support/syncStack";

const run = promisify(execFile);

/** Runs the real CLI in the repository, with the environment of the tests (toolchain/env.sh). */
async function pulumi(args: string[], timeoutMs: number): Promise<string> {
    try {
        const { stdout } = await run("pulumi", args, {
            cwd: REPO_ROOT,
            env: process.env,
            timeout: timeoutMs,
            maxBuffer: 256 * 1024 * 1024,
        });
        return stdout;
    } catch (error) {
        const failed = error as Error & { stderr?: string; stdout?: string };
        assert.fail(`pulumi ${args.join(" ")} failed: ${failed.message}\n${failed.stderr ?? ""}\n${(failed.stdout ?? "").slice(0, 4000)}`);
    }
}

/** A secret as `stack export --show-secrets` prints it: `{"4dabf…": "1b47…", "plaintext": "<JSON>"}`. */
function plainSecret(value: unknown): unknown {
    if (value && typeof value === "object" && typeof (value as { plaintext?: unknown }).plaintext === "string") {
        return JSON.parse((value as { plaintext: string }).plaintext);
    }
    return value;
}

function rowOf(markdown: string, name: string): string {
    const rows = markdown.split("\n").filter((line) => line.startsWith("|") && line.includes(`\`${name}\``));
    assert.equal(rows.length, 1, `one row for ${name} in:\n${markdown}`);
    return rows[0];
}

e2eSuite("e2e: PR preview summary of a real `pulumi preview --json`", { timeout: 15 * 60 * 1000 }, (e2e) => {
    const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
    const tables = [`e2e_pv_a_${suffix}`, `e2e_pv_b_${suffix}`];
    const prefix = `pv-${suffix}`;
    let stack: Stack;
    let preview: { changeSummary?: Record<string, number>; steps?: unknown[] };
    let markdown = "";
    /** MariaDB's binlog file when the suite began: everything the stack's accounts did is logged from there on. */
    let binlogFrom = "";

    before(async () => {
        binlogFrom = (await mysqlQuery<{ File: string }>(e2e.sandbox, "SHOW MASTER STATUS"))[0].File;
        for (const table of tables) {
            await mysqlQuery(e2e.sandbox, `CREATE TABLE ${table} (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, updated_at DATETIME(6))`);
            await postgresQuery(
                e2e.sandbox,
                `CREATE TABLE public.${table} (id integer PRIMARY KEY, name varchar(100) NOT NULL, updated_at timestamp(6))`,
            );
        }
        stack = await syncStack(e2e.sandbox, prefix, [tables[0]]);
    });

    after(async () => removeSyncStack(e2e.sandbox, stack, tables));

    it("deploys the stack with one table", async () => {
        const result = await stack.up({ onOutput: () => undefined });
        assert.equal(result.summary.result, "succeeded");
    });

    it("previews one more table and another conflict policy with the real CLI", async () => {
        await stack.setConfig("tandem:tables[1]", { value: tables[1] }, true);
        await stack.setConfig("tandem:conflictPolicy", { value: "mysql-wins" });
        const stdout = await pulumi(["preview", "--json", "--stack", prefix], 5 * 60 * 1000);
        preview = JSON.parse(stdout);
        const summary = preview.changeSummary ?? {};
        assert.ok((summary.update ?? 0) >= 4, `changeSummary ${JSON.stringify(summary)}`);
        assert.equal(summary.replace ?? 0, 0, `changeSummary ${JSON.stringify(summary)}`);
        assert.equal(summary.delete ?? 0, 0, `changeSummary ${JSON.stringify(summary)}`);
        markdown = summarizePreview(preview, { stack: prefix });
        process.stdout.write(`${markdown.replace(/^/gm, "      ")}\n`);
    });

    it("shows the counts and the updated Connectors with their changed config keys", () => {
        assert.match(markdown, new RegExp(`^### Pulumi preview: \`${prefix}\``));
        assert.match(markdown, new RegExp(`\\*\\*${preview.changeSummary!.update} to update\\*\\*`));
        for (const source of ["mysql-source", "postgres-source"]) {
            const row = rowOf(markdown, `${prefix}-${source}`);
            assert.match(row, /^\| `~ update` \| Connector \|/);
            assert.match(row, /config: changed [^|]*`table\.include\.list`/);
        }
        for (const sink of ["mysql-sink", "postgres-sink"]) {
            const row = rowOf(markdown, `${prefix}-${sink}`);
            assert.match(row, /^\| `~ update` \| Connector \|/);
            assert.match(row, /config: changed [^|]*`topics`/);
        }
    });

    it("shows the updated SqlObjects (triggers for the policy) and the new table's", () => {
        assert.match(rowOf(markdown, `${prefix}-postgres-objects`), /^\| `~ update` \| SqlObjects \| .*`apply`/);
        assert.match(rowOf(markdown, `${prefix}-mysql-table-${tables[0]}`), /^\| `~ update` \| SqlObjects \| .*`apply`/);
        for (const side of ["mysql", "postgres"])
            assert.match(rowOf(markdown, `${prefix}-${side}-table-${tables[1]}`), /^\| `\+ create` \| SqlObjects \|/);
    });

    it("holds no password, generated or admin, and no secret marker", async () => {
        const exported = JSON.parse(await pulumi(["stack", "export", "--show-secrets", "--stack", prefix], 2 * 60 * 1000));
        const generated = (exported.deployment?.resources ?? [])
            .filter((resource: { type: string }) => resource.type.endsWith(":GeneratedPassword"))
            .map((resource: { outputs?: { value?: unknown } }) => plainSecret(resource.outputs?.value))
            .filter((value: unknown): value is string => typeof value === "string" && value.length >= 8);
        assert.equal(
            generated.length,
            6,
            "the six generated passwords (connectors' and the health monitor's accounts) are readable from the state",
        );
        for (const secret of [e2e.sandbox.mariadb.password, e2e.sandbox.postgres.password, ...generated]) {
            assert.ok(!markdown.includes(secret), "a password is in the summary");
        }
        for (const marker of ["[secret]", "4dabf18193072939515e22adb298388d", "${dir:"])
            assert.ok(!markdown.includes(marker), `${marker} in the summary`);
        // MariaDB writes account statements to the binlog as they were sent (replicas and the CDC reader see them):
        // the stack sets passwords as native hashes, so no generated password is in it.
        const files = (await mysqlQuery<{ Log_name: string }>(e2e.sandbox, "SHOW BINARY LOGS")).map((file) => file.Log_name);
        const accountStatements: string[] = [];
        for (const file of files.slice(files.indexOf(binlogFrom))) {
            const events = await mysqlQuery<{ Info: string }>(e2e.sandbox, `SHOW BINLOG EVENTS IN '${file}'`);
            for (const { Info } of events) {
                for (const secret of generated) assert.ok(!Info.includes(secret), `a generated password is in binlog ${file}`);
                if (/IDENTIFIED BY/i.test(Info) && Info.includes(prefix.replace(/-/g, "_"))) accountStatements.push(Info);
            }
        }
        assert.ok(accountStatements.length >= 6, `the stack's account statements are in the binlog: ${accountStatements.length}`);
        for (const statement of accountStatements) assert.match(statement, /IDENTIFIED BY PASSWORD '\*[0-9A-F]{40}'/);
        // PostgreSQL logs every DDL statement under log_statement = ddl (the sandbox's, as on many servers): roles get
        // SCRAM verifiers, so no generated password is in its log either.
        const [{ log_statement: logged }] = await postgresQuery<{ log_statement: string }>(e2e.sandbox, "SHOW log_statement");
        assert.equal(
            logged,
            "ddl",
            "the sandbox's PostgreSQL runs with log_statement = ddl (restart it: sandbox/sandbox.sh restart postgres)",
        );
        const logFile = /^TANDEM_POSTGRES_LOG=(.*)$/m.exec(fs.readFileSync(path.join(stateDir(), "sandbox.env"), "utf8"))?.[1];
        assert.ok(logFile, "sandbox.env names PostgreSQL's log (restart the sandbox)");
        const postgresLog = fs.readFileSync(logFile, "utf8");
        for (const secret of generated) assert.ok(!postgresLog.includes(secret), "a generated password is in PostgreSQL's log");
        const roleStatements = postgresLog
            .split("\n")
            .filter((line) => /ALTER ROLE .* PASSWORD /.test(line) && line.includes(prefix.replace(/-/g, "_")));
        assert.ok(roleStatements.length >= 2, `the stack's role statements are in PostgreSQL's log: ${roleStatements.length}`);
        for (const statement of roleStatements) assert.match(statement, /PASSWORD 'SCRAM-SHA-256\$4096:[^']+'/);
    });

    it("stays short next to the raw JSON", () => {
        const raw = JSON.stringify(preview).length;
        assert.ok(markdown.length < 6000, `summary is ${markdown.length} characters`);
        assert.ok(raw > 20 * markdown.length, `raw JSON ${raw} characters vs summary ${markdown.length}`);
    });
});
