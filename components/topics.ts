// The pipeline's Kafka topics as @pulumi/kafka resources: Connect's internal topics (compacted), schema
// history, heartbeats, dead letters and the per-table change topics. Partitions, replication and
// min.insync.replicas come from the environment.
import * as kafka from "@pulumi/kafka";
import * as pulumi from "@pulumi/pulumi";
import { maxRequestBytes } from "../connectors/syncConnectors";
import { deadLetterTopic, syncTopics } from "../core/topics";
import { Direction, KafkaSecurity } from "../core/vocabulary";

/**
 * Dead letters are kept a month (rows not applied, waiting for a fix and a replay), take any row the change
 * topics carry, and are stored gzip-compressed whatever their producer used, so that any Kafka client (the
 * quarantine tool's included) reads them.
 */
export function deadLetterTopicConfig(maxRowBytes: number): Record<string, string> {
    return {
        "max.message.bytes": String(maxRequestBytes(maxRowBytes)),
        "retention.ms": String(30 * 24 * 3600 * 1000),
        "compression.type": "gzip",
    };
}

export interface TopicSettings {
    prefix: string;
    /** Connect's group id: its config/offset/status topics are named after it. */
    connectGroupId: string;
    mysqlDatabase: string;
    postgresSchema: string;
    tables: string[];
    partitions: number;
    replicationFactor: number;
    minInsyncReplicas: number;
    /** Largest row change carried (tandem:maxRowBytes): change and dead-letter topics take it. */
    maxRowBytes: number;
}

export interface TopicSpec {
    name: string;
    partitions: number;
    replicationFactor: number;
    config: Record<string, string>;
}

/** Pure: every topic the pipeline needs, with its settings. */
export function topicPlan(settings: TopicSettings): TopicSpec[] {
    const base = { replicationFactor: settings.replicationFactor };
    const isr = { "min.insync.replicas": String(settings.minInsyncReplicas) };
    const rows = { "max.message.bytes": String(maxRequestBytes(settings.maxRowBytes)) };
    const compacted = { ...isr, "cleanup.policy": "compact" };
    const changes = (direction: Direction, namespace: string) => {
        const topics = syncTopics(settings.prefix, direction, namespace, settings.tables);
        return topics.rows.map((name) => ({
            ...base,
            name,
            partitions: settings.partitions,
            config: { ...isr, ...rows, "retention.ms": String(7 * 24 * 3600 * 1000) },
        }));
    };
    return [
        { ...base, name: `${settings.connectGroupId}-configs`, partitions: 1, config: compacted },
        { ...base, name: `${settings.connectGroupId}-offsets`, partitions: 25, config: compacted },
        { ...base, name: `${settings.connectGroupId}-status`, partitions: 5, config: compacted },
        // Debezium's schema history must keep every record, in order: one partition, no deletion.
        {
            ...base,
            name: `${settings.prefix}.schema-history.mysql`,
            partitions: 1,
            config: { ...isr, "retention.ms": "-1", "retention.bytes": "-1" },
        },
        {
            ...base,
            name: `__debezium-heartbeat.${settings.prefix}.postgres-to-mysql`,
            partitions: 1,
            config: { ...isr, "retention.ms": String(24 * 3600 * 1000) },
        },
        ...(["mysql-to-postgres", "postgres-to-mysql"] as const).map((direction) => ({
            ...base,
            name: deadLetterTopic(settings.prefix, direction),
            partitions: 1,
            config: { ...isr, ...deadLetterTopicConfig(settings.maxRowBytes) },
        })),
        ...changes("mysql-to-postgres", settings.mysqlDatabase),
        ...changes("postgres-to-mysql", settings.postgresSchema),
    ];
}

export interface TopicsArgs {
    settings: TopicSettings;
    /** Brokers as the machine running `pulumi` reaches them. */
    bootstrapServers: pulumi.Input<string>;
    security: KafkaSecurity;
}

export class Topics extends pulumi.ComponentResource {
    readonly names: string[];

    constructor(name: string, args: TopicsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tandem:index:Topics", name, {}, opts);
        const provider = new kafka.Provider(
            `${name}-kafka`,
            {
                bootstrapServers: pulumi.output(args.bootstrapServers).apply((servers) => servers.split(",")),
                // The provider's default is TLS on; the sandbox and dev brokers are plaintext.
                tlsEnabled: args.security === "msk-iam",
                saslMechanism: args.security === "msk-iam" ? "aws-iam" : undefined,
            },
            { parent: this },
        );
        const plan = topicPlan(args.settings);
        for (const topic of plan) {
            new kafka.Topic(topic.name, topic, { parent: this, provider });
        }
        this.names = plan.map((topic) => topic.name);
        this.registerOutputs({ names: this.names });
    }
}
