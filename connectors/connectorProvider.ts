// The dynamic provider behind the Connector resource: Pulumi's lifecycle mapped onto the Connect REST API.
// Pulumi serializes this object into the state, so it stays stateless: clients are created per call and
// packages are required inside functions (see connectClient.ts).
import type * as pulumi from "@pulumi/pulumi";
import { ConnectClient, connectError, ConnectorStatus } from "./connectClient";
import {
    checkInheritedOffsets,
    clientFor,
    inheritanceFailures,
    moveConnector,
    moveFailures,
    note,
    ownerFailures,
    removeFromOldCluster,
} from "./connectorPositions";
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
import { UNKNOWN } from "../core/unknown";

// Right after a config change or a restart request Connect may still report the old, FAILED task: a failure
// counts once it has lasted this long.
const FAILED_GRACE_MS = 5_000;

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

    if (creating && inputs.resumeCheck) {
        try {
            await checkInheritedOffsets(client, inputs, config);
        } catch (error) {
            // Not recorded as created: the next `up` creates it again and judges its offsets again (an update would not).
            (error as { beforeStart?: boolean }).beforeStart = true;
            throw error;
        }
    }
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
        const placed = !hasUnknowns([news.name, news.connectUrl, news.auth ?? null, news.resumeCheck ?? null, news.owner ?? null]);
        if (placed && recorded.connectUrl && recorded.connectUrl !== news.connectUrl) {
            const refused = await moveFailures(recorded as ConnectorOutputs, news);
            if (refused.length > 0) return { inputs: news, failures: refused };
        }
        if (placed && !recorded.name) {
            const refused = [...(await ownerFailures(news)), ...(news.resumeCheck ? await inheritanceFailures(news) : [])];
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
            // leaving it on the cluster unknown to the state. Unless it failed while still stopped for its offsets
            // check: left stopped, it is a leftover the next `up` takes over and checks again.
            const status = await clientFor(inputs, 0)
                .getStatus(inputs.name)
                .catch(() => undefined);
            if (status && !(error as { beforeStart?: boolean }).beforeStart) {
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
