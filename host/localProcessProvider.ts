// The dynamic provider behind LocalProcess: a long-running process on the machine running `pulumi` (the
// `local` stack's health monitor). Started detached with its output in a log file and its pid in a pid file,
// checked ready by an HTTP URL; stopped by SIGTERM (SIGKILL after a grace period). A process that died
// since the last `up` shows as a replacement in the next preview, and `up` starts it again.
// Serialized into Pulumi's state: packages are required inside functions.
import type * as pulumi from "@pulumi/pulumi";

export interface LocalProcessInputs {
    /** Executable and arguments. */
    command: string[];
    /**
     * Arguments that identify the running process in /proc/<pid>/cmdline (default: `command`; differs when the
     * executable is a script that execs another program). A reused pid never matches.
     */
    match?: string[];
    cwd: string;
    /** Variables added to the process's environment (secrets among them: the resource keeps them secret). */
    env: Record<string, string>;
    /** What the process is called in messages. */
    name: string;
    /** Its pid goes here (e.g. the sandbox's run folder, whose processes `sandbox.sh down` stops). */
    pidFile: string;
    /** Its output is appended here. */
    logFile: string;
    /** Answers (any HTTP status) once the process is ready. */
    readyUrl: string;
    readyTimeoutSeconds?: number;
    /** Changes when the program's code does, so that `up` restarts it on the new code. */
    revision?: string;
}

export interface LocalProcessOutputs extends LocalProcessInputs {
    pid: number;
    startedAt: string;
}

/** Whether `pid` is alive and still runs our command (pids are reused). */
export function runsCommand(pid: number, command: string[]): boolean {
    const fs: typeof import("fs") = require("fs");
    try {
        const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
        return command.every((part) => cmdline.some((arg) => arg === part || arg.endsWith(part)));
    } catch {
        return false;
    }
}

async function stopProcess(pid: number, command: string[], graceMs = 10_000): Promise<void> {
    if (!runsCommand(pid, command)) return;
    try {
        process.kill(pid, "SIGTERM");
    } catch {
        return;
    }
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && runsCommand(pid, command)) await new Promise((resolve) => setTimeout(resolve, 200));
    if (runsCommand(pid, command)) process.kill(pid, "SIGKILL");
}

async function startProcess(inputs: LocalProcessInputs): Promise<LocalProcessOutputs> {
    const fs: typeof import("fs") = require("fs");
    const path: typeof import("path") = require("path");
    const { spawn }: typeof import("child_process") = require("child_process");
    const http: typeof import("http") = require("http");
    const { logFile, pidFile } = inputs;
    for (const file of [logFile, pidFile]) fs.mkdirSync(path.dirname(file), { recursive: true });
    // A process left by an earlier stack state (or a failed create) would hold the port.
    if (fs.existsSync(pidFile)) await stopProcess(Number(fs.readFileSync(pidFile, "utf8")), inputs.match ?? inputs.command);
    const log = fs.openSync(logFile, "a");
    const child = spawn(inputs.command[0], inputs.command.slice(1), {
        cwd: inputs.cwd,
        env: { ...process.env, ...inputs.env },
        detached: true,
        stdio: ["ignore", log, log],
    });
    fs.closeSync(log);
    let exited: number | null | undefined;
    child.on("exit", (code) => (exited = code));
    child.unref();
    const pid = child.pid!;
    fs.writeFileSync(pidFile, `${pid}\n`);
    const ready = () =>
        new Promise<boolean>((resolve) => {
            const request = http.get(inputs.readyUrl, { timeout: 2000 }, (response) => {
                response.resume();
                resolve(true);
            });
            request.on("error", () => resolve(false));
            request.on("timeout", () => {
                request.destroy();
                resolve(false);
            });
        });
    const deadline = Date.now() + (inputs.readyTimeoutSeconds ?? 60) * 1000;
    while (!(await ready())) {
        const tail = () => fs.readFileSync(logFile, "utf8").split("\n").slice(-15).join("\n");
        if (exited !== undefined)
            throw new Error(`${inputs.name} exited (${exited}) before it was ready; ${logFile} ends with:\n${tail()}`);
        if (Date.now() > deadline) {
            await stopProcess(pid, inputs.match ?? inputs.command);
            throw new Error(
                `${inputs.name} did not answer ${inputs.readyUrl} within ${inputs.readyTimeoutSeconds ?? 60} s; ${logFile} ends with:\n${tail()}`,
            );
        }
        await new Promise((resolve) => setTimeout(resolve, 300));
    }
    return { ...inputs, pid, startedAt: new Date().toISOString() };
}

export const localProcessProvider: pulumi.dynamic.ResourceProvider<LocalProcessInputs, LocalProcessOutputs> = {
    async diff(_id, olds, news) {
        const replaces: string[] = (
            ["command", "match", "cwd", "env", "name", "pidFile", "logFile", "readyUrl", "revision"] as const
        ).filter((key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]));
        // Gone since the last `up` (machine restarted, sandbox stopped, killed): start it again.
        if (!runsCommand(olds.pid, olds.match ?? olds.command)) replaces.push("pid");
        return { changes: replaces.length > 0, replaces, deleteBeforeReplace: true };
    },

    async create(inputs) {
        const outs = await startProcess(inputs);
        return { id: `${inputs.name}-${outs.pid}`, outs };
    },

    async read(id, props) {
        return { id, props };
    },

    async delete(_id, props) {
        await stopProcess(props.pid, props.match ?? props.command);
        const fs: typeof import("fs") = require("fs");
        fs.rmSync(props.pidFile, { force: true });
    },
};
