// `tandem topics tail TOPIC`: the last records of a topic (or from its beginning, or following it), Debezium
// envelopes decoded into readable rows — operation, key, before/after, source position, timestamps.
import { decodeRecord, DecodedRecord } from "../../../ops/envelope";
import { readTopic, TopicRecord } from "../../../ops/topicReader";
import { act, command } from "../../command";
import { unknownName, UsageError } from "../../errors";
import { emit, paint } from "../../output";

interface TailedRecord extends DecodedRecord {
    partition: number;
    offset: string;
    timestamp: string;
}

function matchesKey(record: DecodedRecord, wanted: string): boolean {
    const key = record.key;
    if (key === null || key === undefined) return false;
    if (typeof key !== "object") return String(key) === wanted;
    const values = Object.values(key as Record<string, unknown>).map(String);
    return values.includes(wanted) || values.join(",") === wanted || JSON.stringify(key) === wanted;
}

const OP_COLOURS: Record<string, (text: string) => string> = {
    create: paint.green,
    upsert: paint.green,
    update: paint.yellow,
    delete: paint.red,
};

function render(record: TailedRecord): string {
    const head = [
        paint.dim(record.timestamp),
        `${record.partition}@${record.offset}`,
        record.kind === "change" ? (OP_COLOURS[record.op ?? ""] ?? ((text: string) => text))(record.op ?? "?") : record.kind,
        record.table ?? "",
        record.position ? paint.dim(record.position) : "",
    ].filter(Boolean);
    const lines = [head.join("  "), `  key:    ${JSON.stringify(record.key)}`];
    if (record.kind === "change") {
        if (record.before !== undefined && record.before !== null) lines.push(`  before: ${JSON.stringify(record.before)}`);
        if (record.after !== undefined && record.after !== null) lines.push(`  after:  ${JSON.stringify(record.after)}`);
    } else if (record.kind === "other") lines.push(`  value:  ${JSON.stringify(record.payload)}`);
    return `${lines.join("\n")}\n`;
}

export function topicsTailCommand() {
    return command("tail", "Print a topic's last records with Debezium change events decoded (op, key, before/after, source position).", [
        "tandem topics tail tandem.mysql-to-postgres.app.orders",
        "tandem topics tail tandem.mysql-to-postgres.app.orders --key 42 --from-beginning",
        "tandem topics tail tandem.postgres-to-mysql.public.orders -f",
    ])
        .argument("<topic>", "topic name")
        .option("--from-beginning", "read from the start of each partition")
        .option("--limit <n>", "records to print (the last ones, or the first with --from-beginning)", "10")
        .option("--key <value>", "only records whose key is this (a key column's value, or the key as JSON)")
        .option("-f, --follow", "keep printing new records until Ctrl-C")
        .action(
            act(async (session, topic: string, flags: { fromBeginning?: boolean; limit: string; key?: string; follow?: boolean }) => {
                const limit = Number(flags.limit);
                if (!Number.isInteger(limit) || limit <= 0) throw new UsageError(`--limit must be a positive integer, got ${flags.limit}`);
                if (flags.follow && session.format !== "table") throw new UsageError("--follow prints for people: leave out -o");
                const kafka = session.kafka();
                const admin = kafka.admin();
                await admin.connect();
                const topics = await admin.listTopics().finally(() => admin.disconnect());
                if (!topics.includes(topic)) {
                    throw unknownName("topic", topic, topics);
                }
                const kept: TailedRecord[] = [];
                let stopped = false;
                if (flags.follow) process.once("SIGINT", () => (stopped = true));
                const decode = (record: TopicRecord): TailedRecord => ({
                    ...decodeRecord(record.key, record.value, record.headers),
                    partition: record.partition,
                    offset: record.offset,
                    timestamp: record.timestamp,
                });
                await readTopic(kafka, topic, {
                    // A key filter scans the whole topic and keeps the matches; else only the records asked for are read.
                    fromBeginning: Boolean(flags.fromBeginning) || flags.key !== undefined,
                    perPartition: limit,
                    follow: flags.follow ? { stopped: () => stopped } : undefined,
                    onRecord: (raw) => {
                        const record = decode(raw);
                        if (flags.key !== undefined && !matchesKey(record, flags.key)) return;
                        if (flags.follow) {
                            process.stdout.write(render(record));
                            return;
                        }
                        kept.push(record);
                        return Boolean(flags.fromBeginning) && flags.key === undefined && kept.length >= limit;
                    },
                });
                if (flags.follow) return;
                kept.sort(
                    (a, b) => a.timestamp.localeCompare(b.timestamp) || a.partition - b.partition || Number(a.offset) - Number(b.offset),
                );
                const shown = flags.fromBeginning ? kept.slice(0, limit) : kept.slice(-limit);
                emit(session.format, shown, (data) => (data.length === 0 ? `no records in ${topic}\n` : data.map(render).join("\n")));
            }),
        );
}
