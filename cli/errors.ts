// What the CLI tells a user when something is wrong: one readable line and an exit code (1: a problem found,
// 2: bad usage), never a stack trace. Errors of the layers below (Connect, Kafka, the databases, the Pulumi
// CLI) are turned into such a line here, once, with what to try next.
import { distance } from "fastest-levenshtein";

export class CliError extends Error {
    constructor(
        message: string,
        readonly exitCode: 1 | 2 = 1,
    ) {
        super(message);
        this.name = "CliError";
    }
}

export class UsageError extends CliError {
    constructor(message: string) {
        super(message, 2);
    }
}

/** Up to three known names closest to a mistyped one (edit distance, or sharing a substring). */
export function closestNames(wanted: string, known: readonly string[]): string[] {
    const lower = wanted.toLowerCase();
    return known
        .map((name) => ({ name, score: name.toLowerCase().includes(lower) ? 0 : distance(lower, name.toLowerCase()) }))
        .filter(({ name, score }) => score <= Math.max(3, Math.floor(name.length / 3)))
        .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
        .slice(0, 3)
        .map(({ name }) => name);
}

/** "no connector named X (did you mean: a, b?)" — or the list of what exists when nothing is close. */
export function unknownName(kind: string, wanted: string, known: readonly string[]): CliError {
    const close = closestNames(wanted, known);
    const hint = close.length
        ? `did you mean: ${close.join(", ")}?`
        : known.length
          ? `known: ${known.slice(0, 10).join(", ")}${known.length > 10 ? ", …" : ""}`
          : `there is none`;
    return new CliError(`no ${kind} named ${wanted} (${hint})`);
}

const NETWORK_CODES = /\b(ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|ECONNRESET|ECONNABORTED|EAI_AGAIN)\b/;

/** The one line a user sees for any error; `where` names the services, for the hints. */
export function describeError(error: unknown, where: { connectUrl?: string; bootstrapServers?: string } = {}): CliError {
    if (error instanceof CliError) return error;
    const err = error as Error & { name?: string; status?: number; code?: string; exitCode?: number };
    const message = err?.message ?? String(error);
    if (err?.name === "ConnectError" && err.status === undefined) {
        const code = NETWORK_CODES.exec(message)?.[1] ?? err.code ?? "no answer";
        return new CliError(
            `cannot reach Kafka Connect at ${where.connectUrl ?? "its URL"} (${code}): is the worker running? try \`sandbox/sandbox.sh status\``,
        );
    }
    if (/^KafkaJS/.test(err?.name ?? "") && /connect|broker|ECONNREFUSED|timed? ?out/i.test(message)) {
        return new CliError(
            `cannot reach Kafka at ${where.bootstrapServers ?? "its bootstrap servers"} (${message}): is the broker running? try \`sandbox/sandbox.sh status\``,
        );
    }
    if (err?.code && NETWORK_CODES.test(err.code)) {
        const address = /(\d{1,3}(?:\.\d{1,3}){3}|[\w.-]+):(\d+)/.exec(message)?.[0];
        return new CliError(`cannot reach ${address ?? "a database"} (${err.code}): is it running? try \`sandbox/sandbox.sh status\``);
    }
    return new CliError(message, err?.exitCode === 2 ? 2 : 1);
}
