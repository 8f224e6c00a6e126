// Effects, for the Connector provider: where a connector's position comes from when it is new to the stack
// (offsets Connect still holds under its name, checked against the position facts: resumeCheck.ts) or when it
// moves to another Connect cluster (offsets carried over). Serialized with the provider: packages are required
// inside functions (see connectClient.ts).
import type * as pulumi from "@pulumi/pulumi";
import { ConnectClient } from "./connectClient";
import { ConnectorInputs, ConnectorOutputs, OWNER_KEY } from "./connectorModel";
import { describeOffsets, slotInUseReason, staleOffsetsReason } from "./resumeCheck";
import { removeConnectorSecrets, writeConnectorSecrets } from "./workerSecrets";

export function note(message: string): void {
    // The engine shows a provider's stderr lines as messages of the update.
    process.stderr.write(`${message}\n`);
}

export function clientFor(inputs: Pick<ConnectorInputs, "connectUrl" | "auth" | "name">, retries?: number): ConnectClient {
    return new ConnectClient(inputs.connectUrl, {
        auth: inputs.auth,
        retries,
        onRetry: (message) => note(`connector ${inputs.name}: ${message}`),
    });
}

/**
 * A source new to the stack may find offsets under its name: an earlier deployment's (Connect keeps them after
 * the connector is deleted) or a leftover connector's. Before it first runs (created STOPPED, or the leftover
 * stopped) they are checked against the position facts: stale ones are reset, so that the source starts afresh
 * instead of failing on a position its database no longer has.
 */
export async function checkInheritedOffsets(client: ConnectClient, inputs: ConnectorInputs, config: Record<string, string>): Promise<void> {
    await client.placeStopped(inputs.name, config);
    const offsets = (await client.getOffsets(inputs.name)) ?? [];
    const reason = staleOffsetsReason(inputs.resumeCheck!, offsets);
    if (reason) {
        await client.deleteOffsets(inputs.name);
        note(
            `connector ${inputs.name}: reset the offsets an earlier deployment left (${describeOffsets(offsets)}): ${reason}; it starts afresh`,
        );
    } else if (offsets.length > 0) {
        note(`connector ${inputs.name}: resumes from the offsets an earlier deployment left (${describeOffsets(offsets)})`);
    }
}

/**
 * A connector whose Connect cluster changed moves with its position: stopped on the old cluster, created stopped
 * on the new one with the old offsets (a source's live in the old cluster's offsets topic; a sink's consumer group
 * is in Kafka, shared by both), started there, then deleted from the old cluster with its offsets.
 */
export async function moveConnector(olds: ConnectorOutputs, news: ConnectorInputs, config: Record<string, string>): Promise<void> {
    const from = clientFor(olds);
    const to = clientFor(news);
    if (news.secretsDir) writeConnectorSecrets(news.secretsDir, news.name, news.sensitiveConfig ?? {}, news.files);
    if (!(await from.getStatus(olds.name))) {
        note(`connector ${news.name}: not on ${olds.connectUrl} any more; created on ${news.connectUrl} from its config`);
        return;
    }
    await from.stop(olds.name);
    await from.waitUntilStopped(olds.name);
    const offsets = olds.connectorType === "source" ? ((await from.getOffsets(olds.name)) ?? []) : [];
    await to.placeStopped(news.name, config);
    if (offsets.length > 0) await to.alterOffsets(news.name, offsets);
    note(
        `connector ${news.name}: moved from ${olds.connectUrl} to ${news.connectUrl}${offsets.length > 0 ? ` at ${describeOffsets(offsets)}` : ""}`,
    );
}

export async function removeFromOldCluster(olds: ConnectorOutputs, news: ConnectorInputs): Promise<void> {
    const from = clientFor(olds);
    if (olds.connectorType === "source") await from.resetOffsets(olds.name);
    await from.deleteConnector(olds.name);
    if (olds.secretsDir && olds.secretsDir !== news.secretsDir) removeConnectorSecrets(olds.secretsDir, olds.name);
}

/** At preview: what a move to another Connect cluster cannot do (the old one unreachable, another Kafka cluster). */
export async function moveFailures(olds: ConnectorOutputs, news: ConnectorInputs): Promise<pulumi.dynamic.CheckFailure[]> {
    const refuse = (reason: string) => [{ property: "connectUrl", reason: `connectUrl: ${reason}` }];
    let from: string;
    try {
        from = await clientFor(olds, 0).kafkaClusterId();
    } catch (error) {
        return refuse(
            `connector ${news.name} moves from ${olds.connectUrl}, which cannot be reached (${(error as Error).message}): its position is there. Bring that cluster back for the move, or drop the connector from the state (pulumi state delete) to start it afresh on ${news.connectUrl}`,
        );
    }
    const to = await clientFor(news, 0)
        .kafkaClusterId()
        .catch(() => undefined);
    if (to !== undefined && to !== from) {
        return refuse(
            `connector ${news.name} would move to a Connect cluster on another Kafka cluster (${from} → ${to}): its topics and sink positions stay behind. Move within one Kafka cluster, or tear the stack down and deploy it afresh there`,
        );
    }
    return [];
}

/**
 * At preview, for a source new to the stack: refused when another deployment streams from its slot; else says
 * what up will do with offsets a leftover connector of its name holds.
 */
export async function inheritanceFailures(news: ConnectorInputs): Promise<pulumi.dynamic.CheckFailure[]> {
    const client = clientFor(news, 0);
    const status = await client.getStatus(news.name).catch(() => "unknown" as const);
    if (status === "unknown") return [];
    const inUse = slotInUseReason(news.resumeCheck!, news.name, status !== undefined, news.connectUrl);
    if (inUse) return [{ property: "resumeCheck", reason: inUse }];
    const offsets = status ? await client.getOffsets(news.name).catch(() => undefined) : undefined;
    if (!offsets || offsets.length === 0) return [];
    const reason = staleOffsetsReason(news.resumeCheck!, offsets);
    note(
        reason
            ? `connector ${news.name}: exists on the cluster with offsets (${describeOffsets(offsets)}) that cannot be resumed from: ${reason}; up resets them and it starts afresh`
            : `connector ${news.name}: exists on the cluster; up takes it over and resumes from its offsets (${describeOffsets(offsets)})`,
    );
    return [];
}

/**
 * A connector new to the stack that already exists under its name is taken over (a leftover of an earlier
 * deployment, or one made by hand), unless its owner marker names another stack: two stacks of one topic prefix
 * on one Connect cluster would take each other's connectors over at every `up`.
 */
export async function ownerFailures(news: ConnectorInputs): Promise<pulumi.dynamic.CheckFailure[]> {
    if (!news.owner) return [];
    const live = await clientFor(news, 0)
        .getConfig(news.name)
        .catch(() => undefined);
    const owner = live?.[OWNER_KEY];
    if (!owner || owner === news.owner) return [];
    return [
        {
            property: "name",
            reason: `connector ${news.name} on ${news.connectUrl} belongs to stack ${owner}, not ${news.owner}: two stacks must not share a topic prefix on one Connect cluster. Choose another tandem:topicPrefix for this stack; or, if stack ${owner} no longer exists, delete its connectors (\`tandem connectors delete ${news.name} --connect-url ${news.connectUrl}\`): their offsets stay, and this stack resumes from them where they still hold`,
        },
    ];
}
