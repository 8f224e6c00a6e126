// Effects: reads a bounded range of a topic — the last N records of each partition, or from the beginning —
// with a throwaway consumer group (no offsets committed, deleted afterwards), or follows it as records come.
import { Kafka, KafkaMessage } from "kafkajs";
import { registerKafkaCodecs } from "./kafkaCodecs";

export interface TopicRecord {
    partition: number;
    offset: string;
    timestamp: string;
    key: Buffer | null;
    value: Buffer | null;
    headers: Record<string, string>;
}

export interface ReadOptions {
    /** Start of each partition (else the last `perPartition` records of each). */
    fromBeginning: boolean;
    perPartition: number;
    /** Keep reading new records until stopped (the returned promise then resolves when `stop` is called). */
    follow?: { stopped: () => boolean };
    onRecord: (record: TopicRecord) => boolean | void;
}

function toRecord(partition: number, message: KafkaMessage): TopicRecord {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(message.headers ?? {}))
        headers[name] = Buffer.isBuffer(value) ? value.toString("utf8") : String(value);
    return {
        partition,
        offset: message.offset,
        timestamp: new Date(Number(message.timestamp)).toISOString(),
        key: message.key ?? null,
        value: message.value ?? null,
        headers,
    };
}

/**
 * Reads the topic's range; `onRecord` returning true stops early. Resolves once every partition reached the end it had
 * when the read began (or, following, once `follow.stopped()` says so).
 */
export async function readTopic(kafka: Kafka, topic: string, options: ReadOptions): Promise<void> {
    registerKafkaCodecs();
    const admin = kafka.admin();
    await admin.connect();
    const groupId = `tandem-cli-${process.pid}-${Date.now().toString(36)}`;
    const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
    try {
        const offsets = await admin.fetchTopicOffsets(topic);
        const starts = new Map(
            offsets.map((o) => [
                o.partition,
                options.fromBeginning ? Number(o.low) : Math.max(Number(o.low), Number(o.high) - options.perPartition),
            ]),
        );
        const ends = new Map(offsets.map((o) => [o.partition, Number(o.high)]));
        const pending = new Set(offsets.filter((o) => starts.get(o.partition)! < Number(o.high)).map((o) => o.partition));
        if (pending.size === 0 && !options.follow) return;
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: options.fromBeginning });
        let stop = false;
        let lastActivity = Date.now();
        let finished: () => void = () => undefined;
        const done = new Promise<void>((resolve) => (finished = resolve));
        await consumer.run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
                lastActivity = Date.now();
                if (stop) return;
                if (!options.follow && Number(message.offset) >= ends.get(partition)!) return;
                if (options.onRecord(toRecord(partition, message)) === true) stop = true;
                if (Number(message.offset) >= ends.get(partition)! - 1) pending.delete(partition);
                if (stop || (!options.follow && pending.size === 0)) finished();
            },
        });
        for (const [partition, offset] of starts) consumer.seek({ topic, partition, offset: String(offset) });
        if (options.follow) {
            while (!options.follow.stopped() && !stop) await new Promise((resolve) => setTimeout(resolve, 200));
        } else {
            // A compacted topic may lack its last offsets: 10 s without a record ends the read too.
            const idle = setInterval(() => Date.now() - lastActivity > 10_000 && finished(), 500);
            await done.finally(() => clearInterval(idle));
        }
    } finally {
        await consumer.disconnect().catch(() => undefined);
        await admin.deleteGroups([groupId]).catch(() => undefined);
        await admin.disconnect().catch(() => undefined);
    }
}
