// A Kafka topic on an existing cluster, created with its config (kafkajs admin client). dev and prod declare
// theirs with @pulumi/kafka (components/topics.ts); its provider plugin cannot be built here.
import * as pulumi from "@pulumi/pulumi";
import { KafkaAccess } from "../core/kafkaAccess";
import { kafkaTopicProvider } from "./topicProvider";

export interface KafkaTopicArgs {
    bootstrapServers: pulumi.Input<string>;
    /** A secured cluster's access (kept as a secret); absent: plaintext. */
    access?: pulumi.Input<KafkaAccess>;
    name: string;
    partitions?: number;
    replicationFactor?: number;
    config: Record<string, string>;
}

export class KafkaTopic extends pulumi.dynamic.Resource {
    constructor(name: string, args: KafkaTopicArgs, opts?: pulumi.CustomResourceOptions) {
        const access = args.access ? { access: pulumi.secret(args.access) } : {};
        super(kafkaTopicProvider, name, { partitions: -1, replicationFactor: -1, ...args, ...access }, opts, "tandem", "KafkaTopic");
    }
}
