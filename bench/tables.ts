// Benchmark 5: a stack syncing 200 tables of 10 columns (generated): wall time of the first `pulumi up`, of a
// no-op `up` and of `preview` (with their change counts), and the Connect worker's heap afterwards. Runs on
// its own stack (`bench200`, prefix bench200) beside the local one, and removes it with its tables after.
import { execFileSync } from "child_process";
import axios from "axios";
import mysql from "mysql2/promise";
import { Pool } from "pg";
import { mysqlAddress, readStackTarget } from "../ops/stackTarget";
import { createBenchStack, log, removeBenchStack, ROOT, saveResult, dropBenchTables } from "./lib";

const TABLES = Number(process.env.BENCH_TABLES ?? 200);
const STACK = "bench200";
const names = Array.from({ length: TABLES }, (_, i) => `bench_t${String(i + 1).padStart(3, "0")}`);

function pulumi(args: string[]): { seconds: number; output: string } {
    const started = Date.now();
    const output = execFileSync("pulumi", [...args, "--stack", STACK], { cwd: ROOT, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    return { seconds: (Date.now() - started) / 1000, output };
}

function changes(output: string): string {
    const summary = /Resources:\n([\s\S]*?)\n\n/.exec(output)?.[1] ?? "";
    return summary
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean)
        .join(", ");
}

async function heapBytes(): Promise<number> {
    const metrics = (await axios.get("http://127.0.0.1:19404/metrics")).data as string;
    const line = metrics.split("\n").find((l) => l.startsWith('jvm_memory_used_bytes{area="heap"'));
    return line ? Number(line.split(" ").pop()) : NaN;
}

async function main(): Promise<void> {
    const local = readStackTarget("local");
    const my = await mysql.createConnection(mysqlAddress(local));
    const pg = new Pool({ ...local.postgres, max: 1 });
    const columns = Array.from({ length: 8 }, (_, i) => i);
    try {
        log(`creating ${TABLES} tables of 10 columns on both sides`);
        for (const name of names) {
            await my.query(
                `CREATE TABLE IF NOT EXISTS ${name} (id BIGINT PRIMARY KEY, label VARCHAR(60) NOT NULL, ${columns.map((i) => `c${i} ${i % 2 ? "INT" : "VARCHAR(40)"}`).join(", ")})`,
            );
            await pg.query(
                `CREATE TABLE IF NOT EXISTS ${local.postgres.schema}.${name} (id bigint PRIMARY KEY, label varchar(60) NOT NULL, ${columns.map((i) => `c${i} ${i % 2 ? "integer" : "varchar(40)"}`).join(", ")})`,
            );
        }
        createBenchStack(STACK, 184200, names);
        log(`first pulumi up (${TABLES} tables)`);
        const first = pulumi(["up", "--yes", "--skip-preview", "--suppress-progress"]);
        log(`first up: ${first.seconds.toFixed(1)} s (${changes(first.output)})`);
        const noop = pulumi(["up", "--yes", "--skip-preview", "--suppress-progress"]);
        log(`no-op up: ${noop.seconds.toFixed(1)} s (${changes(noop.output)})`);
        const preview = pulumi(["preview", "--suppress-progress"]);
        log(`preview: ${preview.seconds.toFixed(1)} s (${changes(preview.output)})`);
        const heap = await heapBytes();
        log(`Connect heap used: ${(heap / 2 ** 20).toFixed(0)} MiB`);
        saveResult("tables", {
            tables: TABLES,
            firstUp: { seconds: first.seconds, changes: changes(first.output) },
            noopUp: { seconds: noop.seconds, changes: changes(noop.output) },
            preview: { seconds: preview.seconds, changes: changes(preview.output) },
            connectHeapBytes: heap,
        });
    } finally {
        log("removing the bench stack and its tables");
        removeBenchStack(STACK);
        await dropBenchTables(names, my, pg, local.postgres.schema);
        await my.end();
        await pg.end();
    }
}

main().catch((error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
});
