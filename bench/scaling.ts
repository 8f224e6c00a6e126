// Benchmark 6: scaling the hot direction. A burst MariaDB → PostgreSQL into the load test's own table with the
// stack as deployed (its topic's partitions, one sink task), then with the topic at 3 partitions and the
// PostgreSQL sink at tasks.max=3, then the same with a second Connect worker joining the group (tasks spread
// over both). Changed behind Pulumi for the run (Kafka admin, Connect's REST API) and put back after with
// `pulumi up --refresh`; partitions cannot shrink, so the own table's topic keeps 3 (its keys stay ordered: one
// key, one partition).
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import axios from "axios";
import { Admin, Kafka, logLevel } from "kafkajs";
import { keyBase } from "../loadtest/rows";
import { LOADTEST_TABLE } from "../loadtest/sql";
import { kafkaTopicName, mysqlTableTopic } from "../core/topics";
import { StackTarget } from "../ops/stackTarget";
import { burst, withOwnTableSynced } from "./bursts";
import { log, overrideConnectors, restoreConnectors, ROOT, saveResult, stackOutputs } from "./lib";

const ROWS = Number(process.env.BENCH_SCALING_ROWS ?? 100_000);
const PARTITIONS = 3;
const SECOND_WORKER_PORT = 18085;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Each variant runs twice (the shared cores make single bursts vary by a quarter): seconds of both. */
async function twice(run: () => Promise<number>): Promise<number[]> {
    return [await run(), await run()];
}

/** A second worker of the sandbox's Connect group: its worker.properties with another REST port. */
function startSecondWorker(): ChildProcess {
    const dir = path.join(ROOT, ".sandbox", "connect");
    const properties = fs
        .readFileSync(path.join(dir, "worker.properties"), "utf8")
        .replace(/^listeners=.*$/m, `listeners=http://127.0.0.1:${SECOND_WORKER_PORT}`)
        .replace(/^rest\.advertised\.port=.*$/m, `rest.advertised.port=${SECOND_WORKER_PORT}`);
    const file = path.join(dir, "worker-2.properties");
    fs.writeFileSync(file, properties);
    const libs = process.env.TANDEM_KAFKA_LIBS ?? path.join(process.env.TANDEM_JVM_HOME ?? "", "kafka", "libs");
    const logFile = fs.openSync(path.join(ROOT, ".sandbox", "logs", "connect-2.log"), "a");
    return spawn("java", ["-Xms512m", "-Xmx1536m", "-cp", `${libs}/*`, "org.apache.kafka.connect.cli.ConnectDistributed", file], {
        stdio: ["ignore", logFile, logFile],
    });
}

/** Waits until the sink's tasks run on `workers` distinct workers, all RUNNING. */
async function waitTasksSpread(connectUrl: string, connector: string, tasks: number, workers: number): Promise<void> {
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

async function main(): Promise<void> {
    let kafkaAdmin: Admin | undefined;
    let second: ChildProcess | undefined;
    const admin = async (target: StackTarget) => {
        if (!kafkaAdmin) {
            kafkaAdmin = new Kafka({ brokers: [target.kafkaBootstrapServers], logLevel: logLevel.NOTHING }).admin();
            await kafkaAdmin.connect();
        }
        return kafkaAdmin;
    };
    const topicOf = (target: StackTarget) => kafkaTopicName(mysqlTableTopic(target.prefix, target.mysql.database, LOADTEST_TABLE));
    try {
        await withOwnTableSynced(
            async (db, target) => {
                // The second worker and the connector overrides go before the own table leaves the stack.
                try {
                    const topic = topicOf(target);
                    const kafka = await admin(target);
                    const outputs = stackOutputs();
                    const sink = outputs.connectors.postgresSink.name;
                    const partitionsBefore = (await kafka.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions.length;
                    let base = keyBase(Date.now());
                    const next = () => (base += 2 * ROWS);

                    // Connectors just restarted by the `up` and a cold JIT would slow the first variant only: warm up first.
                    log("warm-up burst (not measured)");
                    await burst(db, target, "mysql", next(), Math.min(ROWS, 20_000));
                    log(`as deployed: ${topic} with ${partitionsBefore} partition(s), 1 sink task, 1 worker`);
                    const asDeployed = await twice(() => burst(db, target, "mysql", next(), ROWS));

                    if (partitionsBefore < PARTITIONS) await kafka.createPartitions({ topicPartitions: [{ topic, count: PARTITIONS }] });
                    await overrideConnectors({ postgresSink: { "tasks.max": String(PARTITIONS) } });
                    await waitTasksSpread(outputs.connectUrl, sink, PARTITIONS, 1);
                    log(`${PARTITIONS} partitions, ${PARTITIONS} sink tasks, 1 worker`);
                    const partitioned = await twice(() => burst(db, target, "mysql", next(), ROWS));

                    second = startSecondWorker();
                    await waitTasksSpread(outputs.connectUrl, sink, PARTITIONS, 2);
                    log(`${PARTITIONS} partitions, ${PARTITIONS} sink tasks, 2 workers`);
                    const twoWorkers = await twice(() => burst(db, target, "mysql", next(), ROWS));

                    // rows/s of each run, and over both runs together.
                    const rate = (seconds: number[]) => ({
                        runs: seconds.map((s) => ROWS / s),
                        overall: (ROWS * seconds.length) / seconds.reduce((a, b) => a + b, 0),
                    });
                    saveResult("scaling", {
                        rows: ROWS,
                        topic,
                        asDeployed: {
                            partitions: partitionsBefore,
                            sinkTasks: 1,
                            workers: 1,
                            seconds: asDeployed,
                            rowsPerSecond: rate(asDeployed),
                        },
                        partitioned: {
                            partitions: PARTITIONS,
                            sinkTasks: PARTITIONS,
                            workers: 1,
                            seconds: partitioned,
                            rowsPerSecond: rate(partitioned),
                        },
                        twoWorkers: {
                            partitions: PARTITIONS,
                            sinkTasks: PARTITIONS,
                            workers: 2,
                            seconds: twoWorkers,
                            rowsPerSecond: rate(twoWorkers),
                        },
                    });
                } finally {
                    if (second) {
                        second.kill("SIGTERM");
                        await new Promise((resolve) => second!.once("exit", resolve));
                    }
                    restoreConnectors();
                }
            },
            // A topic left by an earlier run keeps the partitions it was given: start from the stack's own.
            async (target) => {
                const kafka = await admin(target);
                if ((await kafka.listTopics()).includes(topicOf(target))) await kafka.deleteTopics({ topics: [topicOf(target)] });
            },
        );
    } finally {
        await kafkaAdmin?.disconnect().catch(() => undefined);
    }
}

main().catch((error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
});
