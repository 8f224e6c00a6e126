// Test support: a free loopback port, promtool, and a real Prometheus run in a temporary folder.
import { ChildProcess, execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import axios from "axios";
import { eventually, stateDir } from "./sandbox";

const run = promisify(execFile);

/** The sandbox Connect worker's JMX exporter as host:port, from sandbox.env (readSandbox does not expose it). */
export function connectMetricsTarget(): string {
    const env = fs.readFileSync(path.join(stateDir(), "sandbox.env"), "utf8");
    const url = /^TANDEM_CONNECT_METRICS_URL=(.*)$/m.exec(env)?.[1];
    if (!url) throw new Error("sandbox.env has no TANDEM_CONNECT_METRICS_URL: restart the sandbox (sandbox/sandbox.sh up)");
    return new URL(url).host;
}

/**
 * A port free now, below Linux's ephemeral range (32768+): a port the kernel hands out for listening is also one it
 * hands to outgoing connections, and one of the many loopback connections of a run took such a port between this
 * check and the monitor binding it (EADDRINUSE in CI).
 */
export async function freePort(): Promise<number> {
    const bindable = (port: number) =>
        new Promise<boolean>((resolve) => {
            const server = net.createServer().once("error", () => resolve(false));
            server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
        });
    for (let attempt = 0; attempt < 100; attempt++) {
        const port = 20_000 + Math.floor(Math.random() * 12_000);
        if (await bindable(port)) return port;
    }
    throw new Error("no free port in 20000..31999 after 100 tries");
}

/** promtool's output (stdout and stderr); fails when it exits non-zero. */
export async function promtool(...args: string[]): Promise<string> {
    const { stdout, stderr } = await run("promtool", args, { timeout: 30_000 });
    return stdout + stderr;
}

/** `promtool check metrics` on an exposition: its complaints (empty when clean) and exit code. */
export async function promtoolCheckMetrics(exposition: string): Promise<{ code: number; output: string }> {
    return new Promise((resolve) => {
        const child = spawn("promtool", ["check", "metrics"], { stdio: ["pipe", "pipe", "pipe"] });
        let output = "";
        child.stdout.on("data", (chunk) => (output += chunk));
        child.stderr.on("data", (chunk) => (output += chunk));
        child.on("close", (code) => resolve({ code: code ?? -1, output }));
        child.stdin.end(exposition);
    });
}

export interface RunningPrometheus {
    api: string;
    dir: string;
    log(): string;
    query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
    alerts(): Promise<{ labels: Record<string, string>; state: string }[]>;
    stop(): Promise<void>;
}

/**
 * Writes the files into a folder (a temporary one unless `into` names one, which stays the caller's) and starts
 * Prometheus on its prometheus.yml; resolves once every target is up.
 */
export async function startPrometheus(files: Record<string, string>, into?: string): Promise<RunningPrometheus> {
    const dir = into ?? fs.mkdtempSync(path.join(os.tmpdir(), "tandem-prometheus-"));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    const port = await freePort();
    const api = `http://127.0.0.1:${port}`;
    let log = "";
    const child: ChildProcess = spawn(
        "prometheus",
        [
            `--config.file=${path.join(dir, "prometheus.yml")}`,
            `--storage.tsdb.path=${path.join(dir, "data")}`,
            `--web.listen-address=127.0.0.1:${port}`,
            "--log.level=warn",
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
    );
    child.stdout!.on("data", (chunk) => (log += chunk));
    child.stderr!.on("data", (chunk) => (log += chunk));
    child.once("error", (error) => (log += `\n${error.message} (Debian package prometheus: toolchain/system.sh)`));
    const kill = () => child.kill("SIGKILL");
    process.once("exit", kill);
    const prometheus: RunningPrometheus = {
        api,
        dir,
        log: () => log,
        async query(expr) {
            return (await axios.get(`${api}/api/v1/query`, { params: { query: expr } })).data.data.result;
        },
        async alerts() {
            return (await axios.get(`${api}/api/v1/alerts`)).data.data.alerts;
        },
        async stop() {
            if (child.exitCode === null && child.signalCode === null) {
                const exited = new Promise((resolve) => child.once("exit", resolve));
                child.kill("SIGTERM");
                await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
                kill();
            }
            process.removeListener("exit", kill);
            if (!into) fs.rmSync(dir, { recursive: true, force: true });
        },
    };
    await eventually("every scrape target up", 30_000, async () => {
        if (child.exitCode !== null) throw new Error(`prometheus exited: ${log}`);
        const active = (await axios.get(`${api}/api/v1/targets`)).data.data.activeTargets;
        return active.length > 0 && active.every((target: { health: string }) => target.health === "up") ? active : undefined;
    }).catch(async (error) => {
        await prometheus.stop();
        throw new Error(`${(error as Error).message}\n${log}`);
    });
    return prometheus;
}
