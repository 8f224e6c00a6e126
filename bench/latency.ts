// Benchmarks 1 and 2: latency at a paced load in both directions at once, with the stack's settings, then
// with the old tool's connector settings (Debezium's and Kafka's defaults) in the same run.
import { LOADTEST_TABLE } from "../loadtest/sql";
import { readStackTarget, saveStackConfigFile, upStack } from "../ops/stackTarget";
import { measureCpu } from "./cpuUse";
import { loadtest, log, overrideConnectors, restoreConnectors, saveResult, STACK, waitSyncIdle } from "./lib";

const RATE = Number(process.env.BENCH_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);

/** What the old tool ran with: Debezium's defaults for the sources, Kafka's for the clients, the sink's batch. */
export const OLD_TOOL_SETTINGS = {
    source: { "poll.interval.ms": "500", "max.batch.size": "2048", "producer.override.linger.ms": "0" },
    sink: { "batch.size": "500", "consumer.override.fetch.max.wait.ms": "500", "consumer.override.max.poll.records": "500" },
};

async function main(): Promise<void> {
    const args = ["--records", String(RATE * SECONDS), "--rate", String(RATE), "--concurrent", "10", "--timeout", "600", "--keep"];
    // Both runs use the load test's own table, kept between them (--keep) and taken out of the stack at the end.
    const configFile = saveStackConfigFile(STACK);
    const added = !readStackTarget(STACK).syncedTables.includes(LOADTEST_TABLE);
    // Nothing left to read from earlier runs, then a short warm-up: the table joins the stack (its connectors
    // restart) and the worker's JIT warms up.
    await waitSyncIdle();
    loadtest(["--records", "3000", "--rate", "300", "--concurrent", "10", "--keep"]);
    await waitSyncIdle();
    const ours = await measureCpu(() => loadtest(args));
    await waitSyncIdle();
    log("the old tool's settings");
    await overrideConnectors({
        mysqlSource: OLD_TOOL_SETTINGS.source,
        postgresSource: OLD_TOOL_SETTINGS.source,
        postgresSink: OLD_TOOL_SETTINGS.sink,
        mysqlSink: OLD_TOOL_SETTINGS.sink,
    });
    let old;
    try {
        old = await measureCpu(() => loadtest(args));
    } finally {
        restoreConnectors();
        if (added) {
            log(`taking ${LOADTEST_TABLE} out of stack ${STACK}`);
            configFile.restore();
            upStack(STACK);
        }
    }
    saveResult("latency", {
        rate: RATE,
        seconds: SECONDS,
        oldToolSettings: OLD_TOOL_SETTINGS,
        ours: ours.result,
        oursCpu: ours.cpu,
        old: old.result,
        oldCpu: old.cpu,
    });
}

main().catch((error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
});
