// What the dlq commands share: the dead-letter topics from the stack (or --bootstrap-server + --prefix), the
// selection flags (direction, table, record ids), and reading with progress on a terminal.
import { Command, Option } from "commander";
import { Direction, DIRECTIONS } from "../core/vocabulary";
import { QuarantinedRecord, QuarantineSource, readQuarantine } from "../ops/quarantine";
import { Session } from "./session";

export interface DlqSelection {
    prefix?: string;
    direction?: Direction;
    table?: string;
    id?: string[];
}

export function withSelection(command: Command): Command {
    return command
        .option("--prefix <prefix>", "topic prefix, instead of the stack's (with --bootstrap-server)")
        .addOption(new Option("--direction <direction>", "only this direction").choices([...DIRECTIONS]))
        .option("--table <name>", "only records of this table")
        .option("--id <ids...>", "only these records (ID column: <direction>@<offset>)");
}

export const recordId = (record: QuarantinedRecord) => `${record.direction}@${record.deadLetter.offset}`;

function sourceOf(session: Session, selection: DlqSelection): QuarantineSource {
    if (selection.prefix) {
        return {
            bootstrapServers: session.bootstrapServers,
            access: session.kafkaAccess,
            deadLetterTopics: Object.fromEntries(
                DIRECTIONS.map((direction) => [direction, `${selection.prefix}.dlq.${direction}`]),
            ) as Record<Direction, string>,
        };
    }
    return {
        bootstrapServers: session.bootstrapServers,
        access: session.kafkaAccess,
        deadLetterTopics: session.target().topics.deadLetters,
    };
}

export async function selectedRecords(
    session: Session,
    selection: DlqSelection,
): Promise<{ source: QuarantineSource; records: QuarantinedRecord[] }> {
    const source = sourceOf(session, selection);
    const onProgress = (read: number, total: number) => {
        if (process.stderr.isTTY && total > 500) process.stderr.write(`\rreading dead-letter topics: ${read}/${total}`);
    };
    const all = await readQuarantine(source, onProgress);
    if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
    const records = all.filter(
        (record) =>
            (!selection.direction || record.direction === selection.direction) &&
            (!selection.table || record.table === selection.table) &&
            (!selection.id || selection.id.includes(recordId(record)) || selection.id.includes(record.deadLetter.offset)),
    );
    return { source, records };
}

/** A record as printed: everything but the raw message bytes. */
export function printable(record: QuarantinedRecord) {
    const { message: _message, ...rest } = record;
    return { id: recordId(record), ...rest };
}
