// Benchmark helpers: run `tandem loadtest`, change the stack's connectors behind Pulumi (and put them back with
// `pulumi up --refresh`), the machine's description, results as JSON files that bench/render.ts turns into
// docs/performance.md.
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import axios from "axios";
import { tombstoneTable } from "../core/names";
import { LoadtestResult } from "../loadtest/run";

export const ROOT = path.resolve(__dirname, "..");
export const RESULTS = path.join(ROOT, "bench", "results");
export const STACK = process.env.TANDEM_BENCH_STACK ?? "local";

export function log(message: string): void {
    process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

export function loadtest(args: string[]): LoadtestResult {
    log(`tandem loadtest ${args.join(" ")}`);
    const run = spawnSync(path.join(ROOT, "bin", "tandem"), ["loadtest", "--stack", STACK, "-o", "json", ...args], {
        cwd: ROOT,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
        maxBuffer: 256 * 1024 * 1024,
    });
    if (!run.stdout) throw new Error(`tandem loadtest printed nothing (exit ${run.status})`);
    return JSON.parse(run.stdout) as LoadtestResult;
}

export function stackOutputs(): { connectUrl: string; connectors: Record<string, { name: string }> } {
    return JSON.parse(execFileSync("pulumi", ["stack", "output", "--json", "--stack", STACK], { cwd: ROOT, encoding: "utf8" }));
}

/**
 * Waits until the stack's health monitor sees both directions' canary cross in under a second: the sources have
 * read any backlog (e.g. a large binlog left by an earlier benchmark) and the worker is idle again.
 */
export async function waitSyncIdle(timeoutSeconds = 1800): Promise<void> {
    const outputs = JSON.parse(execFileSync("pulumi", ["stack", "output", "--json", "--stack", STACK], { cwd: ROOT, encoding: "utf8" }));
    const url: string | undefined = outputs.dashboards?.healthMonitor;
    if (!url)
        throw new Error(`stack ${STACK} has no health monitor (dashboards.healthMonitor): the benchmarks need it to know the sync is idle`);
    const started = Date.now();
    let last: string | undefined;
    for (;;) {
        try {
            const text = (await axios.get(`${url}/metrics`)).data as string;
            const delays = [...text.matchAll(/^tandem_sync_delay_seconds\{direction="([^"]+)"\} (\S+)$/gm)].map(
                (m) => [m[1], Number(m[2])] as const,
            );
            last = delays.map(([direction, delay]) => `${direction} ${delay.toFixed(2)} s`).join(", ");
            if (delays.length === 2 && delays.every(([, delay]) => delay < 1)) {
                log(`sync idle (${last}) after ${((Date.now() - started) / 1000).toFixed(0)} s`);
                return;
            }
        } catch (error) {
            last = (error as Error).message;
        }
        if (Date.now() - started > timeoutSeconds * 1000)
            throw new Error(`the sync did not become idle within ${timeoutSeconds} s: ${last ?? "no answer"}`);
        await new Promise((resolve) => setTimeout(resolve, 2000));
    }
}

/** Sets config keys of the stack's connectors through Connect's REST API (not through Pulumi), waits for RUNNING. */
export async function overrideConnectors(changes: Record<string, Record<string, string>>): Promise<void> {
    const outputs = stackOutputs();
    for (const [key, settings] of Object.entries(changes)) {
        const name = outputs.connectors[key].name;
        const url = `${outputs.connectUrl}/connectors/${encodeURIComponent(name)}`;
        const config = (await axios.get(`${url}/config`)).data as Record<string, string>;
        await axios.put(`${url}/config`, { ...config, ...settings }, { headers: { "Content-Type": "application/json" } });
        log(
            `${name}: ${Object.entries(settings)
                .map(([k, v]) => `${k}=${v}`)
                .join(", ")}`,
        );
    }
    await waitRunning(outputs);
}

async function waitRunning(outputs: ReturnType<typeof stackOutputs>): Promise<void> {
    for (let attempt = 0; attempt < 120; attempt++) {
        const states = await Promise.all(
            Object.values(outputs.connectors).map(async ({ name }) => {
                const status = (await axios.get(`${outputs.connectUrl}/connectors/${encodeURIComponent(name)}/status`)).data;
                return (
                    status.connector.state === "RUNNING" &&
                    status.tasks.length > 0 &&
                    status.tasks.every((task: { state: string }) => task.state === "RUNNING")
                );
            }),
        );
        if (states.every(Boolean)) return;
        await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error("the connectors did not return to RUNNING");
}

/** Puts the connectors back as the stack declares them. */
export function restoreConnectors(): void {
    log("pulumi up --refresh (connectors back to the stack's settings)");
    execFileSync("pulumi", ["up", "--yes", "--refresh", "--skip-preview", "--suppress-progress", "--stack", STACK], {
        cwd: ROOT,
        stdio: "ignore",
    });
}

export function machine(): Record<string, string> {
    const version = (command: string, args: string[]) => {
        try {
            return execFileSync(command, args, { encoding: "utf8" }).trim().split("\n")[0];
        } catch {
            return "unknown";
        }
    };
    return {
        cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown"}`,
        memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
        os: `${os.type()} ${os.release()}`,
        node: process.version,
        java:
            version("java", ["-version"]) === "unknown"
                ? version("sh", ["-c", "java -version 2>&1"])
                : version("sh", ["-c", "java -version 2>&1"]),
        mariadb: version("mariadb", ["--version"]),
        postgres: version("sh", ["-c", `${process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin"}/postgres --version`]),
        kafka: process.env.KAFKA_VERSION ?? "unknown",
        debezium: process.env.DEBEZIUM_VERSION ?? "unknown",
    };
}

export function saveResult(name: string, value: unknown): void {
    fs.mkdirSync(RESULTS, { recursive: true });
    fs.writeFileSync(
        path.join(RESULTS, `${name}.json`),
        `${JSON.stringify({ measuredAt: new Date().toISOString(), machine: machine(), ...(value as object) }, null, 2)}\n`,
    );
    log(`saved bench/results/${name}.json`);
}

/**
 * A stack of its own for a benchmark, beside the local one: the local stack's config with a fresh topic prefix,
 * server id and table list (written into the stack file in one go: hundreds of `pulumi config set` calls would
 * take minutes), teardown on destroy.
 */
export function createBenchStack(stack: string, serverId: number, tables: string[], extra: Record<string, string> = {}): void {
    execFileSync("pulumi", ["stack", "init", stack], { cwd: ROOT, stdio: "ignore" });
    execFileSync("pulumi", ["config", "cp", "--stack", "local", "--dest", stack], { cwd: ROOT, stdio: "ignore" });
    const file = path.join(ROOT, `Pulumi.${stack}.yaml`);
    let text = fs
        .readFileSync(file, "utf8")
        .replace(/ {2}tandem:tables:\n( {4}- .*\n)+/, "")
        // A prefix of its own per run: whatever an interrupted run left (connector offsets, topics) is never reused.
        .replace(/tandem:topicPrefix: .*/, `tandem:topicPrefix: ${stack}-${Date.now().toString(36)}`)
        .replace(/ {2}tandem:mysqlServerId: .*\n/, "");
    for (const key of Object.keys(extra)) text = text.replace(new RegExp(` {2}tandem:${key}: .*\\n`), "");
    // No health monitor of its own: the local stack's holds its port.
    const settings = { mysqlServerId: String(serverId), teardownOnDestroy: "true", healthMonitor: "false", ...extra };
    fs.writeFileSync(
        file,
        `${text}${Object.entries(settings)
            .map(([key, value]) => `  tandem:${key}: "${value}"\n`)
            .join("")}  tandem:tables:\n${tables.map((name) => `    - ${name}\n`).join("")}`,
    );
}

/** Drops a benchmark's tables on both sides, with the tombstone tables a teardown would have removed. */
export async function dropBenchTables(
    tables: string[],
    mysql: { query(sql: string): Promise<unknown> },
    postgres: { query(sql: string): Promise<unknown> },
    schema: string,
): Promise<void> {
    for (const name of tables) {
        await mysql.query(`DROP TABLE IF EXISTS ${name}, ${tombstoneTable(name)}`);
        await postgres.query(`DROP TABLE IF EXISTS ${schema}.${name}, ${schema}.${tombstoneTable(name)}`);
    }
}

/** Destroys a benchmark's stack (its connectors, topics and what it added to the databases) and forgets it. */
export function removeBenchStack(stack: string): void {
    const destroy = () =>
        execFileSync("pulumi", ["destroy", "--yes", "--skip-preview", "--suppress-progress", "--stack", stack], {
            cwd: ROOT,
            stdio: ["ignore", "ignore", "pipe"],
            encoding: "utf8",
        });
    try {
        try {
            destroy();
        } catch (error) {
            // Seen with the 200-table stacks: the first destroy fails and a second one finishes. Say why, then retry.
            log(
                `destroy of ${stack} failed, retrying once: ${String((error as { stderr?: string }).stderr ?? error)
                    .split("\n")
                    .slice(0, 8)
                    .join(" | ")}`,
            );
            destroy();
        }
        execFileSync("pulumi", ["stack", "rm", "--yes", stack], { cwd: ROOT, stdio: "ignore" });
    } catch (error) {
        log(`cleanup of stack ${stack}: ${(error as Error).message.split("\n")[0]}`);
    }
    fs.rmSync(path.join(ROOT, `Pulumi.${stack}.yaml`), { force: true });
}
