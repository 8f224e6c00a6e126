// Pure: latency percentiles and the comparison of both sides, as the report shows them.

export interface LatencySummary {
    count: number;
    p50: number;
    p90: number;
    p99: number;
    max: number;
}

/** Nearest-rank percentiles of latencies in milliseconds (0 for an empty list). */
export function summarizeLatencies(latenciesMs: number[]): LatencySummary {
    if (latenciesMs.length === 0) return { count: 0, p50: 0, p90: 0, p99: 0, max: 0 };
    const sorted = [...latenciesMs].sort((a, b) => a - b);
    const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
    return { count: sorted.length, p50: rank(50), p90: rank(90), p99: rank(99), max: sorted[sorted.length - 1] };
}

export interface Difference {
    key: string;
    mysql?: string;
    postgres?: string;
}

/** Keys whose value differs between the sides, or that exist on one side only; sorted, capped. */
export function diffRows(mysql: Map<string, string>, postgres: Map<string, string>, cap = 20): { count: number; sample: Difference[] } {
    const differences: Difference[] = [];
    for (const [key, value] of mysql) if (postgres.get(key) !== value) differences.push({ key, mysql: value, postgres: postgres.get(key) });
    for (const [key, value] of postgres) if (!mysql.has(key)) differences.push({ key, postgres: value });
    differences.sort((a, b) => a.key.localeCompare(b.key));
    return { count: differences.length, sample: differences.slice(0, cap) };
}

type DriverError = { code?: unknown; errno?: unknown; message?: unknown };

/**
 * The connection, not the statement, failed: the server went away or is starting or stopping (mysql2 and pg error
 * shapes). Such a write may be retried; any other error is the statement's own.
 */
export function isConnectionLoss(error: unknown): boolean {
    const { code, errno, message } = (error ?? {}) as DriverError;
    const socket = [
        "ECONNREFUSED",
        "ECONNRESET",
        "EPIPE",
        "ETIMEDOUT",
        "EHOSTUNREACH",
        "PROTOCOL_CONNECTION_LOST",
        "PROTOCOL_SEQUENCE_TIMEOUT",
    ];
    if (typeof code === "string" && (socket.includes(code) || /^(08|57P0[123])/.test(code))) return true;
    // MySQL: server shutdown in progress, connection killed, gone away, lost during query.
    if (typeof errno === "number" && [1053, 1927, 2006, 2013].includes(errno)) return true;
    return (
        typeof message === "string" &&
        /Connection terminated|connection is in closed state|Can't add new command when connection is in closed state/i.test(message)
    );
}

/** The row's key is already there (MySQL 1062, PostgreSQL 23505). */
export function isDuplicateKey(error: unknown): boolean {
    const { code, errno } = (error ?? {}) as DriverError;
    return errno === 1062 || code === "23505";
}
