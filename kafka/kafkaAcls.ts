// ACLs on an existing secured cluster (kafkajs admin client, as the stack's Kafka admin): the `local`
// environment's secured clusters, where the @pulumi/kafka provider plugin cannot be built.
import * as pulumi from "@pulumi/pulumi";
import { KafkaAccess } from "../core/kafkaAccess";
import { kafkaAclsProvider } from "./aclProvider";
import { AclBinding } from "./pipelineAcls";

export interface KafkaAclsArgs {
    bootstrapServers: pulumi.Input<string>;
    access: pulumi.Input<KafkaAccess>;
    acls: AclBinding[];
}

export class KafkaAcls extends pulumi.dynamic.Resource {
    constructor(name: string, args: KafkaAclsArgs, opts?: pulumi.CustomResourceOptions) {
        super(kafkaAclsProvider, name, { ...args, access: pulumi.secret(args.access) }, opts, "tandem", "KafkaAcls");
    }
}
