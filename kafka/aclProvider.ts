// The dynamic provider behind KafkaAcls: a set of ALLOW ACLs on a secured cluster, created with kafkajs's admin
// client as the stack's Kafka admin, kept equal to the inputs (added, removed), deleted with the stack.
// Serialized into Pulumi's state: packages are required inside functions.
import type * as pulumi from "@pulumi/pulumi";
import { KafkaAccess } from "../core/kafkaAccess";
import { withKafkaAdmin } from "./kafkaAdmin";
import { AclBinding } from "./pipelineAcls";

export interface KafkaAclsInputs {
    bootstrapServers: string;
    /** The admin's access (a secret input: it holds the password). */
    access: KafkaAccess;
    acls: AclBinding[];
}

function toKafkajs(acl: AclBinding) {
    const kafkajs: typeof import("kafkajs") = require("kafkajs");
    return {
        resourceType: kafkajs.AclResourceTypes[acl.resourceType],
        resourceName: acl.resourceName,
        resourcePatternType: acl.resourceType === "CLUSTER" ? kafkajs.ResourcePatternTypes.LITERAL : kafkajs.ResourcePatternTypes.PREFIXED,
        principal: acl.principal,
        host: "*",
        operation: kafkajs.AclOperationTypes[acl.operation],
        permissionType: kafkajs.AclPermissionTypes.ALLOW,
    };
}

const key = (acl: AclBinding) => `${acl.principal}|${acl.operation}|${acl.resourceType}|${acl.resourceName}`;

async function converge(inputs: KafkaAclsInputs, previous: AclBinding[]): Promise<void> {
    const wanted = new Set(inputs.acls.map(key));
    const stale = previous.filter((acl) => !wanted.has(key(acl)));
    await withKafkaAdmin(inputs.bootstrapServers, inputs.access, async (admin) => {
        if (inputs.acls.length > 0) await admin.createAcls({ acl: inputs.acls.map(toKafkajs) });
        if (stale.length > 0) await admin.deleteAcls({ filters: stale.map(toKafkajs) });
    });
}

export const kafkaAclsProvider: pulumi.dynamic.ResourceProvider<KafkaAclsInputs, KafkaAclsInputs> = {
    async diff(_id, olds, news) {
        const changes =
            olds.bootstrapServers !== news.bootstrapServers ||
            JSON.stringify(olds.acls.map(key).sort()) !== JSON.stringify(news.acls.map(key).sort()) ||
            JSON.stringify(olds.access) !== JSON.stringify(news.access);
        return { changes, replaces: [], deleteBeforeReplace: false };
    },
    async create(inputs) {
        await converge(inputs, []);
        return { id: inputs.acls.map(key).sort().join(",").slice(0, 200) || "no-acls", outs: inputs };
    },
    async update(_id, olds, news) {
        await converge(news, olds.acls);
        return { outs: news };
    },
    async delete(_id, props) {
        if (props.acls.length > 0)
            await withKafkaAdmin(props.bootstrapServers, props.access, (admin) => admin.deleteAcls({ filters: props.acls.map(toKafkajs) }));
    },
};
