// Pure rules of the prod policy pack (policy/index.ts): each takes what Pulumi shows a policy (resource type
// and inputs) and returns the violations. Plain functions, so tests run them on mocked stacks.
export interface PolicyResource {
    type: string;
    name: string;
    props: Record<string, unknown>;
}

export type Rule = (resource: PolicyResource) => string[];

const SECRET_KEY = /(password|passwd|secret|token|credential|private[._-]?key)/i;
const PROVIDER_REFERENCE = /^\$\{(dir|file|env|secrets):[^}]+\}$/;

export const topicReplication: Rule = ({ type, name, props }) => {
    if (type !== "kafka:index/topic:Topic") return [];
    const problems: string[] = [];
    if (Number(props.replicationFactor) < 3) problems.push(`topic ${name}: replication factor ${props.replicationFactor} < 3`);
    const isr = Number((props.config as Record<string, string> | undefined)?.["min.insync.replicas"] ?? 1);
    if (isr < 2) problems.push(`topic ${name}: min.insync.replicas ${isr} < 2`);
    return problems;
};

export const mskEncryptionAndAuth: Rule = ({ type, name, props }) => {
    if (type !== "aws:msk/cluster:Cluster") return [];
    const problems: string[] = [];
    const transit = (props.encryptionInfo as { encryptionInTransit?: { clientBroker?: string; inCluster?: boolean } } | undefined)
        ?.encryptionInTransit;
    if (transit?.clientBroker !== "TLS" || transit?.inCluster === false)
        problems.push(`MSK ${name}: TLS in transit (client-broker and in-cluster) is required`);
    const sasl = props.clientAuthentication as { sasl?: { iam?: boolean; scram?: boolean }; unauthenticated?: boolean } | undefined;
    if (!sasl?.sasl?.iam && !sasl?.sasl?.scram) problems.push(`MSK ${name}: SASL/IAM or SASL/SCRAM client authentication is required`);
    if (sasl?.unauthenticated) problems.push(`MSK ${name}: unauthenticated access must be off`);
    if (Number(props.numberOfBrokerNodes) < 3) problems.push(`MSK ${name}: at least 3 brokers`);
    return problems;
};

export const connectRestAuth: Rule = ({ type, name, props }) => {
    if (type !== "kubernetes:core/v1:ConfigMap") return [];
    const worker = (props.data as Record<string, string> | undefined)?.["worker.properties"];
    if (worker === undefined) return [];
    return /rest\.extension\.classes=.*BasicAuthSecurityRestExtension/.test(worker)
        ? []
        : [`Connect workers ${name}: REST authentication must be on`];
};

/** Connector configs hold secrets only as config-provider references; the values go in sensitiveConfig. */
export const noPlaintextSecrets: Rule = ({ type, name, props }) => {
    if (type !== "pulumi-nodejs:dynamic/tandem:Connector") return [];
    const config = (props.config as Record<string, unknown> | undefined) ?? {};
    return Object.entries(config)
        .filter(([key, value]) => SECRET_KEY.test(key) && !(typeof value === "string" && PROVIDER_REFERENCE.test(value)))
        .map(([key]) => `connector ${name}: config["${key}"] holds a secret in plaintext; use sensitiveConfig`);
};

export const RESOURCE_RULES: Record<string, Rule> = {
    "topic-replication": topicReplication,
    "msk-encryption-and-auth": mskEncryptionAndAuth,
    "connect-rest-auth": connectRestAuth,
    "no-plaintext-secrets": noPlaintextSecrets,
};

/** Stack rule: the databases' CDC parameter groups are part of the stack. */
export function parameterGroupsPresent(resources: PolicyResource[]): string[] {
    const groups = resources.filter(
        (r) => r.type === "aws:rds/parameterGroup:ParameterGroup" || r.type === "aws:rds/clusterParameterGroup:ClusterParameterGroup",
    );
    const has = (name: string, value: string) =>
        groups.some((g) =>
            ((g.props.parameters as { name: string; value: string }[] | undefined) ?? []).some(
                (p) => p.name === name && p.value.toLowerCase() === value.toLowerCase(),
            ),
        );
    const problems: string[] = [];
    if (!has("binlog_format", "ROW")) problems.push("no MySQL parameter group with binlog_format=ROW");
    if (!has("rds.logical_replication", "1")) problems.push("no PostgreSQL parameter group with rds.logical_replication=1");
    return problems;
}

/** Every violation of a stack, rule name first. */
export function violations(resources: PolicyResource[]): string[] {
    const found: string[] = [];
    for (const resource of resources) {
        for (const [rule, check] of Object.entries(RESOURCE_RULES)) found.push(...check(resource).map((message) => `${rule}: ${message}`));
    }
    found.push(...parameterGroupsPresent(resources).map((message) => `cdc-parameter-groups: ${message}`));
    return found;
}
