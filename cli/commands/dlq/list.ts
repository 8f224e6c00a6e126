// `tandem dlq list`: what each direction set aside, counted per direction and table, with the latest error.
import { act, command } from "../../command";
import { DlqSelection, selectedRecords, withSelection } from "../../dlqSelection";
import { emit, table } from "../../output";

export function dlqListCommand() {
    return withSelection(
        command("list", "Count dead-lettered records per direction and table, with the latest error of each.", [
            "tandem dlq list",
            "tandem dlq list --direction mysql-to-postgres -o json",
        ]).alias("ls"),
    ).action(
        act(async (session, selection: DlqSelection) => {
            const { records } = await selectedRecords(session, selection);
            const groups = new Map<
                string,
                { direction: string; table: string; records: number; replayable: number; latestError: string; latestAt: string }
            >();
            for (const record of records) {
                const key = `${record.direction}\u0000${record.table ?? "?"}`;
                const entry = groups.get(key) ?? {
                    direction: record.direction,
                    table: record.table ?? "?",
                    records: 0,
                    replayable: 0,
                    latestError: "",
                    latestAt: "",
                };
                entry.records += 1;
                if (record.replayable) entry.replayable += 1;
                if (record.timestamp >= entry.latestAt) {
                    entry.latestAt = record.timestamp;
                    entry.latestError = record.error.replace(/\s+/g, " ");
                }
                groups.set(key, entry);
            }
            const rows = [...groups.values()];
            emit(session.format, rows, (data) =>
                data.length === 0
                    ? "no dead-lettered records\n"
                    : table(
                          ["direction", "table", "records", "replayable", "latest", "latest error"],
                          data.map((row) => [
                              row.direction,
                              row.table,
                              row.records,
                              row.replayable,
                              row.latestAt,
                              row.latestError.slice(0, 120),
                          ]),
                      ),
            );
        }),
    );
}
