// Pure model of a Kafka Connect connector as a Pulumi resource: input checks, the config actually sent to
// Connect, normalization and diffing. No I/O here; connectorProvider.ts holds the effects.

/** Inputs of a Connector resource after Pulumi resolved them (plain values). */
export interface ConnectorInputs {
    /** Kafka Connect REST endpoint, e.g. http://127.0.0.1:18083 */
    connectUrl: string;
    /** Connector name; changing it replaces the connector. */
    name: string;
    /** Connector config; must hold `connector.class`. Values are sent as strings. */
    config: Record<string, string>;
    /**
     * Config keys whose values are secret. Each value is written to a file in `secretsDir` on the worker and
     * the config sent to Connect holds only a `${dir:...}` reference, so Connect's config topic never sees it.
     */
    secrets?: Record<string, string>;
    /** Folder on the Connect worker served by its `dir` config provider (required with `secrets`). */
    secretsDir?: string;
    /** How long create/update wait for the connector and its tasks to run (default 180). */
    timeoutSeconds?: number;
}

export interface TaskState {
    id: number;
    state: string;
    workerId: string;
}

/** What the provider records in state besides the inputs. */
export interface ConnectorOutputs extends ConnectorInputs {
    state: string;
    workerId: string;
    tasks: TaskState[];
    connectorType: string;
}

export interface CheckFailure {
    property: string;
    reason: string;
}

export const DEFAULT_TIMEOUT_SECONDS = 180;

/** The input part of recorded outputs (what `pulumi refresh` compares against the program). */
export function inputsOf(outputs: ConnectorInputs): ConnectorInputs {
    const inputs: ConnectorInputs = { connectUrl: outputs.connectUrl, name: outputs.name, config: outputs.config };
    if (outputs.secrets !== undefined) inputs.secrets = outputs.secrets;
    if (outputs.secretsDir !== undefined) inputs.secretsDir = outputs.secretsDir;
    if (outputs.timeoutSeconds !== undefined) inputs.timeoutSeconds = outputs.timeoutSeconds;
    return inputs;
}

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,248}$/;

/** Structural checks that need no Connect cluster. Each failure names the input property at fault. */
export function checkConnectorInputs(inputs: Partial<ConnectorInputs>): CheckFailure[] {
    const failures: CheckFailure[] = [];
    if (typeof inputs.connectUrl !== "string" || !isHttpUrl(inputs.connectUrl)) {
        failures.push({ property: "connectUrl", reason: `must be an http(s) URL, got ${JSON.stringify(inputs.connectUrl)}` });
    }
    if (typeof inputs.name !== "string" || !NAME_PATTERN.test(inputs.name)) {
        failures.push({
            property: "name",
            reason: `must be 1-249 characters of letters, digits, '.', '_' or '-', got ${JSON.stringify(inputs.name)}`,
        });
    }
    const config = inputs.config ?? {};
    if (!config["connector.class"]) {
        failures.push({ property: "config", reason: "config['connector.class'] is required" });
    }
    if (config["name"] !== undefined && config["name"] !== inputs.name) {
        failures.push({ property: "config", reason: "config['name'] must be left out (the resource's name is used)" });
    }
    const secrets = inputs.secrets ?? {};
    for (const key of Object.keys(secrets)) {
        if (key in config) {
            failures.push({ property: "secrets", reason: `'${key}' is set both in config and in secrets` });
        }
        if (!/^[A-Za-z0-9._-]+$/.test(key)) {
            failures.push({ property: "secrets", reason: `'${key}' cannot be used as a secret file name` });
        }
    }
    if (Object.keys(secrets).length > 0 && !(typeof inputs.secretsDir === "string" && inputs.secretsDir.startsWith("/"))) {
        failures.push({ property: "secretsDir", reason: "an absolute folder on the Connect worker is required when secrets are given" });
    }
    if (inputs.timeoutSeconds !== undefined && !(inputs.timeoutSeconds > 0)) {
        failures.push({ property: "timeoutSeconds", reason: "must be a positive number of seconds" });
    }
    return failures;
}

function isHttpUrl(value: string): boolean {
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
export function secretReference(secretsDir: string, connectorName: string, key: string): string {
    return `\${dir:${connectorSecretsFolder(secretsDir, connectorName)}:${key}}`;
}

/** The flat config map PUT to Connect: string values, secrets replaced by config-provider references. */
export function renderConfig(inputs: ConnectorInputs): Record<string, string> {
    const rendered: Record<string, string> = {};
    for (const [key, value] of Object.entries(inputs.config)) {
        rendered[key] = String(value);
    }
    for (const key of Object.keys(inputs.secrets ?? {})) {
        rendered[key] = secretReference(inputs.secretsDir ?? "", inputs.name, key);
    }
    rendered["name"] = inputs.name;
    return sortKeys(rendered);
}

/**
 * Keys Connect adds or echoes back that are not part of what the user declared. (An array, not a Set:
 * the provider is serialized into Pulumi's state and module-level Sets do not survive that.)
 */
const SERVER_MANAGED_KEYS: readonly string[] = ["name"];

/** Normalizes a config for comparison: string values, sorted keys, server-managed keys dropped. */
export function normalizeConfig(config: Record<string, unknown>): Record<string, string> {
    const normalized: Record<string, string> = {};
    for (const [key, value] of Object.entries(config)) {
        if (SERVER_MANAGED_KEYS.includes(key) || value === undefined || value === null) continue;
        normalized[key] = String(value);
    }
    return sortKeys(normalized);
}

export interface ConnectorDiff {
    changes: boolean;
    replaces: string[];
    changedKeys: string[];
}

/** Compares recorded outputs with new inputs. Renames and class changes replace; everything else updates. */
export function diffConnector(olds: ConnectorInputs, news: ConnectorInputs): ConnectorDiff {
    const replaces: string[] = [];
    if (olds.name !== news.name) replaces.push("name");
    if (olds.config?.["connector.class"] !== news.config?.["connector.class"]) replaces.push("config");
    const changedKeys = changedConfigKeys(olds.config ?? {}, news.config ?? {});
    const changedSecrets = changedConfigKeys(olds.secrets ?? {}, news.secrets ?? {});
    const otherChanges = ["connectUrl", "secretsDir", "timeoutSeconds"].filter(
        (key) => (olds as unknown as Record<string, unknown>)[key] !== (news as unknown as Record<string, unknown>)[key],
    );
    return {
        changes: replaces.length > 0 || changedKeys.length > 0 || changedSecrets.length > 0 || otherChanges.length > 0,
        replaces,
        changedKeys: [...changedKeys, ...changedSecrets.map((key) => `secrets.${key}`), ...otherChanges],
    };
}

/** Keys whose normalized values differ between two configs (added, removed or changed). */
export function changedConfigKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
    const left = normalizeConfig(a);
    const right = normalizeConfig(b);
    const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
    return [...keys].filter((key) => left[key] !== right[key]).sort();
}

function sortKeys(record: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
