// Pure: the ACLs a pipeline's Connect principal needs on a secured cluster, and nothing more: its topics (all
// named `<prefix>.…`: change topics, dead letters, schema history) and its consumer groups (the sinks'
// `connect-<prefix>-…`, the schema history reader's `<prefix>-…`), and reading the brokers' config. Connect's own internal topics and group are
// the cluster operator's to grant with the worker (docs/security.md). The heartbeat topic is Debezium's name.
import { pipelineTopicPrefixes } from "../core/topics";

export const ACL_OPERATIONS = ["READ", "WRITE", "CREATE", "DELETE", "DESCRIBE", "DESCRIBE_CONFIGS"] as const;
export type AclOperation = (typeof ACL_OPERATIONS)[number];

export interface AclBinding {
    resourceType: "TOPIC" | "GROUP" | "CLUSTER";
    /** Matched as a prefix (the cluster: literally "kafka-cluster"). */
    resourceName: string;
    principal: string;
    operation: AclOperation;
}

export function pipelineAcls(prefix: string, connectUser: string): AclBinding[] {
    const principal = `User:${connectUser}`;
    // Debezium names the PostgreSQL source's heartbeat topic after its topic prefix, behind its own.
    const topics = pipelineTopicPrefixes(prefix).flatMap((name) =>
        (["READ", "WRITE", "CREATE", "DESCRIBE", "DESCRIBE_CONFIGS"] as const).map((operation): AclBinding => ({
            resourceType: "TOPIC",
            resourceName: name,
            principal,
            operation,
        })),
    );
    // DELETE: removing a sink's offsets (teardown) deletes its consumer group's offsets.
    const groups = [`connect-${prefix}-`, `${prefix}-`].flatMap((name) =>
        (["READ", "DESCRIBE", "DELETE"] as const).map((operation): AclBinding => ({
            resourceType: "GROUP",
            resourceName: name,
            principal,
            operation,
        })),
    );
    // Debezium's schema history client reads the brokers' defaults before creating its topic.
    const cluster: AclBinding = { resourceType: "CLUSTER", resourceName: "kafka-cluster", principal, operation: "DESCRIBE_CONFIGS" };
    return [...topics, ...groups, cluster];
}

export function aclKey(acl: AclBinding): string {
    return `${acl.principal} ${acl.operation} ${acl.resourceType} ${acl.resourceName}${acl.resourceType === "CLUSTER" ? "" : "*"}`;
}
