// The dynamic provider behind TopicsTeardown: nothing on create; on delete, when the stack's teardown is on,
// deletes every topic the pipeline owns (by name prefix, core/topics.ts), including those the connectors
// created themselves. Serialized into Pulumi's state: packages are required inside functions.
import type * as pulumi from "@pulumi/pulumi";
import { KafkaAccess } from "../core/kafkaAccess";
import { withKafkaAdmin } from "./kafkaAdmin";

export interface TopicsTeardownInputs {
    bootstrapServers: string;
    access?: KafkaAccess;
    /** Every topic whose name starts with one of these is the stack's own. */
    namePrefixes: string[];
    /** Off: destroy keeps the topics (a later `up` resumes from them). */
    deleteOnDestroy: boolean;
}

export const topicsTeardownProvider: pulumi.dynamic.ResourceProvider<TopicsTeardownInputs, TopicsTeardownInputs> = {
    async diff(_id, olds, news) {
        const changes =
            olds.bootstrapServers !== news.bootstrapServers ||
            olds.deleteOnDestroy !== news.deleteOnDestroy ||
            JSON.stringify(olds.namePrefixes) !== JSON.stringify(news.namePrefixes) ||
            JSON.stringify(olds.access ?? null) !== JSON.stringify(news.access ?? null);
        return { changes, replaces: [], deleteBeforeReplace: false };
    },

    async create(inputs) {
        return { id: inputs.namePrefixes.join(","), outs: inputs };
    },

    async update(_id, _olds, news) {
        return { outs: news };
    },

    async delete(_id, props) {
        if (!props.deleteOnDestroy) return;
        await withKafkaAdmin(props.bootstrapServers, props.access, async (admin) => {
            const owned = (await admin.listTopics()).filter((topic) => props.namePrefixes.some((start) => topic.startsWith(start)));
            if (owned.length === 0) return;
            await admin.deleteTopics({ topics: owned, timeout: 60_000 });
            process.stderr.write(`teardown: deleted ${owned.length} topic(s): ${owned.sort().join(", ")}\n`);
        });
    },
};
