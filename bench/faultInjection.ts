// Faults injected into the sandbox (sandbox/sandbox.sh's processes, state under $TANDEM_STATE_DIR, default
// <repo>/.sandbox) and the poison row, shared by the fault matrix (bench/faults.ts) and its CI-sized e2e suite
// (test/e2e/faults.test.ts). Processes come back as a supervisor (systemd, Kubernetes) would bring them back:
// `sandbox/sandbox.sh up` starts the parts that are missing. The sandbox script runs with the caller's
// environment, so a sandbox of other ports (TANDEM_*_PORT) and state dir is the one acted on.
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import mysql from "mysql2/promise";
import { mysqlDriverOptions } from "../core/databaseTls";
import { mysqlAddress, StackTarget } from "../ops/stackTarget";

const ROOT = path.resolve(__dirname, "..");

export type SandboxPart = "mariadb" | "postgres" | "kafka" | "connect";

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The sandbox's state dir, as sandbox/sandbox.sh computes it. */
export function sandboxStateDir(): string {
    return process.env.TANDEM_STATE_DIR || path.join(ROOT, ".sandbox");
}

/** `sandbox/sandbox.sh <args>`, asynchronously (a caller may keep polling meanwhile); fails with its output's tail. */
export async function sandbox(...args: string[]): Promise<void> {
    try {
        await promisify(execFile)("bash", [path.join(ROOT, "sandbox", "sandbox.sh"), ...args], { maxBuffer: 16 * 2 ** 20 });
    } catch (error) {
        const failed = error as { stdout?: string; stderr?: string; message: string };
        throw new Error(
            `sandbox.sh ${args.join(" ")} failed: ${`${failed.stdout ?? ""}${failed.stderr ?? ""}`.slice(-2000) || failed.message}`,
            { cause: error },
        );
    }
}

/** A key of sandbox.env (written by `sandbox.sh up`). */
function sandboxEnv(key: string): string {
    const file = path.join(sandboxStateDir(), "sandbox.env");
    const value = new RegExp(`^${key}=(.*)$`, "m").exec(fs.readFileSync(file, "utf8"))?.[1];
    if (!value) throw new Error(`${file} has no ${key}: restart the sandbox (sandbox/sandbox.sh up)`);
    return value;
}

/** PostgreSQL's data directory: beside its log (under /var/tmp when the state dir is not reachable by user postgres). */
function postgresDataDir(): string {
    return path.join(path.dirname(sandboxEnv("TANDEM_POSTGRES_LOG")), "data");
}

/** The pid of a running sandbox part (PostgreSQL's postmaster from its own lock file). */
export function sandboxPid(part: SandboxPart): number {
    const file = part === "postgres" ? path.join(postgresDataDir(), "postmaster.pid") : path.join(sandboxStateDir(), "run", `${part}.pid`);
    const pid = Number(fs.readFileSync(file, "utf8").split("\n")[0].trim());
    if (!Number.isSafeInteger(pid) || pid <= 0) throw new Error(`${file} holds no pid`);
    return pid;
}

/** `kill -9` of a sandbox part, then its supervisor's restart after `downMs`. */
export async function killAndRestart(part: SandboxPart, downMs: number): Promise<void> {
    process.kill(sandboxPid(part), "SIGKILL");
    await sleep(downMs);
    await sandbox("up");
}

/** PostgreSQL stopped in immediate mode (no checkpoint: crash recovery on the next start), restarted after `downMs`. */
export async function postgresImmediateRestart(downMs: number): Promise<void> {
    const data = postgresDataDir();
    const major = fs.readFileSync(path.join(data, "PG_VERSION"), "utf8").trim();
    const pgCtl = [`/usr/lib/postgresql/${major}/bin/pg_ctl`, "stop", "-s", "-m", "immediate", "-D", data];
    // PostgreSQL refuses to run as root: the sandbox runs it as user postgres then.
    const asRoot = process.getuid?.() === 0;
    await promisify(execFile)(asRoot ? "runuser" : pgCtl[0], asRoot ? ["-u", "postgres", "--", ...pgCtl] : pgCtl.slice(1));
    await sleep(downMs);
    await sandbox("up");
}

/**
 * A row PostgreSQL refuses — MySQL's zero date, which arrives as NULL, into a NOT NULL column — written in MySQL:
 * the sync must set it aside in the quarantine (the dead-letter topic) and go on. `table` is shaped like
 * scripts/demo.sh's demo_items: an AUTO_INCREMENT key, `name`, `price`, and `created_at` NOT NULL on PostgreSQL.
 * Returns the row's id.
 */
export async function injectPoisonRow(target: StackTarget, table: string): Promise<number> {
    const db = await mysql.createConnection(mysqlDriverOptions(mysqlAddress(target)));
    try {
        await db.query("SET SESSION sql_mode = ''");
        const [result] = await db.query(
            "INSERT INTO ?? (name, price, created_at) VALUES ('poison (fault suite)', 1.00, '0000-00-00 00:00:00')",
            [table],
        );
        return (result as { insertId: number }).insertId;
    } finally {
        await db.end();
    }
}

/** Deletes the poison row from MySQL (PostgreSQL never had it), so that both sides hold the same rows again. */
export async function removePoisonRow(target: StackTarget, table: string, id: number): Promise<void> {
    const db = await mysql.createConnection(mysqlDriverOptions(mysqlAddress(target)));
    await db.query("DELETE FROM ?? WHERE id = ?", [table, id]).finally(() => db.end());
}
