// `tandem dlq show`: the dead-lettered records themselves, with Connect's error headers — connector,
// exception, the original topic, partition and offset — and the key.
import { act, command } from "../../command";
import { DlqSelection, printable, selectedRecords, withSelection } from "../../dlqSelection";
import { UsageError } from "../../errors";
import { emit, paint } from "../../output";

export function dlqShowCommand() {
    return withSelection(
        command("show", "Show dead-lettered records: error, exception, connector, origin topic/partition/offset, key.", [
            "tandem dlq show --limit 5",
            "tandem dlq show --table orders -o json",
        ]),
    )
        .option("--limit <n>", "records to show (the latest)", "20")
        .action(
            act(async (session, selection: DlqSelection & { limit: string }) => {
                const limit = Number(selection.limit);
                if (!Number.isInteger(limit) || limit <= 0)
                    throw new UsageError(`--limit must be a positive integer, got ${selection.limit}`);
                const { records } = await selectedRecords(session, selection);
                const shown = records
                    .sort((a, b) => a.timestamp.localeCompare(b.timestamp))
                    .slice(-limit)
                    .map(printable);
                emit(session.format, shown, (data) =>
                    data.length === 0
                        ? "no dead-lettered records\n"
                        : data
                              .map((record) =>
                                  [
                                      `${paint.bold(record.id)}  ${record.timestamp}  ${record.table ?? "?"}${record.replayable ? "" : paint.yellow("  (not replayable)")}`,
                                      `  error:     ${record.error}`,
                                      `  exception: ${record.errorClass ?? "-"}`,
                                      `  connector: ${record.connector ?? "-"}`,
                                      `  origin:    ${record.origin.topic}${record.origin.partition !== undefined ? ` partition ${record.origin.partition} offset ${record.origin.offset}` : ""}`,
                                      `  key:       ${record.key ?? "null"}`,
                                  ].join("\n"),
                              )
                              .join("\n\n") +
                          `\n\n${records.length} record(s) dead-lettered${records.length > data.length ? `, the latest ${data.length} shown` : ""}\n`,
                );
            }),
        );
}
