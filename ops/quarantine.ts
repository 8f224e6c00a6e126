// The quarantine: rows the sync set aside instead of stopping a direction, in each direction's dead-letter
// topic. A sink's record there is the original change event (its bytes as they were on the change topic),
// with Kafka Connect's headers naming the topic, partition and offset it came from and the database's error;
// a source's record is a marker of a row it could not carry (too large, or NaN/infinity: dev.tandem.connect.UncarriableRow).
// Reading them, and replaying sink records once their cause is fixed, is all this module does.
import { IHeaders, Kafka, KafkaMessage, logLevel } from "kafkajs";
import { KafkaAccess, kafkajsAccess } from "../core/kafkaAccess";
import { Direction } from "../core/vocabulary";
import { registerKafkaCodecs } from "./kafkaCodecs";

export interface QuarantinedRecord {
    direction: Direction;
    /** Where it sits in the dead-letter topic. */
    deadLetter: { topic: string; partition: number; offset: string };
    /** Where the change event came from (the change topic it would be replayed to). */
    origin: { topic: string; partition?: number; offset?: string };
    table?: string;
    /** The database's (or the guard's) reason. */
    error: string;
    errorClass?: string;
    /** The connector that set it aside (Connect's error header), when recorded. */
    connector?: string;
    /** Whether the record holds the row itself (sink records) or only describes it (oversized rows). */
    replayable: boolean;
    key: string | null;
    timestamp: string;
    /** The record as it is in the dead-letter topic, for a replay. */
    message: { key: Buffer | null; value: Buffer | null; headers: Record<string, Buffer> };
}

export const ERROR_HEADER_PREFIX = "__connect.errors.";
const UNCARRIABLE_SCHEMA = "dev.tandem.connect.UncarriableRow";

function headerText(headers: IHeaders | undefined, name: string): string | undefined {
    const value = headers?.[name];
    if (value === undefined) return undefined;
    return Buffer.isBuffer(value) ? value.toString("utf8") : Array.isArray(value) ? String(value[0]) : String(value);
}

/** The pure part: one dead-letter message as a quarantined record. */
export function describeDeadLetter(direction: Direction, topic: string, partition: number, message: KafkaMessage): QuarantinedRecord {
    const headers = message.headers ?? {};
    const value = message.value ? message.value.toString("utf8") : "";
    const uncarriable = value.includes(`"name":"${UNCARRIABLE_SCHEMA}"`);
    const originPartition = headerText(headers, `${ERROR_HEADER_PREFIX}partition`);
    const rawHeaders: Record<string, Buffer> = {};
    for (const [name, raw] of Object.entries(headers)) {
        if (raw === undefined) continue;
        rawHeaders[name] = Buffer.isBuffer(raw) ? raw : Buffer.from(String(Array.isArray(raw) ? raw[0] : raw));
    }
    return {
        direction,
        deadLetter: { topic, partition, offset: message.offset },
        origin: {
            topic: headerText(headers, `${ERROR_HEADER_PREFIX}topic`) ?? "(unknown)",
            partition: originPartition === undefined ? undefined : Number(originPartition),
            offset: headerText(headers, `${ERROR_HEADER_PREFIX}offset`),
        },
        table: headerText(headers, "__source_table"),
        error: headerText(headers, `${ERROR_HEADER_PREFIX}exception.message`) ?? "(no error recorded)",
        errorClass: headerText(headers, `${ERROR_HEADER_PREFIX}exception.class.name`),
        connector: headerText(headers, `${ERROR_HEADER_PREFIX}connector.name`),
        replayable: !uncarriable && message.value !== null,
        key: message.key ? message.key.toString("utf8") : null,
        timestamp: new Date(Number(message.timestamp)).toISOString(),
        message: { key: message.key, value: message.value, headers: rawHeaders },
    };
}

export interface QuarantineSource {
    bootstrapServers: string;
    /** A secured cluster's access (absent: plaintext). */
    access?: KafkaAccess;
    /** The dead-letter topic of each direction (stack outputs topics.*.deadLetter). */
    deadLetterTopics: Record<Direction, string>;
}

function kafkaOf(bootstrapServers: string, access?: KafkaAccess): Kafka {
    return new Kafka({
        ...kafkajsAccess(access),
        clientId: "tandem-quarantine",
        brokers: bootstrapServers.split(","),
        logLevel: logLevel.NOTHING,
        retry: { retries: 5 },
    });
}

/** Every record in the dead-letter topics, oldest first per direction (reads to the end, commits nothing). */
export async function readQuarantine(
    source: QuarantineSource,
    onProgress?: (read: number, total: number) => void,
): Promise<QuarantinedRecord[]> {
    registerKafkaCodecs();
    const kafka = kafkaOf(source.bootstrapServers, source.access);
    const admin = kafka.admin();
    await admin.connect();
    const ends = new Map<string, Map<number, bigint>>();
    let total = 0;
    try {
        const existing = await admin.listTopics();
        for (const topic of Object.values(source.deadLetterTopics)) {
            if (!existing.includes(topic)) continue;
            const offsets = await admin.fetchTopicOffsets(topic);
            ends.set(topic, new Map(offsets.map((p) => [p.partition, BigInt(p.high)])));
            total += offsets.reduce((sum, p) => sum + Number(BigInt(p.high) - BigInt(p.low)), 0);
        }
    } finally {
        await admin.disconnect();
    }
    const records: QuarantinedRecord[] = [];
    if (total === 0) return records;
    const directionOf = new Map(Object.entries(source.deadLetterTopics).map(([direction, topic]) => [topic, direction as Direction]));
    const consumer = kafka.consumer({ groupId: `tandem-quarantine-reader-${process.pid}-${Date.now()}` });
    await consumer.connect();
    try {
        await consumer.subscribe({ topics: [...ends.keys()], fromBeginning: true });
        const remaining = new Set(
            [...ends].flatMap(([topic, partitions]) =>
                [...partitions].filter(([, end]) => end > 0n).map(([partition]) => `${topic}:${partition}`),
            ),
        );
        await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(
                () => reject(new Error(`timed out reading the dead-letter topics (${records.length} of ${total} records read)`)),
                120_000,
            );
            consumer
                .run({
                    eachMessage: async ({ topic, partition, message }) => {
                        records.push(describeDeadLetter(directionOf.get(topic)!, topic, partition, message));
                        onProgress?.(records.length, total);
                        if (BigInt(message.offset) + 1n >= ends.get(topic)!.get(partition)!) remaining.delete(`${topic}:${partition}`);
                        if (remaining.size === 0) {
                            clearTimeout(timer);
                            resolve();
                        }
                    },
                })
                .catch(reject);
        });
    } finally {
        await consumer.disconnect();
    }
    return records;
}

/**
 * Sends quarantined sink records back to the change topic they came from, as they were (Connect's error
 * headers dropped), so that the sink applies them again once their cause is fixed. Replaying an old version
 * is safe: a row that changed since keeps its newer version (docs/bidirectional.md).
 */
export async function replayQuarantined(
    bootstrapServers: string,
    records: QuarantinedRecord[],
    access?: KafkaAccess,
): Promise<{ replayed: number; skipped: QuarantinedRecord[] }> {
    const replayable = records.filter((record) => record.replayable && record.origin.topic !== "(unknown)");
    const skipped = records.filter((record) => !replayable.includes(record));
    if (replayable.length === 0) return { replayed: 0, skipped };
    const producer = kafkaOf(bootstrapServers, access).producer({
        allowAutoTopicCreation: false,
        idempotent: true,
        maxInFlightRequests: 1,
    });
    await producer.connect();
    try {
        for (const record of replayable) {
            const headers = Object.fromEntries(
                Object.entries(record.message.headers).filter(([name]) => !name.startsWith(ERROR_HEADER_PREFIX)),
            );
            await producer.send({
                topic: record.origin.topic,
                messages: [{ key: record.message.key, value: record.message.value, headers, partition: record.origin.partition }],
            });
        }
    } finally {
        await producer.disconnect();
    }
    return { replayed: replayable.length, skipped };
}
