// The health monitor's own cost: CPU and resident memory of its process idle and while 1,000 rows/s cross each
// way, on the local stack (one synced table besides the canary) and on a stack of 200 synced tables (its own
// monitor on a port of its own), and the time one probe round spends on each dependency (the monitor's
// tandem_probe_duration_seconds, averaged over the idle minute).
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import axios from "axios";
import mysql from "mysql2/promise";
import { Pool } from "pg";
import { mysqlAddress, readStackTarget } from "../ops/stackTarget";
import { createBenchStack, loadtest, log, removeBenchStack, ROOT, saveResult, dropBenchTables } from "./lib";

const SECONDS = Number(process.env.BENCH_MONITOR_SECONDS ?? 60);
const RATE = 1000;
const TABLES = Number(process.env.BENCH_TABLES ?? 200);
const STACK = "benchmon";
const PORT = 18084;
const TICKS_PER_SECOND = 100;

interface ProcessUse {
    /** Share of one core, averaged. */
    cpuCores: number;
    /** Resident memory at the end, and the largest seen while sampling. */
    rssBytes: number;
    maxRssBytes: number;
}

function cpuTicks(pid: number): number {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat
        .slice(stat.lastIndexOf(")") + 2)
        .split(" ")
        .map(Number);
    return fields[11] + fields[12];
}

function rss(pid: number): number {
    const kb = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return Number(kb) * 1024;
}

/** Samples the process while `work` runs (or for `seconds` when there is no work); probe durations from its /metrics. */
async function measure(
    pid: number,
    url: string,
    work: (() => unknown) | number,
): Promise<{ use: ProcessUse; probeSeconds: Record<string, number> }> {
    const startTicks = cpuTicks(pid);
    const started = Date.now();
    let maxRss = rss(pid);
    const probes: Record<string, number[]> = {};
    const sample = async () => {
        maxRss = Math.max(maxRss, rss(pid));
        const text = (await axios.get(`${url}/metrics`)).data as string;
        for (const match of text.matchAll(/^tandem_probe_duration_seconds\{target="(\w+)"\} (\S+)$/gm)) {
            (probes[match[1]] ??= []).push(Number(match[2]));
        }
    };
    if (typeof work === "number") {
        while (Date.now() - started < work * 1000) {
            await sample();
            await new Promise((resolve) => setTimeout(resolve, 2000));
        }
    } else {
        const timer = setInterval(() => void sample().catch(() => undefined), 2000);
        try {
            work();
        } finally {
            clearInterval(timer);
        }
    }
    const seconds = (Date.now() - started) / 1000;
    return {
        use: {
            cpuCores: (cpuTicks(pid) - startTicks) / TICKS_PER_SECOND / seconds,
            rssBytes: rss(pid),
            maxRssBytes: Math.max(maxRss, rss(pid)),
        },
        probeSeconds: Object.fromEntries(
            Object.entries(probes).map(([target, values]) => [target, values.reduce((a, b) => a + b, 0) / values.length]),
        ),
    };
}

function monitorPid(prefix: string): number {
    const file = path.join(process.env.TANDEM_STATE_DIR ?? path.join(ROOT, ".sandbox"), "run", `${prefix}-health-monitor.pid`);
    return Number(fs.readFileSync(file, "utf8"));
}

async function main(): Promise<void> {
    const local = readStackTarget("local");
    const localUrl = `http://127.0.0.1:8084`;
    const localPid = monitorPid(local.prefix);
    log(`local stack's monitor (pid ${localPid}): idle ${SECONDS} s`);
    const oneIdle = await measure(localPid, localUrl, SECONDS);
    log(`local stack's monitor under ${RATE} rows/s each way`);
    // The load test's `spawnSync` blocks this process: sampling happens before and after only (CPU is exact, RSS at the end).
    const oneLoaded = await measure(localPid, localUrl, () =>
        loadtest(["--records", String(RATE * SECONDS), "--rate", String(RATE), "--concurrent", "10", "--timeout", "300"]),
    );

    const names = Array.from({ length: TABLES }, (_, i) => `benchmon_t${String(i + 1).padStart(3, "0")}`);
    const my = await mysql.createConnection(mysqlAddress(local));
    const pg = new Pool({ ...local.postgres, max: 1 });
    let many: { idle: Awaited<ReturnType<typeof measure>>; loaded: Awaited<ReturnType<typeof measure>> } | undefined;
    try {
        log(`${TABLES} tables and a stack syncing them, its monitor on :${PORT}`);
        for (const name of names) {
            await my.query(`CREATE TABLE IF NOT EXISTS ${name} (id BIGINT PRIMARY KEY, label VARCHAR(60) NOT NULL, amount INT)`);
            await pg.query(
                `CREATE TABLE IF NOT EXISTS ${local.postgres.schema}.${name} (id bigint PRIMARY KEY, label varchar(60) NOT NULL, amount integer)`,
            );
        }
        createBenchStack(STACK, 184300, names, { healthMonitor: "true", healthMonitorPort: String(PORT) });
        execFileSync("pulumi", ["up", "--yes", "--skip-preview", "--suppress-progress", "--stack", STACK], { cwd: ROOT, stdio: "ignore" });
        const prefix = readStackTarget(STACK).prefix;
        const pid = monitorPid(prefix);
        const url = `http://127.0.0.1:${PORT}`;
        log(`${TABLES}-table stack's monitor (pid ${pid}): idle ${SECONDS} s`);
        const idle = await measure(pid, url, SECONDS);
        log(`${TABLES}-table stack's monitor under ${RATE} rows/s each way on one of its tables`);
        const loaded = await measure(pid, url, () =>
            loadtest([
                "--stack",
                STACK,
                "--table",
                names[0],
                "--records",
                String(RATE * SECONDS),
                "--rate",
                String(RATE),
                "--concurrent",
                "10",
                "--timeout",
                "300",
            ]),
        );
        many = { idle, loaded };
    } finally {
        log("removing the bench stack and its tables");
        removeBenchStack(STACK);
        await dropBenchTables(names, my, pg, local.postgres.schema);
        await my.end();
        await pg.end();
    }
    saveResult("monitor", {
        seconds: SECONDS,
        rate: RATE,
        oneTable: { idle: oneIdle, loaded: oneLoaded },
        manyTables: { tables: TABLES, ...many },
    });
}

main().catch((error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
});
