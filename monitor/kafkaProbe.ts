// Effects: Kafka as the sinks see it — each sink's consumer lag per partition (end offset minus committed
// offset, kafka_exporter's series) and the records held in each direction's dead-letter topic.
import { Admin, Kafka, logLevel } from "kafkajs";
import { MonitorSettings } from "../core/monitorSettings";
import { deadLetterTopic } from "../core/topics";
import { Direction, DIRECTIONS } from "../core/vocabulary";
import { MonitorMetrics } from "./metrics";

/** A sink connector's consumer group, as Connect names it. */
export function sinkGroups(prefix: string): string[] {
    return [`connect-${prefix}-postgres-sink`, `connect-${prefix}-mysql-sink`];
}

export class KafkaProbe {
    private readonly admin: Admin;
    private connected = false;

    constructor(
        private readonly settings: MonitorSettings,
        private readonly metrics: MonitorMetrics,
    ) {
        if (settings.kafka.security !== "plaintext") {
            // kafkajs has no MSK IAM mechanism of its own; prod reads lag through the plaintext-in-VPC listener or not at all.
            throw new Error(`kafka.security ${settings.kafka.security}: the monitor's Kafka client supports plaintext only`);
        }
        const timeout = settings.probeTimeoutSeconds * 1000;
        const kafka = new Kafka({
            clientId: `${settings.prefix}-monitor`,
            brokers: settings.kafka.bootstrapServers.split(",").map((broker) => broker.trim()),
            connectionTimeout: timeout,
            requestTimeout: timeout,
            retry: { retries: 0 },
            logLevel: logLevel.NOTHING,
        });
        this.admin = kafka.admin();
    }

    private async ensureConnected(): Promise<void> {
        if (this.connected) return;
        await this.admin.connect();
        this.connected = true;
    }

    async round(): Promise<{ deadLetters: Record<Direction, number> }> {
        try {
            await this.ensureConnected();
            const ends = new Map<string, Map<number, { high: number; low: number }>>();
            const endsOf = async (topic: string) => {
                let byPartition = ends.get(topic);
                if (!byPartition) {
                    const offsets = await this.admin.fetchTopicOffsets(topic);
                    byPartition = new Map(offsets.map((o) => [o.partition, { high: Number(o.high), low: Number(o.low) }]));
                    ends.set(topic, byPartition);
                }
                return byPartition;
            };
            const deadLetters = {} as Record<Direction, number>;
            for (const direction of DIRECTIONS) {
                const topic = deadLetterTopic(this.settings.prefix, direction);
                let records = 0;
                try {
                    for (const { high, low } of (await endsOf(topic)).values()) records += high - low;
                } catch (error) {
                    if (!/does not host this topic-partition|UNKNOWN_TOPIC/i.test((error as Error).message)) throw error;
                }
                deadLetters[direction] = records;
                this.metrics.deadLetters.set({ direction, topic }, records);
            }
            this.metrics.consumerLag.reset();
            for (const group of sinkGroups(this.settings.prefix)) {
                const committed = await this.admin.fetchOffsets({ groupId: group });
                for (const { topic, partitions } of committed) {
                    const topicEnds = await endsOf(topic);
                    for (const { partition, offset } of partitions) {
                        const end = topicEnds.get(partition);
                        if (!end) continue;
                        const position = Number(offset) >= 0 ? Number(offset) : end.low;
                        this.metrics.consumerLag.set(
                            { consumergroup: group, topic, partition: String(partition) },
                            Math.max(end.high - position, 0),
                        );
                    }
                }
            }
            return { deadLetters };
        } catch (error) {
            this.connected = false;
            await this.admin.disconnect().catch(() => undefined);
            throw error;
        }
    }

    async close(): Promise<void> {
        await this.admin.disconnect().catch(() => undefined);
    }
}
