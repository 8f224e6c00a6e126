// Benchmark 6: scaling the hot direction. A burst MariaDB → PostgreSQL into the load test's own table with the
// stack as deployed (its topic's partitions, one sink task), then with the topic at 3 partitions and the
// PostgreSQL sink at tasks.max=3, then the same with a second Connect worker joining the group (tasks spread
// over both). Changed behind Pulumi for the run (Kafka admin, Connect's REST API) and put back after with
// `pulumi up --refresh`; partitions cannot shrink, so the own table's topic keeps 3 (its keys stay ordered: one
// key, one partition).
import { ChildProcess } from "child_process";
import { Admin, Kafka, logLevel } from "kafkajs";
import { keyBase } from "../loadtest/rows";
import { LOADTEST_TABLE } from "../loadtest/sql";
import { kafkaTopicName, mysqlTableTopic } from "../core/topics";
import { StackTarget } from "../ops/stackTarget";
import { burst, withOwnTableSynced } from "./bursts";
import { startSecondWorker, waitTasksSpread } from "./workers";
import { log, overrideConnectors, restoreConnectors, saveResult, stackOutputs } from "./lib";

const ROWS = Number(process.env.BENCH_SCALING_ROWS ?? 100_000);
const PARTITIONS = 3;

/** Each variant runs twice (the shared cores make single bursts vary by a quarter): seconds of both. */
async function twice(run: () => Promise<number>): Promise<number[]> {
    return [await run(), await run()];
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
