// `tandem loadtest` on a running stack, for correctness only (figures are benchmarks' business, bench/): a few
// thousand writes both ways with conflicts converge, with 0 differences, arrivals logged on both sides, no
// echo, conflicts recorded, and the command's own table removed after; with a sink paused it reports
// non-convergence and exits 1. Also --table on a synced table of the stack.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import axios from "axios";
import { Stack } from "@pulumi/pulumi/automation";
import { REPO_ROOT } from "../support/sandbox";
import { e2eSuite } from "../support/e2eSuite";
import { mysqlQuery, postgresQuery, removeSyncStack, syncStack } from "../support/syncStack";

// Connect's REST API takes JSON bodies only, even where the body is empty.
const JSON_BODY = { headers: { "Content-Type": "application/json" } };

function tandem(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const run = spawnSync(path.join(REPO_ROOT, "bin", "tandem"), args, { cwd: REPO_ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

e2eSuite("e2e: tandem loadtest", { timeout: 20 * 60 * 1000 }, (e2e) => {
    const suffix = `${Date.now().toString(36).slice(-5)}${Math.floor(Math.random() * 1e3)}`;
    const prefix = `lt-${suffix}`;
    const table = `items_${suffix}`;
    let stack: Stack;

    before(async () => {
        await mysqlQuery(
            e2e.sandbox,
            `CREATE TABLE \`${table}\` (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, price DECIMAL(8,2), seen DATETIME(6))`,
        );
        await postgresQuery(
            e2e.sandbox,
            `CREATE TABLE public."${table}" (id integer PRIMARY KEY, name varchar(40) NOT NULL, price numeric(8,2), seen timestamp(6))`,
        );
        stack = await syncStack(e2e.sandbox, prefix, [table]);
        assert.equal((await stack.up({ onOutput: () => undefined })).summary.result, "succeeded");
    });

    after(async () => removeSyncStack(e2e.sandbox, stack, [table, "tandem_loadtest"]));

    it("both directions with conflicts: converges, 0 differences, arrivals on both sides, no echo, conflicts recorded, exit 0", () => {
        const run = tandem(["loadtest", "--stack", prefix, "--records", "2000", "--concurrent", "4", "--conflicts", "0.1", "-o", "json"]);
        assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
        const result = JSON.parse(run.stdout);
        assert.equal(result.ok, true);
        assert.equal(result.differences.count, 0);
        assert.deepEqual([result.planCheck.lost, result.planCheck.resurrected, result.planCheck.staleVersions], [0, 0, 0]);
        assert.ok(result.convergedAfterMs !== null);
        for (const direction of ["mysql-to-postgres", "postgres-to-mysql"]) {
            const d = result.directions[direction];
            assert.equal(d.writes.insert + d.writes.update + d.writes.delete, 2000);
            assert.ok(d.latencyMs.count > 1000, `${direction}: ${d.latencyMs.count} arrivals logged`);
            assert.ok(d.latencyMs.p50 > 0 && d.latencyMs.p50 <= d.latencyMs.p99 && d.latencyMs.p99 <= d.latencyMs.max);
            assert.equal(d.echoes, 0, `${direction}: events beyond the application's writes`);
        }
        assert.ok(result.conflictsRecorded.mysql + result.conflictsRecorded.postgres > 0, "conflicts recorded");
        // The command's own table left the stack and the databases.
        const outputs = spawnSync("pulumi", ["stack", "output", "tables", "--json", "--stack", prefix], {
            cwd: REPO_ROOT,
            encoding: "utf8",
        });
        assert.deepEqual(JSON.parse(outputs.stdout), [table]);
    });

    it("--table on a synced table, one direction, paced: a human report with the percentiles", async () => {
        const run = tandem([
            "loadtest",
            "--stack",
            prefix,
            "--table",
            table,
            "--records",
            "300",
            "--concurrent",
            "3",
            "--rate",
            "200",
            "--direction",
            "postgres-to-mysql",
        ]);
        assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
        assert.match(run.stdout, /postgres-to-mysql\s+300\s/);
        assert.match(run.stdout, /p50\s+p90\s+p99\s+max/);
        assert.match(run.stdout, /OK: both sides identical/);
    });

    it("with the MySQL sink paused: reports non-convergence and exits 1", async () => {
        const connector = `${prefix}-mysql-sink`;
        await axios.put(`${e2e.sandbox.connectUrl}/connectors/${connector}/pause`, {}, JSON_BODY);
        try {
            const run = tandem([
                "loadtest",
                "--stack",
                prefix,
                "--table",
                table,
                "--records",
                "100",
                "--direction",
                "postgres-to-mysql",
                "--timeout",
                "15",
            ]);
            assert.equal(run.status, 1, `${run.stdout}\n${run.stderr}`);
            assert.match(run.stdout, /converged: NO within 15 s/);
            assert.match(run.stdout, /FAILED/);
        } finally {
            await axios.put(`${e2e.sandbox.connectUrl}/connectors/${connector}/resume`, {}, JSON_BODY);
        }
    });
});
