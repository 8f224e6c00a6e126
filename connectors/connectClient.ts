// Effects: a small client for the Kafka Connect REST API. Retries what Connect asks to be retried
// (409 during a rebalance, 5xx while a worker starts, refused connections) with exponential backoff.
//
// The dynamic provider that uses this client is serialized into Pulumi's state as source text. Packages
// are therefore required inside functions: the serializer keeps a `require("axios")` call as it is, and
// the provider process resolves it from the program's node_modules (imports here are types only).
import type { AxiosInstance } from "axios";

type AxiosModule = typeof import("axios");
type AxiosRetryModule = typeof import("axios-retry");

export interface ConnectorStatus {
    name: string;
    connector: { state: string; worker_id: string; trace?: string };
    tasks: { id: number; state: string; worker_id: string; trace?: string }[];
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

function isNotFound(error: unknown): boolean {
    return (error as ConnectError | undefined)?.status === 404;
}

export interface ConnectClientOptions {
    /** Total attempts for a retried call (default 10: about a minute of backoff). */
    retries?: number;
    /** Per-request timeout in ms (default 30 s: validation can load plugin classes). */
    requestTimeoutMs?: number;
}

export class ConnectClient {
    private readonly http: AxiosInstance;

    constructor(readonly baseUrl: string, options: ConnectClientOptions = {}) {
        const axios: AxiosModule = require("axios");
        const axiosRetry: AxiosRetryModule = require("axios-retry");
        this.http = axios.create({
            baseURL: baseUrl.replace(/\/+$/, ""),
            timeout: options.requestTimeoutMs ?? 30_000,
            headers: { "Content-Type": "application/json", Accept: "application/json" },
        });
        axiosRetry.default(this.http, {
            retries: options.retries ?? 10,
            retryDelay: (retryCount) => Math.min(500 * 2 ** (retryCount - 1), 8_000),
            // PUT/DELETE on connectors are idempotent; POST restart/pause too. Retry them all.
            retryCondition: (error) =>
                axiosRetry.isNetworkError(error) ||
                error.response?.status === 409 ||
                (error.response?.status ?? 0) >= 500,
        });
    }

    /** Creates or updates a connector (idempotent). Returns true when it was created. */
    async putConfig(name: string, config: Record<string, string>): Promise<boolean> {
        const response = await this.call(() => this.http.put(`/connectors/${encodeURIComponent(name)}/config`, config));
        return response.status === 201;
    }

    /** The connector's config as Connect stores it, or undefined when the connector does not exist. */
    async getConfig(name: string): Promise<Record<string, string> | undefined> {
        return this.getOrUndefined(`/connectors/${encodeURIComponent(name)}/config`);
    }

    async getStatus(name: string): Promise<ConnectorStatus | undefined> {
        return this.getOrUndefined(`/connectors/${encodeURIComponent(name)}/status`);
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

    async listConnectors(): Promise<string[]> {
        const response = await this.call(() => this.http.get("/connectors"));
        return response.data as string[];
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
            const message = typeof body === "string" ? body : body?.message ?? JSON.stringify(body);
            return connectError(`${target} answered ${error.response.status}: ${message}`, error.response.status);
        }
        return connectError(`${target} failed: ${error.code ?? error.message} (is the Connect worker running?)`);
    }
    return connectError(String(error));
}

/** The first useful lines of a Java stack trace reported by Connect. */
export function traceHead(trace: string | undefined, lines = 6): string {
    if (!trace) return "";
    return trace
        .split("\n")
        .filter((line) => !/^\s+at /.test(line) && line.trim() !== "")
        .slice(0, lines)
        .join("\n");
}

export interface WaitOptions {
    timeoutMs: number;
    pollMs?: number;
}

/**
 * Waits until the connector and all its tasks are RUNNING. Fails fast, with the connector's or task's
 * trace, when one of them is FAILED.
 */
export async function waitForRunning(client: ConnectClient, name: string, options: WaitOptions): Promise<ConnectorStatus> {
    const deadline = Date.now() + options.timeoutMs;
    let last: ConnectorStatus | undefined;
    for (;;) {
        last = await client.getStatus(name);
        if (last) {
            if (last.connector.state === "FAILED") {
                throw connectError(`connector ${name} FAILED on ${last.connector.worker_id}:\n${traceHead(last.connector.trace)}`);
            }
            const failedTask = last.tasks.find((task) => task.state === "FAILED");
            if (failedTask) {
                throw connectError(`connector ${name} task ${failedTask.id} FAILED on ${failedTask.worker_id}:\n${traceHead(failedTask.trace)}`);
            }
            if (last.connector.state === "RUNNING" && last.tasks.length > 0 && last.tasks.every((task) => task.state === "RUNNING")) {
                return last;
            }
        }
        if (Date.now() > deadline) {
            const summary = last
                ? `connector ${last.connector.state}, tasks [${last.tasks.map((t) => `${t.id}:${t.state}`).join(", ")}]`
                : "connector not found";
            throw connectError(`connector ${name} not RUNNING after ${Math.round(options.timeoutMs / 1000)} s: ${summary}`);
        }
        await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
    }
}
