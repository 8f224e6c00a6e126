// Effects: a small client for the Kafka Connect REST API. Retries what Connect asks to be retried
// (409 during a rebalance or a stale config, 5xx while a worker starts, refused connections) with
// exponential backoff.
//
// The dynamic provider that uses this client is serialized into Pulumi's state as source text. Packages
// are therefore required inside functions: the serializer keeps a `require("axios")` call as it is, and
// the provider process resolves it from the program's node_modules (imports here are types only).
import type { AxiosInstance } from "axios";
import type { BasicAuth, ObservedStatus, ValidationAnswer } from "./connectorModel";

type AxiosModule = typeof import("axios");
type AxiosRetryModule = typeof import("axios-retry");

export interface ConnectorStatus extends ObservedStatus {
    name: string;
    type: string;
}

/** An error from Connect; `status` is the HTTP status when Connect answered. */
export type ConnectError = Error & { status?: number };

// A factory rather than an Error subclass: Pulumi serializes the provider's classes into ES5-style
// functions, and an Error subclass built that way loses its message.
export function connectError(message: string, status?: number): ConnectError {
    const error: ConnectError = new Error(message);
    error.name = "ConnectError";
    if (status !== undefined) error.status = status;
    return error;
}

/**
 * Connect's own errors carry `{error_code, message}`. A bare 404 comes from a worker whose REST server is up
 * but whose resources are not registered yet (it is starting): worth retrying, unlike "connector not found".
 */
function isConnectErrorBody(data: unknown): boolean {
    return typeof data === "object" && data !== null && "error_code" in data;
}

function isNotFound(error: unknown): boolean {
    return (error as ConnectError | undefined)?.status === 404;
}

export interface ConnectClientOptions {
    auth?: BasicAuth;
    /**
     * Retries of a failed call (default 24: about three minutes of backoff, like the default wait for a
     * connector; a worker restart, graceful stop included, can keep the REST API away for over a minute).
     */
    retries?: number;
    /** Per-request timeout in ms (default 60 s: validation may connect to the database). */
    requestTimeoutMs?: number;
    /** Called before each retry, e.g. to log a 409 during a rebalance. */
    onRetry?: (message: string) => void;
}

export class ConnectClient {
    private readonly http: AxiosInstance;

    constructor(
        readonly baseUrl: string,
        options: ConnectClientOptions = {},
    ) {
        const axios: AxiosModule = require("axios");
        const axiosRetry: AxiosRetryModule = require("axios-retry");
        this.http = axios.create({
            baseURL: baseUrl.replace(/\/+$/, ""),
            timeout: options.requestTimeoutMs ?? 60_000,
            headers: { "Content-Type": "application/json", Accept: "application/json" },
            auth: options.auth,
        });
        axiosRetry.default(this.http, {
            retries: options.retries ?? 24,
            retryDelay: (retryCount) => Math.min(500 * 2 ** (retryCount - 1), 8_000),
            // Every call made here is idempotent (PUT config, pause/resume/stop, restart, DELETE, GET).
            retryCondition: (error) =>
                axiosRetry.isNetworkError(error) ||
                error.response?.status === 409 ||
                (error.response?.status ?? 0) >= 500 ||
                (error.response?.status === 404 && !isConnectErrorBody(error.response.data)),
            onRetry: (retryCount, error, request) => {
                const why = error.response ? `${error.response.status} ${JSON.stringify(error.response.data)}` : error.code;
                options.onRetry?.(`retry ${retryCount}: ${request.method?.toUpperCase()} ${request.url} got ${why}`);
            },
        });
    }

    /** Creates or updates a connector (idempotent). Returns true when it was created. */
    async putConfig(name: string, config: Record<string, string>): Promise<boolean> {
        const response = await this.call(() => this.http.put(`/connectors/${encodeURIComponent(name)}/config`, config));
        return response.status === 201;
    }

    /** Creates a connector directly in a state (Kafka 3.7+ `initial_state`), so a stopped one never runs. */
    async create(name: string, config: Record<string, string>, initialState: string): Promise<void> {
        await this.call(() => this.http.post("/connectors", { name, config, initial_state: initialState }));
    }

    /** The connector's config as Connect stores it, or undefined when the connector does not exist. */
    async getConfig(name: string): Promise<Record<string, string> | undefined> {
        return this.getOrUndefined(`/connectors/${encodeURIComponent(name)}/config`);
    }

    async getStatus(name: string): Promise<ConnectorStatus | undefined> {
        return this.getOrUndefined(`/connectors/${encodeURIComponent(name)}/status`);
    }

    /** Every connector's status in one call (`?expand=status`), by name. */
    async listStatuses(): Promise<Record<string, ConnectorStatus>> {
        const response = await this.call(() => this.http.get("/connectors?expand=status"));
        const answer = response.data as Record<string, { status: ConnectorStatus }>;
        return Object.fromEntries(Object.entries(answer).map(([name, entry]) => [name, entry.status]));
    }

    /** Every connector's config in one call (`?expand=info`), by name. */
    async listConfigs(): Promise<Record<string, Record<string, string>>> {
        const response = await this.call(() => this.http.get("/connectors?expand=info"));
        const answer = response.data as Record<string, { info: { config: Record<string, string> } }>;
        return Object.fromEntries(Object.entries(answer).map(([name, entry]) => [name, entry.info.config]));
    }

    /** A connector's committed source offsets (KIP-875), or undefined when it does not exist. */
    async getOffsets(name: string): Promise<{ partition: Record<string, unknown>; offset: Record<string, unknown> }[] | undefined> {
        const answer = await this.getOrUndefined<{ offsets: { partition: Record<string, unknown>; offset: Record<string, unknown> }[] }>(
            `/connectors/${encodeURIComponent(name)}/offsets`,
        );
        return answer?.offsets;
    }

    async restartTask(name: string, task: number): Promise<void> {
        await this.call(() => this.http.post(`/connectors/${encodeURIComponent(name)}/tasks/${task}/restart`));
    }

    /** Topics the connector has used (KIP-558), or [] where Connect does not track them. */
    async getTopics(name: string): Promise<string[]> {
        try {
            const answer = await this.getOrUndefined<Record<string, { topics: string[] }>>(
                `/connectors/${encodeURIComponent(name)}/topics`,
            );
            return [...(answer?.[name]?.topics ?? [])].sort();
        } catch {
            return []; // topic tracking disabled on the worker (topic.tracking.enable=false)
        }
    }

    async pause(name: string): Promise<void> {
        await this.call(() => this.http.put(`/connectors/${encodeURIComponent(name)}/pause`));
    }

    async resume(name: string): Promise<void> {
        await this.call(() => this.http.put(`/connectors/${encodeURIComponent(name)}/resume`));
    }

    async stop(name: string): Promise<void> {
        await this.call(() => this.http.put(`/connectors/${encodeURIComponent(name)}/stop`));
    }

    /** Restarts the connector and its failed tasks (KIP-745). */
    async restartFailed(name: string): Promise<void> {
        await this.restart(name, { includeTasks: true, onlyFailed: true });
    }

    /** Restarts a connector, with its tasks or only what failed (KIP-745). */
    async restart(name: string, options: { includeTasks: boolean; onlyFailed: boolean }): Promise<void> {
        const query = `includeTasks=${options.includeTasks}&onlyFailed=${options.onlyFailed}`;
        await this.call(() => this.http.post(`/connectors/${encodeURIComponent(name)}/restart?${query}`));
    }

    /** The worker's loggers with an explicitly set level (GET /admin/loggers, KIP-495). */
    async loggers(): Promise<Record<string, { level: string; last_modified?: number | null }>> {
        return (await this.call(() => this.http.get("/admin/loggers"))).data as Record<string, { level: string }>;
    }

    /** One logger's level; a logger never configured answers 404 (undefined). */
    async logger(name: string): Promise<{ level: string } | undefined> {
        return this.getOrUndefined(`/admin/loggers/${encodeURIComponent(name)}`);
    }

    /** Sets a logger's level on every worker of the cluster (KIP-976 scope=cluster); returns the loggers changed. */
    async setLoggerLevel(name: string, level: string): Promise<string[]> {
        const response = await this.call(() => this.http.put(`/admin/loggers/${encodeURIComponent(name)}?scope=cluster`, { level }));
        return Array.isArray(response.data) ? (response.data as string[]) : [name];
    }

    /**
     * Forgets a connector's offsets (KIP-875: only a STOPPED connector's can be deleted): stops it, waits until
     * it is, then deletes them. A connector already gone is not an error.
     */
    async resetOffsets(name: string, timeoutMs = 60_000): Promise<void> {
        if (!(await this.getStatus(name))) return;
        await this.stop(name);
        await this.waitUntilStopped(name, timeoutMs);
        await this.deleteOffsets(name);
    }

    /**
     * Brings a connector to `config` without letting it run: an existing one is stopped first, a new one is
     * created STOPPED (Kafka 3.7+ `initial_state`); returns once it is STOPPED (its offsets can then be read and
     * changed).
     */
    async placeStopped(name: string, config: Record<string, string>): Promise<void> {
        if (await this.getStatus(name)) {
            await this.stop(name);
            await this.putConfig(name, config);
        } else {
            await this.create(name, config, "STOPPED");
        }
        await this.waitUntilStopped(name);
    }

    /** Waits until the connector is STOPPED (after `stop`, or created stopped). */
    async waitUntilStopped(name: string, timeoutMs = 60_000): Promise<void> {
        const deadline = Date.now() + timeoutMs;
        while ((await this.getStatus(name))?.connector.state !== "STOPPED") {
            if (Date.now() > deadline) throw new Error(`connector ${name} did not stop within ${timeoutMs / 1000} s`);
            await new Promise((resolve) => setTimeout(resolve, 500));
        }
    }

    /** Deletes a STOPPED connector's offsets (KIP-875). */
    async deleteOffsets(name: string): Promise<void> {
        await this.call(() => this.http.delete(`/connectors/${encodeURIComponent(name)}/offsets`));
    }

    /** Sets a STOPPED connector's offsets (KIP-875), e.g. those it had on another Connect cluster. */
    async alterOffsets(name: string, offsets: { partition: Record<string, unknown>; offset: Record<string, unknown> }[]): Promise<void> {
        await this.call(() => this.http.patch(`/connectors/${encodeURIComponent(name)}/offsets`, { offsets }));
    }

    /** The Kafka cluster the workers store their state in (GET /). */
    async kafkaClusterId(): Promise<string> {
        return ((await this.call(() => this.http.get("/"))).data as { kafka_cluster_id: string }).kafka_cluster_id;
    }

    /** Deletes a connector; one already gone is not an error. Returns whether it existed. */
    async deleteConnector(name: string): Promise<boolean> {
        try {
            await this.call(() => this.http.delete(`/connectors/${encodeURIComponent(name)}`));
            return true;
        } catch (error) {
            if (isNotFound(error)) return false;
            throw error;
        }
    }

    /** Validates a config with the plugin's own rules (PUT /connector-plugins/{class}/config/validate). */
    async validate(connectorClass: string, config: Record<string, string>): Promise<ValidationAnswer> {
        const response = await this.call(() =>
            this.http.put(`/connector-plugins/${encodeURIComponent(connectorClass)}/config/validate`, config),
        );
        return response.data as ValidationAnswer;
    }

    private async getOrUndefined<T>(path: string): Promise<T | undefined> {
        try {
            const response = await this.call(() => this.http.get(path));
            return response.data as T;
        } catch (error) {
            if (isNotFound(error)) return undefined;
            throw error;
        }
    }

    private async call<T>(request: () => Promise<T>): Promise<T> {
        try {
            return await request();
        } catch (error) {
            throw toConnectError(error, this.baseUrl);
        }
    }
}

function toConnectError(error: unknown, baseUrl: string): ConnectError {
    const { AxiosError }: AxiosModule = require("axios");
    if (error instanceof AxiosError) {
        const target = `${error.config?.method?.toUpperCase() ?? ""} ${baseUrl}${error.config?.url ?? ""}`.trim();
        if (error.response) {
            const body = error.response.data as { message?: string } | string | undefined;
            const message = typeof body === "string" ? body : (body?.message ?? JSON.stringify(body));
            return connectError(`${target} answered ${error.response.status}: ${message}`, error.response.status);
        }
        const failed = connectError(`${target} failed: ${error.code ?? error.message} (is the Connect worker running?)`);
        (failed as ConnectError & { code?: string }).code = error.code;
        return failed;
    }
    return connectError(String(error));
}
