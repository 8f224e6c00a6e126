// `scripts/quarantine` — the rows each direction set aside (its dead-letter topic): list them with their
// error, origin and table, and replay them once their cause is fixed. Finds Kafka and the topics in the
// stack's outputs (`--stack`, default local) unless given.
import { execFileSync } from "child_process";
import { Command, Option } from "commander";
import { QuarantinedRecord, QuarantineSource, readQuarantine, replayQuarantined } from "../ops/quarantine";
import { Direction } from "../core/vocabulary";

interface Selection {
    stack: string;
    bootstrapServers?: string;
    prefix?: string;
    direction?: Direction;
    table?: string;
    offset?: string[];
    output: "table" | "json";
}

function sourceOf(options: Selection): QuarantineSource {
    if (options.bootstrapServers && options.prefix) {
        return {
            bootstrapServers: options.bootstrapServers,
            deadLetterTopics: {
                "mysql-to-postgres": `${options.prefix}.dlq.mysql-to-postgres`,
                "postgres-to-mysql": `${options.prefix}.dlq.postgres-to-mysql`,
            },
        };
    }
    let outputs: { kafkaBootstrapServers: string; topics: Record<"mysqlToPostgres" | "postgresToMysql", { deadLetter: string }> };
    try {
        outputs = JSON.parse(
            execFileSync("pulumi", ["stack", "output", "--json", "--show-secrets=false", "--stack", options.stack], {
                encoding: "utf8",
                stdio: ["ignore", "pipe", "pipe"],
            }),
        );
    } catch (error) {
        throw new Error(
            `cannot read the outputs of stack ${options.stack} (run ". toolchain/env.sh" first, or give --bootstrap-servers and --prefix): ${(error as { stderr?: string }).stderr?.trim() ?? (error as Error).message}`,
            { cause: error },
        );
    }
    return {
        bootstrapServers: options.bootstrapServers ?? outputs.kafkaBootstrapServers,
        deadLetterTopics: {
            "mysql-to-postgres": outputs.topics.mysqlToPostgres.deadLetter,
            "postgres-to-mysql": outputs.topics.postgresToMysql.deadLetter,
        },
    };
}

function selected(records: QuarantinedRecord[], options: Selection): QuarantinedRecord[] {
    return records.filter(
        (record) =>
            (!options.direction || record.direction === options.direction) &&
            (!options.table || record.table === options.table) &&
            (!options.offset ||
                options.offset.includes(`${record.direction}@${record.deadLetter.offset}`) ||
                options.offset.includes(record.deadLetter.offset)),
    );
}

function progress(read: number, total: number): void {
    if (process.stderr.isTTY && total > 500) process.stderr.write(`\rreading dead-letter topics: ${read}/${total}`);
}

function print(records: QuarantinedRecord[], output: "table" | "json"): void {
    if (output === "json") {
        process.stdout.write(
            `${JSON.stringify(
                records.map(({ message: _message, ...record }) => record),
                null,
                2,
            )}\n`,
        );
        return;
    }
    if (records.length === 0) {
        process.stdout.write("no quarantined rows\n");
        return;
    }
    const rows = records.map((record) => [
        `${record.direction}@${record.deadLetter.offset}`,
        record.table ?? "?",
        `${record.origin.topic}${record.origin.partition !== undefined ? `-${record.origin.partition}@${record.origin.offset}` : ""}`,
        record.replayable ? "yes" : "no",
        record.error.replace(/\s+/g, " ").slice(0, 160),
    ]);
    const header = ["ID", "TABLE", "FROM", "REPLAYABLE", "ERROR"];
    const widths = header.map((title, column) =>
        Math.max(title.length, ...rows.map((row) => Math.min(row[column].length, column === 4 ? 160 : 60))),
    );
    for (const row of [header, ...rows])
        process.stdout.write(
            `${row
                .map((cell, column) => cell.slice(0, widths[column]).padEnd(widths[column]))
                .join("  ")
                .trimEnd()}\n`,
        );
    const byTable = new Map<string, number>();
    for (const record of records) byTable.set(record.table ?? "?", (byTable.get(record.table ?? "?") ?? 0) + 1);
    process.stdout.write(`\n${records.length} quarantined: ${[...byTable].map(([table, count]) => `${table} ${count}`).join(", ")}\n`);
}

function selectionOptions(command: Command): Command {
    return command
        .option("--stack <name>", "stack whose outputs name Kafka and the dead-letter topics", process.env.TANDEM_STACK ?? "local")
        .option("--bootstrap-servers <list>", "Kafka bootstrap servers (instead of the stack's)")
        .option("--prefix <prefix>", "topic prefix (with --bootstrap-servers, instead of the stack's outputs)")
        .addOption(new Option("--direction <direction>", "only this direction").choices(["mysql-to-postgres", "postgres-to-mysql"]))
        .option("--table <name>", "only rows of this table")
        .option("--offset <ids...>", "only these records (ID column: <direction>@<offset>)")
        .addOption(new Option("-o, --output <format>", "output format").choices(["table", "json"]).default("table"));
}

const program = new Command("quarantine").description(
    "Rows each direction of the sync set aside (dead-letter topics): list and replay them.",
);
selectionOptions(program.command("list").description("list quarantined rows with their error, table and origin")).action(
    async (options: Selection) => {
        const records = selected(await readQuarantine(sourceOf(options), progress), options);
        if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
        print(records, options.output);
    },
);
selectionOptions(program.command("replay").description("send quarantined rows back to their change topic, once their cause is fixed"))
    .option("--yes", "replay without asking (needed when stdin is not a terminal)")
    .action(async (options: Selection & { yes?: boolean }) => {
        const source = sourceOf(options);
        const records = selected(await readQuarantine(source, progress), options);
        if (!options.yes)
            throw new Error(`would replay ${records.filter((r) => r.replayable).length} of ${records.length} selected records: add --yes`);
        const { replayed, skipped } = await replayQuarantined(source.bootstrapServers, records);
        const result = {
            replayed,
            notReplayable: skipped.map((record) => ({
                id: `${record.direction}@${record.deadLetter.offset}`,
                table: record.table,
                error: record.error,
            })),
        };
        if (options.output === "json") process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else {
            process.stdout.write(`replayed ${replayed} record(s) to their change topics\n`);
            for (const record of result.notReplayable)
                process.stdout.write(
                    `not replayable: ${record.id} (${record.table ?? "?"}): ${record.error} — the row was not carried; change it again in its application once it fits\n`,
                );
        }
    });

program.parseAsync(process.argv).catch((error: Error) => {
    process.stderr.write(`error: ${error.message}\n`);
    process.exit(1);
});
