// `tandem loadtest`: writes rows on both sides of a running stack and measures how they cross — commit→visible
// latency taken inside the receiving database, throughput, convergence, echoes, conflicts — then compares the
// table on both sides. Exit 1 when the sides did not converge or differ.
import { MultiBar, Presets, SingleBar } from "cli-progress";
import { Command, Option } from "commander";
import { Direction } from "../../core/vocabulary";
import { RawLoadtestOptions, validateLoadtestOptions } from "../../loadtest/options";
import { renderReport } from "../../loadtest/report";
import { Progress, runLoadtest, TableShape, tableShape } from "../../loadtest/run";
import { dropLoadtestTableSql, LOADTEST_TABLE, loadtestTableSql } from "../../loadtest/sql";
import { runOnBothSides } from "../../ops/bothSides";
import { applyStackTables, readStackTarget, saveStackConfigFile, upStack } from "../../ops/stackTarget";
import { act } from "../command";
import { emit } from "../output";

function progressOnStderr(): Progress {
    const bars = new MultiBar(
        {
            format: " {direction} [{bar}] {value}/{total} writes  {speed} rows/s",
            hideCursor: true,
            noTTYOutput: true,
            notTTYSchedule: 5000,
            stream: process.stderr,
        },
        Presets.shades_classic,
    );
    const byDirection = new Map<Direction, { bar: SingleBar; started: number }>();
    return {
        start(direction, total) {
            byDirection.set(direction, { bar: bars.create(total, 0, { direction: direction.padEnd(17), speed: 0 }), started: Date.now() });
        },
        advance(direction) {
            const entry = byDirection.get(direction)!;
            const done = entry.bar.getProgress() * entry.bar.getTotal() + 1;
            entry.bar.increment(1, { speed: Math.round(done / Math.max((Date.now() - entry.started) / 1000, 0.001)) });
        },
        phase(message) {
            if (byDirection.size === 0) process.stderr.write(`${message}…\n`);
            else bars.log(`${message}…\n`);
        },
        stop() {
            bars.stop();
        },
    };
}

const OWN_TABLE: TableShape = { name: LOADTEST_TABLE, key: "id", columns: { mysql: [], postgres: [] }, keyKind: "integer", own: true };

export function loadtestCommand(): Command {
    return new Command("loadtest")
        .description("Write rows on both sides of a running stack; report latency, throughput, convergence, echoes and conflicts.")
        .option("--records <n>", "writes per direction", "10000")
        .option("--concurrent <n>", "concurrent writers per direction", "10")
        .addOption(
            new Option("--direction <direction>", "which side writes")
                .choices(["both", "mysql-to-postgres", "postgres-to-mysql"])
                .default("both"),
        )
        .option("--rate <n>", "paced writes per second per direction (default: as fast as the writers go)")
        .option("--mix <mix>", "shares of inserts, updates and deletes", "insert:70,update:25,delete:5")
        .option("--conflicts <ratio>", "share of writes that update keys written on both sides at once", "0")
        .option("--table <name>", "a synced table to load (default: the command's own table pair, added to the stack and removed after)")
        .option("--timeout <seconds>", "how long to wait for both sides to converge after the last write", "120")
        .option("--keep", "keep the command's own table in the stack afterwards (faster reruns)")
        .option(
            "--retry-writes <seconds>",
            "retry a write whose connection was lost for up to this long, as an application would (fault tests; PostgreSQL commits are then synchronous)",
            "0",
        )
        .addHelpText(
            "after",
            "\nExamples:\n  $ tandem loadtest --records 10000 --concurrent 10\n  $ tandem loadtest --direction mysql-to-postgres --rate 1000 --conflicts 0.05 -o json\n",
        )
        .action(
            act(async (session, flags: RawLoadtestOptions) => {
                const options = validateLoadtestOptions(flags);
                const target = readStackTarget(session.stackName);
                let table = OWN_TABLE;
                const progress = progressOnStderr();
                const ownAdded = !options.table && !target.syncedTables.includes(LOADTEST_TABLE);
                const configFile = saveStackConfigFile(target.stack);
                if (options.table) {
                    if (!target.syncedTables.includes(options.table))
                        throw new Error(
                            `stack ${target.stack} does not sync ${options.table} (its tables: ${target.syncedTables.join(", ")})`,
                        );
                    table = await tableShape(target, options.table);
                } else {
                    // A leftover of the command's own table that the stack does not sync (an interrupted run, another
                    // stack's run) may hold rows on one side only: start from empty tables.
                    if (ownAdded) await runOnBothSides(target, dropLoadtestTableSql(target.postgres.schema, target.prefix));
                    await runOnBothSides(target, loadtestTableSql(target.postgres.schema));
                    if (ownAdded) {
                        if (target.configuredTables.length === 0) {
                            throw new Error(
                                `stack ${target.stack} selects its tables with tandem:tableInclude: include ${LOADTEST_TABLE}, or give --table`,
                            );
                        }
                    }
                }
                let result;
                try {
                    if (ownAdded) {
                        progress.phase(`adding ${LOADTEST_TABLE} to stack ${target.stack} (pulumi up)`);
                        applyStackTables(target.stack, [...target.configuredTables, LOADTEST_TABLE]);
                    }
                    result = await runLoadtest(target, table, options, progress);
                } finally {
                    if (!options.table && !options.keep) {
                        progress.phase(`removing ${LOADTEST_TABLE} from stack ${target.stack} (pulumi up)`);
                        if (ownAdded) {
                            // The stack file as it was, byte for byte (the CLI would rewrite every value in it).
                            configFile.restore();
                            upStack(target.stack);
                        } else {
                            applyStackTables(
                                target.stack,
                                target.configuredTables.filter((name) => name !== LOADTEST_TABLE),
                            );
                        }
                        await runOnBothSides(target, dropLoadtestTableSql(target.postgres.schema, target.prefix));
                    }
                }
                emit(session.format, result, renderReport);
                return result.ok ? 0 : 1;
            }),
        );
}
