// The teardown of a pipeline's Kafka topics on an existing cluster (the `local` environment, where no topic
// resource holds them: the connectors create their change topics). Connectors depend on it, so a destroy
// deletes it, and with it the topics, after every connector is gone (none recreates a topic behind it).
import * as pulumi from "@pulumi/pulumi";
import { KafkaAccess } from "../core/kafkaAccess";
import { pipelineTopicPrefixes } from "../core/topics";
import { topicsTeardownProvider } from "./topicsTeardownProvider";

export interface TopicsTeardownArgs {
    bootstrapServers: pulumi.Input<string>;
    access?: pulumi.Input<KafkaAccess>;
    prefix: string;
    deleteOnDestroy: boolean;
}

export class TopicsTeardown extends pulumi.dynamic.Resource {
    constructor(name: string, args: TopicsTeardownArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            topicsTeardownProvider,
            name,
            {
                bootstrapServers: args.bootstrapServers,
                ...(args.access ? { access: pulumi.secret(args.access) } : {}),
                namePrefixes: pipelineTopicPrefixes(args.prefix),
                deleteOnDestroy: args.deleteOnDestroy,
            },
            opts,
            "tandem",
            "TopicsTeardown",
        );
    }
}
