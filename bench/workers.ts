// Benchmark and fault-suite helper: a second Connect worker of the sandbox's group, and waiting for a connector's
// tasks to run on a number of workers.
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import axios from "axios";
import { sandboxStateDir } from "./faultInjection";

export const SECOND_WORKER_PORT = 18085;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A second worker of the sandbox's Connect group: its worker.properties with another REST port. */
export function startSecondWorker(): ChildProcess {
    const dir = path.join(sandboxStateDir(), "connect");
    const properties = fs
        .readFileSync(path.join(dir, "worker.properties"), "utf8")
        .replace(/^listeners=.*$/m, `listeners=http://127.0.0.1:${SECOND_WORKER_PORT}`)
        .replace(/^rest\.advertised\.port=.*$/m, `rest.advertised.port=${SECOND_WORKER_PORT}`);
    const file = path.join(dir, "worker-2.properties");
    fs.writeFileSync(file, properties);
    const libs = process.env.TANDEM_KAFKA_LIBS ?? path.join(process.env.TANDEM_JVM_HOME ?? "", "kafka", "libs");
    const logFile = fs.openSync(path.join(sandboxStateDir(), "logs", "connect-2.log"), "a");
    return spawn("java", ["-Xms512m", "-Xmx1536m", "-cp", `${libs}/*`, "org.apache.kafka.connect.cli.ConnectDistributed", file], {
        stdio: ["ignore", logFile, logFile],
    });
}

/** Waits until the sink's tasks run on `workers` distinct workers, all RUNNING. */
export async function waitTasksSpread(connectUrl: string, connector: string, tasks: number, workers: number): Promise<void> {
    for (let attempt = 0; attempt < 240; attempt++) {
        const status = await axios
            .get(`${connectUrl}/connectors/${encodeURIComponent(connector)}/status`)
            .then((response) => response.data as { tasks: { state: string; worker_id: string }[] })
            .catch(() => undefined);
        const running = status?.tasks.filter((task) => task.state === "RUNNING") ?? [];
        if (running.length === tasks && new Set(running.map((task) => task.worker_id)).size >= workers) return;
        await sleep(500);
    }
    throw new Error(`${connector}: ${tasks} tasks did not come up on ${workers} workers`);
}
