// What the health monitor is told, as one JSON value in an environment variable (secrets in variables of
// their own), so that every deployment — a local process, a container, a Kubernetes Deployment with a
// Secret — starts it the same way. Declared once: the stack builds it, the monitor parses and checks it.
import { DatabaseTls } from "./databaseTls";
import { DATABASE_TLS_MODES, KAFKA_SECURITIES, KafkaSecurity, MYSQL_FLAVORS, MysqlFlavor } from "./vocabulary";

export const HEALTH_MONITOR_PORT = 8084;

export const MONITOR_ENV = {
    settings: "TANDEM_MONITOR_SETTINGS",
    mysqlPassword: "TANDEM_MONITOR_MYSQL_PASSWORD",
    postgresPassword: "TANDEM_MONITOR_POSTGRES_PASSWORD",
    connectPassword: "TANDEM_MONITOR_CONNECT_PASSWORD",
    kafkaPassword: "TANDEM_MONITOR_KAFKA_PASSWORD",
} as const;

export interface WatchdogSettings {
    enabled: boolean;
    /** Restarts of one connector or task before the watchdog gives up on it. */
    maxAttempts: number;
    /** Wait before the first restart; doubled for each next one, up to `maxBackoffSeconds`. */
    initialBackoffSeconds: number;
    maxBackoffSeconds: number;
    /** A restarted connector or task running this long counts as recovered (its attempts start again at 0). */
    stableAfterSeconds: number;
}

export interface MonitorSettings {
    /** The pipeline's topic prefix: connector, topic, table and slot names derive from it (core/model syncNames). */
    prefix: string;
    listen: { host: string; port: number };
    mysql: { flavor: MysqlFlavor; host: string; port: number; database: string; user: string; tls?: DatabaseTls };
    postgres: { host: string; port: number; database: string; schema: string; user: string; tls?: DatabaseTls };
    /** sasl-scram: `username` (the Connect principal) and the brokers' CA; its password is a secret. */
    kafka: { bootstrapServers: string; security: KafkaSecurity; username?: string; ca?: string };
    connect: { url: string; username?: string };
    /** How often each side writes a canary (when the previous one has arrived) and every probe runs. */
    intervalSeconds: number;
    /** A direction whose sync delay is above this is `degraded` in /health. */
    delayObjectiveSeconds: number;
    /** Any single probe query or request gives up after this long (the monitor never hangs on a dependency). */
    probeTimeoutSeconds: number;
    watchdog: WatchdogSettings;
}

export const MONITOR_DEFAULTS = {
    intervalSeconds: 2,
    delayObjectiveSeconds: 5,
    probeTimeoutSeconds: 5,
    watchdog: { enabled: true, maxAttempts: 6, initialBackoffSeconds: 5, maxBackoffSeconds: 300, stableAfterSeconds: 60 },
} as const;

export interface MonitorSecrets {
    mysqlPassword: string;
    postgresPassword: string;
    connectPassword?: string;
    kafkaPassword?: string;
}

/** The environment variables that start a monitor (the secret ones separately, for a Secret or a private env). */
export function monitorEnvironment(settings: MonitorSettings): Record<string, string> {
    return { [MONITOR_ENV.settings]: JSON.stringify(settings) };
}

type Json = Record<string, unknown>;

/** Reads and checks the settings; every problem is named in one error. */
export function parseMonitorSettings(env: Record<string, string | undefined>): { settings: MonitorSettings; secrets: MonitorSecrets } {
    const problems: string[] = [];
    let raw: Json = {};
    try {
        raw = JSON.parse(env[MONITOR_ENV.settings] ?? "") as Json;
    } catch {
        problems.push(`${MONITOR_ENV.settings}: must be the monitor's settings as JSON`);
    }
    const section = (name: string): Json => (typeof raw[name] === "object" && raw[name] !== null ? (raw[name] as Json) : {});
    const text = (where: Json, path: string, key: string, optional = false): string => {
        const value = where[key];
        if (typeof value === "string" && value !== "") return value;
        if (!optional || value !== undefined) problems.push(`${path}.${key}: must be a non-empty string`);
        return "";
    };
    const number = (where: Json, path: string, key: string, fallback?: number, min = 0): number => {
        const value = where[key] ?? fallback;
        if (typeof value === "number" && Number.isFinite(value) && value >= min) return value;
        problems.push(`${path}.${key}: must be a number ≥ ${min}`);
        return fallback ?? 0;
    };
    const oneOf = <T extends string>(where: Json, path: string, key: string, values: readonly T[]): T => {
        const value = where[key];
        if (typeof value === "string" && (values as readonly string[]).includes(value)) return value as T;
        problems.push(`${path}.${key}: must be one of ${values.join(", ")}`);
        return values[0];
    };
    // Optional `tls: { mode, ca? }` of a database section (absent: the driver's default).
    const databaseTlsOf = (where: Json, path: string): { tls?: DatabaseTls } => {
        if (where.tls === undefined) return {};
        const tls = (typeof where.tls === "object" && where.tls !== null ? where.tls : {}) as Json;
        const mode = oneOf(tls, `${path}.tls`, "mode", DATABASE_TLS_MODES);
        return { tls: { mode, ...(tls.ca !== undefined ? { ca: text(tls, `${path}.tls`, "ca") } : {}) } };
    };
    const listen = section("listen");
    const mysql = section("mysql");
    const postgres = section("postgres");
    const kafka = section("kafka");
    const connect = section("connect");
    const watchdog = section("watchdog");
    const d = MONITOR_DEFAULTS;
    const settings: MonitorSettings = {
        prefix: text(raw, "settings", "prefix"),
        listen: {
            host: typeof listen.host === "string" ? listen.host : "0.0.0.0",
            port: number(listen, "listen", "port", HEALTH_MONITOR_PORT),
        },
        mysql: {
            flavor: oneOf(mysql, "mysql", "flavor", MYSQL_FLAVORS),
            host: text(mysql, "mysql", "host"),
            port: number(mysql, "mysql", "port", 3306, 1),
            database: text(mysql, "mysql", "database"),
            user: text(mysql, "mysql", "user"),
            ...databaseTlsOf(mysql, "mysql"),
        },
        postgres: {
            host: text(postgres, "postgres", "host"),
            port: number(postgres, "postgres", "port", 5432, 1),
            database: text(postgres, "postgres", "database"),
            schema: text(postgres, "postgres", "schema"),
            user: text(postgres, "postgres", "user"),
            ...databaseTlsOf(postgres, "postgres"),
        },
        kafka: {
            bootstrapServers: text(kafka, "kafka", "bootstrapServers"),
            security: kafka.security === undefined ? "plaintext" : oneOf(kafka, "kafka", "security", KAFKA_SECURITIES),
            ...(kafka.username !== undefined ? { username: text(kafka, "kafka", "username") } : {}),
            ...(kafka.ca !== undefined ? { ca: text(kafka, "kafka", "ca") } : {}),
        },
        connect: {
            url: text(connect, "connect", "url"),
            ...(connect.username !== undefined ? { username: text(connect, "connect", "username") } : {}),
        },
        intervalSeconds: number(raw, "settings", "intervalSeconds", d.intervalSeconds, 0.1),
        delayObjectiveSeconds: number(raw, "settings", "delayObjectiveSeconds", d.delayObjectiveSeconds, 0.001),
        probeTimeoutSeconds: number(raw, "settings", "probeTimeoutSeconds", d.probeTimeoutSeconds, 0.1),
        watchdog: {
            enabled: watchdog.enabled === undefined ? d.watchdog.enabled : watchdog.enabled === true,
            maxAttempts: number(watchdog, "watchdog", "maxAttempts", d.watchdog.maxAttempts, 1),
            initialBackoffSeconds: number(watchdog, "watchdog", "initialBackoffSeconds", d.watchdog.initialBackoffSeconds),
            maxBackoffSeconds: number(watchdog, "watchdog", "maxBackoffSeconds", d.watchdog.maxBackoffSeconds),
            stableAfterSeconds: number(watchdog, "watchdog", "stableAfterSeconds", d.watchdog.stableAfterSeconds),
        },
    };
    const secrets: MonitorSecrets = {
        mysqlPassword: env[MONITOR_ENV.mysqlPassword] ?? "",
        postgresPassword: env[MONITOR_ENV.postgresPassword] ?? "",
        ...(env[MONITOR_ENV.connectPassword] ? { connectPassword: env[MONITOR_ENV.connectPassword] } : {}),
        ...(env[MONITOR_ENV.kafkaPassword] ? { kafkaPassword: env[MONITOR_ENV.kafkaPassword] } : {}),
    };
    if (settings.kafka.security === "sasl-scram" && (!settings.kafka.username || !secrets.kafkaPassword))
        problems.push(`kafka.username and ${MONITOR_ENV.kafkaPassword}: both needed with kafka.security sasl-scram`);
    if (!secrets.mysqlPassword) problems.push(`${MONITOR_ENV.mysqlPassword}: not set`);
    if (!secrets.postgresPassword) problems.push(`${MONITOR_ENV.postgresPassword}: not set`);
    if (settings.connect.username && !secrets.connectPassword)
        problems.push(`${MONITOR_ENV.connectPassword}: not set (connect.username is)`);
    if (problems.length > 0) throw new Error(`invalid health monitor settings:\n  - ${problems.join("\n  - ")}`);
    return { settings, secrets };
}
