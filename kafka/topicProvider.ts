// The dynamic provider behind KafkaTopic: creates a topic with its config on an existing cluster (the `local`
// environment, where the @pulumi/kafka provider plugin cannot be built), and keeps the config current.
// Serialized into Pulumi's state: packages are required inside functions.
import type * as pulumi from "@pulumi/pulumi";
import { KafkaAccess } from "../core/kafkaAccess";
import { withKafkaAdmin } from "./kafkaAdmin";

export interface KafkaTopicInputs {
    bootstrapServers: string;
    /** How to reach a secured cluster (a secret input); absent: plaintext. */
    access?: KafkaAccess;
    name: string;
    /** -1: the broker's default. */
    partitions: number;
    replicationFactor: number;
    config: Record<string, string>;
}

/** Creates the topic, or brings an existing one's config to `config` (partitions are never reduced). */
async function ensure(inputs: KafkaTopicInputs): Promise<void> {
    await withKafkaAdmin(inputs.bootstrapServers, inputs.access, async (admin) => {
        const configEntries = Object.entries(inputs.config).map(([name, value]) => ({ name, value }));
        const existing = await admin.listTopics();
        if (!existing.includes(inputs.name)) {
            await admin.createTopics({
                waitForLeaders: true,
                topics: [
                    { topic: inputs.name, numPartitions: inputs.partitions, replicationFactor: inputs.replicationFactor, configEntries },
                ],
            });
            return;
        }
        const { ConfigResourceTypes }: typeof import("kafkajs") = require("kafkajs");
        if (configEntries.length > 0) {
            await admin.alterConfigs({
                validateOnly: false,
                resources: [{ type: ConfigResourceTypes.TOPIC, name: inputs.name, configEntries }],
            });
        }
    });
}

export const kafkaTopicProvider: pulumi.dynamic.ResourceProvider<KafkaTopicInputs, KafkaTopicInputs> = {
    async diff(_id, olds, news) {
        const replaces = olds.name !== news.name ? ["name"] : [];
        const changes =
            replaces.length > 0 ||
            JSON.stringify(olds.config) !== JSON.stringify(news.config) ||
            olds.bootstrapServers !== news.bootstrapServers ||
            JSON.stringify(olds.access ?? null) !== JSON.stringify(news.access ?? null);
        return { changes, replaces, deleteBeforeReplace: false };
    },

    async create(inputs) {
        await ensure(inputs);
        return { id: inputs.name, outs: inputs };
    },

    async update(_id, _olds, news) {
        await ensure(news);
        return { outs: news };
    },

    // The topic outlives the stack: a dead-letter topic holds the rows that were never applied.
    async delete() {},
};
