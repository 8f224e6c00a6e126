// The dynamic provider behind the Connector resource: Pulumi's lifecycle mapped onto the Connect REST API.
// Pulumi serializes this object into the state, so it stays stateless: clients are created per call and
// packages are required inside functions (see connectClient.ts).
import type * as pulumi from "@pulumi/pulumi";
import { ConnectClient, connectError, ConnectorStatus } from "./connectClient";
import {
    checkConnectorInputs,
    connectStateOf,
    ConnectorInputs,
    ConnectorOutputs,
    DEFAULT_SETTLE_SECONDS,
    DEFAULT_TIMEOUT_SECONDS,
    desiredStateOf,
    diffConnector,
    hashSensitiveConfig,
    normalizeConfig,
    progressTowards,
    renderConfig,
    validationConfig,
    validationFailures,
} from "./connectorModel";
import { removeConnectorSecrets, writeConnectorSecrets } from "./workerSecrets";
import { describeOffsets, slotInUseReason, staleOffsetsReason } from "./resumeCheck";
import { UNKNOWN } from "../core/unknown";

// Right after a config change or a restart request Connect may still report the old, FAILED task: a failure
// counts once it has lasted this long.
const FAILED_GRACE_MS = 5_000;

function note(message: string): void {
    // The engine shows a provider's stderr lines as messages of the update.
    process.stderr.write(`${message}\n`);
}

function clientFor(inputs: Pick<ConnectorInputs, "connectUrl" | "auth" | "name">, retries?: number): ConnectClient {
    return new ConnectClient(inputs.connectUrl, {
        auth: inputs.auth,
        retries,
        onRetry: (message) => note(`connector ${inputs.name}: ${message}`),
    });
}

/** Connect answered the validation itself with an error (e.g. no plugin provides the class), not "busy". */
function connectRejectedClass(error: unknown): boolean {
    const { status, message } = error as { status?: number; message: string };
    if (status === undefined || status === 409 || status === 503 || status === 504) return false;
    return status < 500 || /BadRequestException|Failed to find any class/.test(message);
}

/** Connect lists every installed plugin after "available connectors are:"; keep only their names. */
function shortenPluginList(message: string): string {
    const names = [...message.matchAll(/name='([^']+)'/g)].map((match) => match[1]);
    const head = message.replace(/, available connectors are:[\s\S]*$/, "");
    return names.length > 0 ? `${head}; installed: ${names.join(", ")}` : head;
}

function hasUnknowns(value: unknown): boolean {
    if (value === UNKNOWN) return true;
    if (value && typeof value === "object") return Object.values(value).some(hasUnknowns);
    return false;
}

async function waitFor(client: ConnectClient, inputs: ConnectorInputs): Promise<ConnectorStatus> {
    const timeoutMs = (inputs.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
    const deadline = Date.now() + timeoutMs;
    // The desired state must hold this long before create/update report success, so that a task failing right
    // after it starts (bad credentials, a record too large at its first poll) fails the update with its trace.
    const settleMs = (inputs.settleSeconds ?? DEFAULT_SETTLE_SECONDS) * 1000;
    let reachedSince: number | undefined;
    let failedSince: number | undefined;
    let summary = "connector not found";
    for (;;) {
        const status = await client.getStatus(inputs.name);
        if (status) {
            const progress = progressTowards(inputs.state, status);
            if (progress.kind === "failed") {
                failedSince ??= Date.now();
                if (Date.now() - failedSince >= FAILED_GRACE_MS) throw connectError(`connector ${inputs.name}: ${progress.message}`);
                reachedSince = undefined;
                summary = progress.message;
            } else {
                failedSince = undefined;
            }
            if (progress.kind === "reached") {
                reachedSince ??= Date.now();
                if (Date.now() - reachedSince >= settleMs) return status;
            } else if (progress.kind === "pending") {
                reachedSince = undefined;
                summary = progress.summary;
            }
        }
        if (Date.now() > deadline) {
            throw connectError(
                `connector ${inputs.name} did not reach ${connectStateOf(inputs.state)} within ${timeoutMs / 1000} s: ${summary}`,
            );
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
    }
}

/** Brings the connector to its inputs: config, secrets, desired state; heals failed tasks. */
async function apply(inputs: ConnectorInputs, creating: boolean, salt: string): Promise<ConnectorOutputs> {
    const client = clientFor(inputs);
    const sensitive = inputs.sensitiveConfig ?? {};
    if (inputs.secretsDir) writeConnectorSecrets(inputs.secretsDir, inputs.name, sensitive, inputs.files);
    const config = renderConfig(inputs);
    const desired = inputs.state ?? "running";

    if (creating && inputs.resumeCheck) await checkInheritedOffsets(client, inputs, config);
    const existing = creating ? await client.getStatus(inputs.name) : undefined;
    if (creating && !existing && desired !== "running") {
        await client.create(inputs.name, config, connectStateOf(desired)); // never runs before pausing/stopping
    } else {
        await client.putConfig(inputs.name, config);
    }

    // Target states are persisted by Connect and the calls are idempotent: always state the desired one.
    // (Deciding from a status read right after the config PUT raced with the restart it triggers.)
    const current = await client.getStatus(inputs.name);
    const failed = current && (current.connector.state === "FAILED" || current.tasks.some((task) => task.state === "FAILED"));
    if (desired === "running") {
        if (failed) await client.restartFailed(inputs.name);
        await client.resume(inputs.name);
    } else if (desired === "paused") {
        await client.pause(inputs.name);
    } else {
        await client.stop(inputs.name);
    }

    const status = await waitFor(client, inputs);
    return outputsOf(inputs, status, await client.getTopics(inputs.name), salt);
}

/**
 * A source new to the stack may find offsets under its name: an earlier deployment's (Connect keeps them after
 * the connector is deleted) or a leftover connector's. Before it first runs (created STOPPED, or the leftover
 * stopped) they are checked against the position facts: stale ones are reset, so that the source starts afresh
 * instead of failing on a position its database no longer has.
 */
async function checkInheritedOffsets(client: ConnectClient, inputs: ConnectorInputs, config: Record<string, string>): Promise<void> {
    if (await client.getStatus(inputs.name)) {
        await client.stop(inputs.name);
        await client.putConfig(inputs.name, config);
    } else {
        await client.create(inputs.name, config, "STOPPED");
    }
    await client.waitUntilStopped(inputs.name);
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
async function moveConnector(olds: ConnectorOutputs, news: ConnectorInputs, config: Record<string, string>): Promise<void> {
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
    if (await to.getStatus(news.name)) {
        await to.stop(news.name);
        await to.putConfig(news.name, config);
    } else {
        await to.create(news.name, config, "STOPPED");
    }
    await to.waitUntilStopped(news.name);
    if (offsets.length > 0) await to.alterOffsets(news.name, offsets);
    note(
        `connector ${news.name}: moved from ${olds.connectUrl} to ${news.connectUrl}${offsets.length > 0 ? ` at ${describeOffsets(offsets)}` : ""}`,
    );
}

async function removeFromOldCluster(olds: ConnectorOutputs, news: ConnectorInputs): Promise<void> {
    const from = clientFor(olds);
    if (olds.connectorType === "source") await from.resetOffsets(olds.name);
    await from.deleteConnector(olds.name);
    if (olds.secretsDir && olds.secretsDir !== news.secretsDir) removeConnectorSecrets(olds.secretsDir, olds.name);
}

/** At preview: what a move to another Connect cluster cannot do (the old one unreachable, another Kafka cluster). */
async function moveFailures(olds: ConnectorOutputs, news: ConnectorInputs): Promise<pulumi.dynamic.CheckFailure[]> {
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
async function inheritanceFailures(news: ConnectorInputs): Promise<pulumi.dynamic.CheckFailure[]> {
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

function outputsOf(inputs: ConnectorInputs, status: ConnectorStatus | undefined, topics: string[], salt: string): ConnectorOutputs {
    const { sensitiveConfig, ...rest } = inputs;
    return {
        ...rest,
        state: inputs.state ?? "running",
        sensitiveHashes: hashSensitiveConfig(salt, sensitiveConfig ?? {}),
        sensitiveSalt: salt,
        connectorState: status?.connector.state ?? "UNKNOWN",
        workerId: status?.connector.worker_id ?? "",
        connectorType: status?.type ?? "",
        tasks: (status?.tasks ?? []).map((task) => ({ id: task.id, state: task.state, workerId: task.worker_id })),
        topics,
    };
}

function newSalt(): string {
    const crypto: typeof import("crypto") = require("crypto");
    return crypto.randomBytes(16).toString("hex");
}

export const connectorProvider: pulumi.dynamic.ResourceProvider<ConnectorInputs, ConnectorOutputs> = {
    async check(olds, news) {
        const failures = checkConnectorInputs(news);
        if (failures.length > 0) return { inputs: news, failures };
        // Where the connector lives and what it inherits need only its name, cluster and position facts, known at a
        // first preview even when its secrets are not generated yet.
        const recorded = olds as Partial<ConnectorOutputs>;
        const placed = !hasUnknowns([news.name, news.connectUrl, news.auth ?? null, news.resumeCheck ?? null]);
        if (placed && recorded.connectUrl && recorded.connectUrl !== news.connectUrl) {
            const refused = await moveFailures(recorded as ConnectorOutputs, news);
            if (refused.length > 0) return { inputs: news, failures: refused };
        }
        if (placed && !recorded.name && news.resumeCheck) {
            const refused = await inheritanceFailures(news);
            if (refused.length > 0) return { inputs: news, failures: refused };
        }
        if (hasUnknowns(news)) {
            note(`connector ${news.name}: some inputs are not known yet; checked structurally, Connect will validate at update`);
            return { inputs: news, failures };
        }
        try {
            // One attempt, no backoff: a preview should not hang on an unreachable cluster.
            const answer = await clientFor(news, 0).validate(news.connectorClass, validationConfig(news));
            return { inputs: news, failures: validationFailures(answer, news) };
        } catch (error) {
            const message = (error as Error).message;
            if (connectRejectedClass(error)) {
                return {
                    inputs: news,
                    failures: [{ property: "connectorClass", reason: `connectorClass: ${shortenPluginList(message)}` }],
                };
            }
            note(`connector ${news.name}: Connect not reachable for validation (${message}); checked structurally only`);
            return { inputs: news, failures };
        }
    },

    async diff(_id, olds, news) {
        const diff = diffConnector(olds, news);
        let changes = diff.changes;
        if (!changes && !hasUnknowns(news)) {
            // Heal what drifted on the cluster since the last update: failed tasks, or a state changed by hand.
            const status = await clientFor(news, 0)
                .getStatus(news.name)
                .catch(() => undefined);
            if (status && progressTowards(news.state, status).kind !== "reached") {
                note(
                    `connector ${news.name}: is ${status.connector.state} with tasks [${status.tasks.map((t) => t.state).join(", ")}]; update will bring it back to ${connectStateOf(news.state)}`,
                );
                changes = true;
            }
        }
        return {
            changes,
            replaces: diff.replaces,
            // Always delete first: two copies of one connector must not run at once (a CDC source's server id,
            // slot and topic prefix, or a sink's target tables, would be shared), and a same-name replacement
            // (class change) cannot coexist anyway.
            deleteBeforeReplace: true,
        };
    },

    async create(inputs) {
        const salt = newSalt();
        try {
            return { id: inputs.name, outs: await apply(inputs, true, salt) };
        } catch (error) {
            // The connector exists but did not come up: record it as created-but-failed (Pulumi's
            // ErrorResourceInitFailed), so the next `up` updates it and `destroy` removes it, instead of
            // leaving it on the cluster unknown to the state.
            const status = await clientFor(inputs, 0)
                .getStatus(inputs.name)
                .catch(() => undefined);
            if (status) {
                const failure = error as Error & { id?: string; properties?: unknown; reasons?: string[] };
                failure.id = inputs.name;
                failure.properties = {
                    ...outputsOf(inputs, status, [], salt),
                    // The dynamic-provider host needs its serialized provider in every recorded state.
                    __provider: (inputs as unknown as Record<string, unknown>).__provider,
                };
                failure.reasons = [failure.message];
            }
            throw error;
        }
    },

    async update(_id, olds, news) {
        const moving = olds.connectUrl !== news.connectUrl;
        if (moving) await moveConnector(olds, news, renderConfig(news));
        const outs = await apply(news, false, olds.sensitiveSalt ?? newSalt());
        if (moving) await removeFromOldCluster(olds, news);
        return { outs };
    },

    async read(id, props) {
        if (!props) throw new Error(`connector ${id} cannot be read without its recorded properties`);
        const client = clientFor(props);
        const liveConfig = await client.getConfig(id);
        if (!liveConfig) return {}; // deleted out of band: refresh drops it from the state
        const sensitiveKeys = Object.keys(props.sensitiveHashes ?? {});
        const config = Object.fromEntries(Object.entries(normalizeConfig(liveConfig)).filter(([key]) => !sensitiveKeys.includes(key)));
        const status = await client.getStatus(id);
        const observed = status ? desiredStateOf(status.connector.state) : undefined;
        const outs: ConnectorOutputs = {
            ...outputsOf({ ...props, config, state: observed ?? props.state }, status, await client.getTopics(id), props.sensitiveSalt),
            sensitiveHashes: props.sensitiveHashes,
        };
        // No `inputs`: the engine keeps the program's recorded inputs (sensitive values cannot be read back),
        // and the next diff compares these refreshed outputs with the program, so `up` restores drift.
        return { id, props: outs };
    },

    async delete(id, props) {
        if (props.resetOffsetsOnDelete) await clientFor(props).resetOffsets(id);
        await clientFor(props).deleteConnector(id);
        if (props.secretsDir) removeConnectorSecrets(props.secretsDir, props.name);
    },
};
