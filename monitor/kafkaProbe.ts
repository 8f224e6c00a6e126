// Effects: Kafka as the sinks see it — each sink's consumer lag per partition (end offset minus committed
// offset, kafka_exporter's series) and the records held in each direction's dead-letter topic. Plaintext
// (local, dev) or MSK IAM (prod).
import { Admin, Kafka, KafkaConfig, logLevel } from "kafkajs";
import { kafkajsAccess } from "../core/kafkaAccess";
import { MonitorSecrets, MonitorSettings } from "../core/monitorSettings";
import { deadLetterTopic } from "../core/topics";
import { Direction, DIRECTIONS } from "../core/vocabulary";
import { MonitorMetrics } from "./metrics";

/** A sink connector's consumer group, as Connect names it. */
export function sinkGroups(prefix: string): string[] {
    return [`connect-${prefix}-postgres-sink`, `connect-${prefix}-mysql-sink`];
}

/** The AWS region of MSK brokers (`b-1.<cluster>.kafka.<region>.amazonaws.com`), else AWS_REGION. */
export function mskRegion(brokers: string[], env: NodeJS.ProcessEnv = process.env): string {
    const region = /\.kafka\.([a-z0-9-]+)\.amazonaws\.com(:\d+)?$/.exec(brokers[0] ?? "")?.[1] ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    if (!region) throw new Error(`cannot tell the AWS region of ${brokers.join(",")}: set AWS_REGION`);
    return region;
}

/** MSK IAM: SASL/OAUTHBEARER over TLS with a token signed by AWS's signer from the ambient credentials (IRSA in prod). */
function mskIam(brokers: string[]): Pick<KafkaConfig, "ssl" | "sasl"> {
    return {
        ssl: true,
        sasl: {
            mechanism: "oauthbearer",
            oauthBearerProvider: async () => {
                const { generateAuthToken } = await import("aws-msk-iam-sasl-signer-js");
                // Inside the provider: a region that cannot be told fails the Kafka probe, not the monitor.
                return { value: (await generateAuthToken({ region: mskRegion(brokers) })).token };
            },
        },
    };
}

export interface SinkLag {
    group: string;
    topic: string;
    partition: number;
    lag: number;
}

/** Records in each direction's dead-letter topic, and each sink's lag per partition (end − committed offset). */
export async function readKafkaView(admin: Admin, prefix: string): Promise<{ deadLetters: Record<Direction, number>; lags: SinkLag[] }> {
    const ends = new Map<string, Map<number, { high: number; low: number }>>();
    const endsOf = async (topic: string) => {
        let byPartition = ends.get(topic);
        if (!byPartition) {
            const offsets = await admin.fetchTopicOffsets(topic);
            byPartition = new Map(offsets.map((o) => [o.partition, { high: Number(o.high), low: Number(o.low) }]));
            ends.set(topic, byPartition);
        }
        return byPartition;
    };
    const deadLetters = {} as Record<Direction, number>;
    for (const direction of DIRECTIONS) {
        let records = 0;
        try {
            for (const { high, low } of (await endsOf(deadLetterTopic(prefix, direction))).values()) records += high - low;
        } catch (error) {
            if (!/does not host this topic-partition|UNKNOWN_TOPIC/i.test((error as Error).message)) throw error;
        }
        deadLetters[direction] = records;
    }
    const lags: SinkLag[] = [];
    for (const group of sinkGroups(prefix)) {
        const committed = await admin.fetchOffsets({ groupId: group });
        // A few topics at a time: one request each, and hundreds of them with hundreds of tables.
        for (let i = 0; i < committed.length; i += 8) {
            await Promise.all(
                committed.slice(i, i + 8).map(async ({ topic, partitions }) => {
                    const topicEnds = await endsOf(topic);
                    for (const { partition, offset } of partitions) {
                        const end = topicEnds.get(partition);
                        if (!end) continue;
                        const position = Number(offset) >= 0 ? Number(offset) : end.low;
                        lags.push({ group, topic, partition, lag: Math.max(end.high - position, 0) });
                    }
                }),
            );
        }
    }
    return { deadLetters, lags };
}

export class KafkaProbe {
    private readonly admin: Admin;
    private connected = false;

    constructor(
        private readonly settings: MonitorSettings,
        private readonly metrics: MonitorMetrics,
        secrets?: Pick<MonitorSecrets, "kafkaPassword">,
    ) {
        const timeout = settings.probeTimeoutSeconds * 1000;
        const brokers = settings.kafka.bootstrapServers.split(",").map((broker) => broker.trim());
        const kafka = new Kafka({
            clientId: `${settings.prefix}-monitor`,
            brokers,
            connectionTimeout: timeout,
            requestTimeout: timeout,
            retry: { retries: 0 },
            logLevel: logLevel.NOTHING,
            ...(settings.kafka.security === "msk-iam" ? mskIam(brokers) : {}),
            ...(settings.kafka.security === "sasl-scram" ? kafkajsAccess({ ...settings.kafka, password: secrets?.kafkaPassword }) : {}),
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
            const { deadLetters, lags } = await readKafkaView(this.admin, this.settings.prefix);
            for (const direction of DIRECTIONS)
                this.metrics.deadLetters.set(
                    { direction, topic: deadLetterTopic(this.settings.prefix, direction) },
                    deadLetters[direction],
                );
            // Replaced in one go: a scrape never sees half a round.
            this.metrics.consumerLag.reset();
            for (const { group, topic, partition, lag } of lags) {
                this.metrics.consumerLag.set({ consumergroup: group, topic, partition: String(partition) }, lag);
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
