// Pure model of a Kafka Connect connector as a Pulumi resource: input checks, the config actually sent to
// Connect, normalization, hashing of sensitive values, desired states and diffing. No I/O here;
// connectorProvider.ts holds the effects.
//
// The provider is serialized into Pulumi's state as source text: module-level values must be plain data
// (arrays, objects, strings), not Sets or Maps, and packages are required inside functions.

import type { ResumeCheck } from "./resumeCheck";

export type DesiredState = "running" | "paused" | "stopped";
export const DESIRED_STATES: readonly DesiredState[] = ["running", "paused", "stopped"];

export interface BasicAuth {
    username: string;
    password: string;
}

/** Inputs of a Connector resource after Pulumi resolved them (plain values). */
export interface ConnectorInputs {
    /** Kafka Connect REST endpoint, e.g. http://127.0.0.1:18083. Changing it moves the connector, offsets included. */
    connectUrl: string;
    /** Basic auth for the REST API (BasicAuthSecurityRestExtension), if enabled. */
    auth?: BasicAuth;
    /** Connector name; changing it replaces the connector. */
    name: string;
    /** `connector.class`; changing it replaces the connector. */
    connectorClass: string;
    /** Connector config without `connector.class` and `name`. Values are sent as strings. */
    config: Record<string, string>;
    /**
     * Secret config values. Each one is written to a file in `secretsDir` on the worker and the config sent to
     * Connect holds only a `${dir:...}` reference, so Connect's config topic never sees it.
     */
    sensitiveConfig?: Record<string, string>;
    /** Folder on the Connect worker served by its `dir` config provider; the provider writes the files. */
    secretsDir?: string;
    /**
     * Files the connector's config names by path (a CA certificate, a trust store), base64 by file name: written
     * beside the secrets in `<secretsDir>/<name>/` (connectorFilePath), removed with them. Not secret.
     */
    files?: Record<string, string>;
    /**
     * Instead of `secretsDir`: a Kubernetes Secret `<namespace>/<name>` holding the values, created beside the
     * connector and read by the workers' `secrets` config provider (Strimzi's KubernetesSecretConfigProvider).
     */
    kubernetesSecret?: string;
    /** State to bring the connector to and keep it in (default running). */
    state?: DesiredState;
    /** How long create/update wait for the connector and its tasks to reach the state (default 180). */
    timeoutSeconds?: number;
    /**
     * How long the connector and all its tasks must stay in the desired state before create/update succeed
     * (default DEFAULT_SETTLE_SECONDS): a task that fails at its first poll (a record too large, a refused write)
     * fails the update with its trace instead of being found FAILED after a successful `up`.
     */
    settleSeconds?: number;
    /**
     * Delete the connector's offsets with it (stop, `DELETE …/offsets`, delete): for a source whose position dies
     * with it (a dropped replication slot), so that a connector created again under the name starts afresh.
     */
    resetOffsetsOnDelete?: boolean;
    /**
     * A source's position facts (read at preview): when the connector is new to the stack, offsets found under
     * its name are checked against them before it first runs, and reset if they cannot be resumed from
     * (resumeCheck.ts). Not compared by diff: the facts move on by themselves.
     */
    resumeCheck?: ResumeCheck;
    /**
     * Who deploys it (`<project>/<stack>`), written into its config under OWNER_KEY: a stack refuses at preview to
     * take over a connector of its name that another stack's marker claims. Not compared by diff (a renamed
     * stack keeps its connectors as they are).
     */
    owner?: string;
}

export interface TaskState {
    id: number;
    state: string;
    workerId: string;
}

/** What the provider records in state. Plaintext sensitive values are not among them: only salted hashes. */
export interface ConnectorOutputs extends Omit<ConnectorInputs, "sensitiveConfig"> {
    /** sha256(salt, key, value) per sensitive key; a secret output. */
    sensitiveHashes: Record<string, string>;
    sensitiveSalt: string;
    /** Observed states as Connect reports them (RUNNING, PAUSED, STOPPED, FAILED, UNASSIGNED). */
    connectorState: string;
    tasks: TaskState[];
    workerId: string;
    connectorType: string;
    /** Topics the connector has used, as Connect tracks them (GET /connectors/{name}/topics). */
    topics: string[];
}

export interface CheckFailure {
    property: string;
    reason: string;
}

export const DEFAULT_TIMEOUT_SECONDS = 180;
/** Long enough for a source's first poll and send, or a sink's first batch, to fail. */
export const DEFAULT_SETTLE_SECONDS = 10;

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,248}$/;
const K8S_SECRET_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/;
const CLASS_PATTERN = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+$/;
/** The config key naming the stack that deploys a connector (connectors ignore keys they do not define). */
export const OWNER_KEY = "tandem.owner";
// Keys the resource owns itself, by the input that sets them: they must not appear in `config`.
const RESERVED_BY: Readonly<Record<string, string>> = { name: "name", "connector.class": "connectorClass", [OWNER_KEY]: "owner" };
const RESERVED_KEYS: readonly string[] = Object.keys(RESERVED_BY);

/** Structural checks that need no Connect cluster. Each failure names the input property at fault. */
export function checkConnectorInputs(inputs: Partial<ConnectorInputs>): CheckFailure[] {
    const failures: CheckFailure[] = [];
    const fail = (property: string, reason: string) => failures.push({ property, reason });
    if (typeof inputs.connectUrl !== "string" || !isHttpUrl(inputs.connectUrl)) {
        fail("connectUrl", `must be an http(s) URL, got ${JSON.stringify(inputs.connectUrl)}`);
    }
    if (typeof inputs.name !== "string" || !NAME_PATTERN.test(inputs.name)) {
        fail("name", `must be 1-249 characters of letters, digits, '.', '_' or '-', got ${JSON.stringify(inputs.name)}`);
    }
    if (typeof inputs.connectorClass !== "string" || !CLASS_PATTERN.test(inputs.connectorClass)) {
        fail("connectorClass", `must be a fully qualified Java class name, got ${JSON.stringify(inputs.connectorClass)}`);
    }
    const config = inputs.config ?? {};
    for (const key of RESERVED_KEYS) {
        if (key in config) fail(`config["${key}"]`, `must be left out: the resource's ${RESERVED_BY[key]} sets it`);
    }
    for (const [key, value] of Object.entries(config)) {
        if (value === null || typeof value === "object") fail(`config["${key}"]`, "must be a string, number or boolean");
    }
    const sensitive = inputs.sensitiveConfig ?? {};
    for (const key of Object.keys(sensitive)) {
        if (key in config) fail(`sensitiveConfig["${key}"]`, "is also set in config; give it in one place");
        if (!/^[A-Za-z0-9._-]+$/.test(key)) fail(`sensitiveConfig["${key}"]`, "cannot be used as a secret file name");
    }
    if (inputs.kubernetesSecret !== undefined) {
        if (inputs.secretsDir !== undefined) fail("kubernetesSecret", "and secretsDir exclude each other: give one");
        if (!K8S_SECRET_PATTERN.test(inputs.kubernetesSecret))
            fail("kubernetesSecret", `must be <namespace>/<secret name>, got ${JSON.stringify(inputs.kubernetesSecret)}`);
    } else if (Object.keys(sensitive).length > 0 && !(typeof inputs.secretsDir === "string" && inputs.secretsDir.startsWith("/"))) {
        fail("secretsDir", "an absolute folder on the Connect worker (or kubernetesSecret) is required with sensitiveConfig");
    }
    for (const key of Object.keys(inputs.files ?? {})) {
        if (key in sensitive) fail(`files["${key}"]`, "is also a sensitiveConfig key; give it in one place");
        if (!/^[A-Za-z0-9._-]+$/.test(key)) fail(`files["${key}"]`, "cannot be used as a file name");
        if (!(typeof inputs.secretsDir === "string" && inputs.secretsDir.startsWith("/")))
            fail("secretsDir", "an absolute folder on the Connect worker is required with files");
    }
    if (inputs.state !== undefined && !DESIRED_STATES.includes(inputs.state)) {
        fail("state", `must be one of ${DESIRED_STATES.join(", ")}, got ${JSON.stringify(inputs.state)}`);
    }
    if (inputs.timeoutSeconds !== undefined && !(inputs.timeoutSeconds > 0)) {
        fail("timeoutSeconds", "must be a positive number of seconds");
    }
    if (
        inputs.settleSeconds !== undefined &&
        !(inputs.settleSeconds >= 0 && inputs.settleSeconds < (inputs.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS))
    ) {
        fail("settleSeconds", "must be a number of seconds, at least 0 and below timeoutSeconds");
    }
    if (inputs.auth !== undefined && !(inputs.auth.username && inputs.auth.password)) {
        fail("auth", "needs both username and password");
    }
    return failures;
}

export function isHttpUrl(value: string): boolean {
    try {
        const url = new URL(value);
        return url.protocol === "http:" || url.protocol === "https:";
    } catch {
        return false;
    }
}

/** The folder holding one connector's secret files on the worker. */
export function connectorSecretsFolder(secretsDir: string, connectorName: string): string {
    return `${secretsDir.replace(/\/+$/, "")}/${connectorName}`;
}

/** A reference resolved by Kafka's DirectoryConfigProvider registered as `dir` on the worker. */
/** Where a connector's file (ConnectorInputs.files) is on the worker. */
export function connectorFilePath(secretsDir: string, connectorName: string, file: string): string {
    return `${connectorSecretsFolder(secretsDir, connectorName)}/${file}`;
}

export function secretReference(secretsDir: string, connectorName: string, key: string): string {
    return `\${dir:${connectorSecretsFolder(secretsDir, connectorName)}:${key}}`;
}

/** The reference a sensitive value becomes in the config Connect stores. */
export function sensitiveReference(inputs: Pick<ConnectorInputs, "name" | "secretsDir" | "kubernetesSecret">, key: string): string {
    return inputs.kubernetesSecret
        ? `\${secrets:${inputs.kubernetesSecret}:${key}}`
        : secretReference(inputs.secretsDir ?? "", inputs.name, key);
}

/**
 * The flat config map PUT to Connect: string values, `connector.class` and `name` added, sensitive values
 * replaced by config-provider references.
 */
export function renderConfig(inputs: ConnectorInputs): Record<string, string> {
    const rendered: Record<string, string> = { ...normalizeConfig(inputs.config) };
    for (const key of Object.keys(inputs.sensitiveConfig ?? {})) {
        rendered[key] = sensitiveReference(inputs, key);
    }
    rendered["connector.class"] = inputs.connectorClass;
    rendered["name"] = inputs.name;
    if (inputs.owner) rendered[OWNER_KEY] = inputs.owner;
    return sortKeys(rendered);
}

/**
 * The config for Connect's validate endpoint: like renderConfig, but with the sensitive values themselves
 * (the secret files may not exist yet at preview; a validation request is not stored by Connect).
 */
export function validationConfig(inputs: ConnectorInputs): Record<string, string> {
    return sortKeys({ ...renderConfig(inputs), ...normalizeConfig(inputs.sensitiveConfig ?? {}) });
}

/** Normalizes a config for comparison: string values, sorted keys, resource-owned keys dropped. */
export function normalizeConfig(config: Record<string, unknown>): Record<string, string> {
    const normalized: Record<string, string> = {};
    for (const [key, value] of Object.entries(config)) {
        if (RESERVED_KEYS.includes(key) || value === undefined || value === null) continue;
        normalized[key] = String(value);
    }
    return sortKeys(normalized);
}

/** Salted hash of one sensitive value, so state can tell a changed secret without holding it. */
export function hashSensitive(salt: string, key: string, value: string): string {
    const crypto: typeof import("crypto") = require("crypto");
    return crypto.createHash("sha256").update(`${salt}\u0000${key}\u0000${value}`).digest("hex");
}

export function hashSensitiveConfig(salt: string, sensitive: Record<string, string>): Record<string, string> {
    return sortKeys(Object.fromEntries(Object.entries(sensitive).map(([key, value]) => [key, hashSensitive(salt, key, String(value))])));
}

export interface ConnectorDiff {
    changes: boolean;
    replaces: string[];
    /** Changed properties, e.g. `config["tasks.max"]`, `sensitiveConfig["database.password"]`, `state`. */
    changed: string[];
}

/** Compares recorded outputs with new inputs. Renames, class and cluster changes replace; the rest updates. */
export function diffConnector(olds: ConnectorOutputs, news: ConnectorInputs): ConnectorDiff {
    // A new Connect cluster is an update, not a replacement: the connector moves with its offsets (connectorProvider.ts).
    const replaces = (["name", "connectorClass"] as const).filter((key) => olds[key] !== news[key]);
    const changed: string[] = [...replaces];
    if (olds.connectUrl !== news.connectUrl) changed.push("connectUrl");
    for (const key of changedConfigKeys(olds.config ?? {}, news.config ?? {})) changed.push(`config["${key}"]`);
    const newHashes = hashSensitiveConfig(olds.sensitiveSalt ?? "", news.sensitiveConfig ?? {});
    for (const key of changedConfigKeys(olds.sensitiveHashes ?? {}, newHashes)) changed.push(`sensitiveConfig["${key}"]`);
    if ((olds.state ?? "running") !== (news.state ?? "running")) changed.push("state");
    if (olds.secretsDir !== news.secretsDir) changed.push("secretsDir");
    for (const key of changedConfigKeys(olds.files ?? {}, news.files ?? {})) changed.push(`files["${key}"]`);
    if (olds.kubernetesSecret !== news.kubernetesSecret) changed.push("kubernetesSecret");
    if (olds.timeoutSeconds !== news.timeoutSeconds) changed.push("timeoutSeconds");
    if (olds.settleSeconds !== news.settleSeconds) changed.push("settleSeconds");
    if (Boolean(olds.resetOffsetsOnDelete) !== Boolean(news.resetOffsetsOnDelete)) changed.push("resetOffsetsOnDelete");
    if (olds.auth?.username !== news.auth?.username || olds.auth?.password !== news.auth?.password) changed.push("auth");
    return { changes: changed.length > 0, replaces, changed };
}

/** Keys whose normalized values differ between two configs (added, removed or changed). */
export function changedConfigKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
    const left = normalizeConfig(a);
    const right = normalizeConfig(b);
    const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])];
    return keys.filter((key) => left[key] !== right[key]).sort();
}

/** Connect's state name for a desired state. */
export function connectStateOf(desired: DesiredState | undefined): string {
    return (desired ?? "running").toUpperCase();
}

/** The desired state an observed Connect state amounts to (for `pulumi refresh`), if any. */
export function desiredStateOf(observed: string): DesiredState | undefined {
    const state = observed.toLowerCase();
    return DESIRED_STATES.includes(state as DesiredState) ? (state as DesiredState) : undefined;
}

export interface ObservedStatus {
    connector: { state: string; worker_id: string; trace?: string };
    tasks: { id: number; state: string; worker_id: string; trace?: string }[];
}

export type Progress = { kind: "reached" } | { kind: "pending"; summary: string } | { kind: "failed"; message: string };

/**
 * Whether a status shows the desired state: running = connector and at least one task RUNNING, none other;
 * paused = connector and all tasks PAUSED; stopped = connector STOPPED (Connect shuts tasks down).
 */
export function progressTowards(desired: DesiredState | undefined, status: ObservedStatus, traceLines = 6): Progress {
    const { connector, tasks } = status;
    if (connector.state === "FAILED") {
        return { kind: "failed", message: `connector FAILED on ${connector.worker_id}:\n${traceHead(connector.trace, traceLines)}` };
    }
    const failed = tasks.find((task) => task.state === "FAILED");
    if (failed) {
        return { kind: "failed", message: `task ${failed.id} FAILED on ${failed.worker_id}:\n${traceHead(failed.trace, traceLines)}` };
    }
    const want = connectStateOf(desired);
    const tasksOk = want === "STOPPED" ? tasks.length === 0 : tasks.length > 0 && tasks.every((task) => task.state === want);
    if (connector.state === want && tasksOk) return { kind: "reached" };
    return {
        kind: "pending",
        summary: `connector ${connector.state}, tasks [${tasks.map((task) => `${task.id}:${task.state}`).join(", ")}], want ${want}`,
    };
}

/** The first useful lines of a Java stack trace reported by Connect (frames dropped). */
export function traceHead(trace: string | undefined, lines = 6): string {
    if (!trace) return "(no trace reported)";
    return trace
        .split("\n")
        .filter((line) => !/^\s+at /.test(line) && !/^\s*\.\.\. \d+ more/.test(line) && line.trim() !== "")
        .slice(0, lines)
        .join("\n");
}

/** One entry of Connect's validate answer (PUT /connector-plugins/{class}/config/validate). */
export interface ValidationAnswer {
    error_count: number;
    configs: { definition?: { name: string }; value: { name: string; errors: string[] } }[];
}

/** Turns Connect's validation errors into check failures naming the input property and config key. */
export function validationFailures(
    answer: ValidationAnswer,
    inputs: Pick<ConnectorInputs, "config" | "sensitiveConfig" | "files">,
): CheckFailure[] {
    const failures: CheckFailure[] = [];
    // The connector's files (a CA, a trust store) are written at update, after this check: a connection attempt
    // that could not read them yet is left to Connect's validation at update, which fails the update if it persists.
    const files = Object.keys(inputs.files ?? {}).map((file) => `/${file}`);
    const awaitsFile = (error: string) => files.some((file) => error.includes(file));
    for (const entry of answer.configs ?? []) {
        const key = entry.value?.name ?? entry.definition?.name;
        const errors = (entry.value?.errors ?? []).filter((error) => !awaitsFile(error));
        if (!key || errors.length === 0) continue;
        const where = key in (inputs.sensitiveConfig ?? {}) ? "sensitiveConfig" : key === "connector.class" ? "connectorClass" : "config";
        const property = where === "connectorClass" ? where : `${where}["${key}"]`;
        for (const error of errors) failures.push({ property, reason: `${property}: ${error}` });
    }
    return failures;
}

function sortKeys(record: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
