// `tandem dlq replay`: sends dead-lettered records back to the change topic they came from, once their cause
// is fixed; the sink applies them again (an older version never overwrites a newer one). Asks unless --yes.
import { replayQuarantined } from "../../../ops/quarantine";
import { act, command } from "../../command";
import { confirm } from "../../confirm";
import { DlqSelection, recordId, selectedRecords, withSelection } from "../../dlqSelection";
import { emit } from "../../output";

export function dlqReplayCommand() {
    return withSelection(
        command("replay", "Re-publish dead-lettered records to their change topics once the cause is fixed; asks unless --yes.", [
            "tandem dlq replay --table orders --yes",
            "tandem dlq replay --id mysql-to-postgres@12",
        ]),
    )
        .option("--yes", "do not ask")
        .action(
            act(async (session, selection: DlqSelection & { yes?: boolean }) => {
                const { source, records } = await selectedRecords(session, selection);
                const replayable = records.filter((record) => record.replayable).length;
                if (records.length === 0) {
                    emit(session.format, { replayed: 0, notReplayable: [] }, () => "no dead-lettered records selected\n");
                    return 0;
                }
                await confirm(`replay ${replayable} of ${records.length} selected record(s) to their change topics?`, selection.yes);
                const { replayed, skipped } = await replayQuarantined(source.bootstrapServers, records, source.access);
                const result = {
                    replayed,
                    notReplayable: skipped.map((record) => ({ id: recordId(record), table: record.table, error: record.error })),
                };
                emit(session.format, result, (data) =>
                    [
                        `replayed ${data.replayed} record(s) to their change topics\n`,
                        ...data.notReplayable.map(
                            (record) =>
                                `not replayable: ${record.id} (${record.table ?? "?"}): ${record.error} — the row was not carried; change it again in its application once it fits\n`,
                        ),
                    ].join(""),
                );
                return skipped.length ? 1 : 0;
            }),
        );
}
