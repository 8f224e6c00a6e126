// Stack settings: read from Pulumi config, validated by a pure function so that `pulumi preview` fails
// with every bad key named at once.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { isHttpUrl } from "../connectors/connectorModel";
import { MysqlFlavor } from "../connectors/debeziumConfigs";
import { INITIAL_LOADS, InitialLoad } from "../connectors/syncConnectors";
import { CONFLICT_POLICIES, ConflictPolicy, Side, SIDES } from "./sync/model";

export const ENVIRONMENTS = ["local", "dev", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export interface Settings {
    environment: Environment;
    connectUrl: string;
    kafkaBootstrapServers: string;
    connectSecretsDir: string;
    topicPrefix: string;
    mysql: { flavor: MysqlFlavor; host: string; port: number; database: string; user: string; serverId: number };
    postgres: { host: string; port: number; database: string; schema: string; user: string };
    /** Explicit table list; when empty, `tableInclude`/`tableExclude` select tables from the catalog. */
    tables: string[];
    tableInclude: string[];
    tableExclude: string[];
    conflictPolicy: ConflictPolicy;
    tieWinner: Side;
    teardownOnDestroy: boolean;
    initialLoad: InitialLoad;
}

export interface SecretSettings {
    mysqlPassword: pulumi.Output<string>;
    postgresPassword: pulumi.Output<string>;
}

/** Raw config values as strings/JSON, keyed by their name without the `tandem:` namespace. */
export type RawSettings = Record<string, unknown>;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,63}$/;
const TOPIC_PREFIX = /^[A-Za-z0-9][A-Za-z0-9_-]{0,100}$/;
const HOST_PORT_LIST = /^[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*$/;

class Errors {
    readonly list: string[] = [];
    add(key: string, reason: string): void {
        this.list.push(`tandem:${key} ${reason}`);
    }
}

function str(raw: RawSettings, key: string, errors: Errors, check?: (value: string) => string | undefined): string {
    const value = raw[key];
    if (value === undefined || value === null || value === "") {
        errors.add(key, "is required");
        return "";
    }
    const text = String(value);
    const problem = check?.(text);
    if (problem) errors.add(key, problem);
    return text;
}

function port(raw: RawSettings, key: string, errors: Errors): number {
    const value = Number(raw[key]);
    if (!Number.isInteger(value) || value < 1 || value > 65535) {
        errors.add(key, `must be a TCP port (1-65535), got ${JSON.stringify(raw[key])}`);
    }
    return value;
}

function oneOf<T extends string>(allowed: readonly T[]) {
    return (value: string) => (allowed.includes(value as T) ? undefined : `must be one of ${allowed.join(", ")}, got "${value}"`);
}

const identifier = (value: string) => (IDENTIFIER.test(value) ? undefined : `must be an SQL identifier, got "${value}"`);

/** Validates raw config; throws one error listing every invalid key. */
export function validateSettings(raw: RawSettings): Settings {
    const errors = new Errors();
    const environment = str(raw, "environment", errors, oneOf(ENVIRONMENTS)) as Environment;
    const connectUrl = str(raw, "connectUrl", errors, (value) => (isHttpUrl(value) ? undefined : `must be an http(s) URL, got "${value}"`));
    const kafkaBootstrapServers = str(raw, "kafkaBootstrapServers", errors, (value) =>
        HOST_PORT_LIST.test(value) ? undefined : `must be host:port[,host:port...], got "${value}"`,
    );
    const connectSecretsDir = str(raw, "connectSecretsDir", errors, (value) =>
        value.startsWith("/") ? undefined : `must be an absolute folder on the Connect worker, got "${value}"`,
    );
    const topicPrefix = str(raw, "topicPrefix", errors, (value) =>
        TOPIC_PREFIX.test(value) ? undefined : `must be letters, digits, '-' or '_', got "${value}"`,
    );
    const serverId = Number(raw["mysqlServerId"]);
    if (!Number.isInteger(serverId) || serverId < 1 || serverId > 4294967295) {
        errors.add("mysqlServerId", `must be an integer in 1..4294967295, got ${JSON.stringify(raw["mysqlServerId"])}`);
    }
    const mysql = {
        flavor: str(raw, "mysqlFlavor", errors, oneOf(["mariadb", "mysql"] as const)) as MysqlFlavor,
        host: str(raw, "mysqlHost", errors),
        port: port(raw, "mysqlPort", errors),
        database: str(raw, "mysqlDatabase", errors, identifier),
        user: str(raw, "mysqlUser", errors),
        serverId,
    };
    const postgres = {
        host: str(raw, "postgresHost", errors),
        port: port(raw, "postgresPort", errors),
        database: str(raw, "postgresDatabase", errors, identifier),
        schema: str(raw, "postgresSchema", errors, identifier),
        user: str(raw, "postgresUser", errors),
    };
    const tables = parseList(raw["tables"], "tables", errors, IDENTIFIER);
    const tableInclude = parseList(raw["tableInclude"], "tableInclude", errors, TABLE_PATTERN);
    const tableExclude = parseList(raw["tableExclude"], "tableExclude", errors, TABLE_PATTERN);
    if (tables.length === 0 && tableInclude.length === 0) errors.add("tables", "or tandem:tableInclude must select at least one table");
    if (tables.length > 0 && tableInclude.length > 0) errors.add("tables", "and tandem:tableInclude exclude each other: give one");
    const conflictPolicy = str(raw, "conflictPolicy", errors, oneOf(CONFLICT_POLICIES)) as ConflictPolicy;
    const tieWinner = str(raw, "tieWinner", errors, oneOf(SIDES)) as Side;
    const initialLoad = str(raw, "initialLoad", errors, oneOf(INITIAL_LOADS)) as InitialLoad;
    const teardown = String(raw["teardownOnDestroy"] ?? "false");
    if (!["true", "false"].includes(teardown)) errors.add("teardownOnDestroy", `must be true or false, got "${teardown}"`);
    if (errors.list.length > 0) {
        throw new Error(`invalid stack configuration:\n  - ${errors.list.join("\n  - ")}`);
    }
    return {
        environment, connectUrl, kafkaBootstrapServers, connectSecretsDir, topicPrefix, mysql, postgres,
        tables, tableInclude, tableExclude, conflictPolicy, tieWinner, teardownOnDestroy: teardown === "true", initialLoad,
    };
}

const TABLE_PATTERN = /^[A-Za-z0-9_$*]{1,64}$/;

function parseList(value: unknown, key: string, errors: Errors, pattern: RegExp): string[] {
    if (value === undefined || value === null || value === "") return [];
    let list: unknown = value;
    if (typeof value === "string") {
        try {
            list = JSON.parse(value);
        } catch {
            errors.add(key, "must be a list");
            return [];
        }
    }
    if (!Array.isArray(list)) {
        errors.add(key, "must be a list");
        return [];
    }
    for (const item of list) {
        if (typeof item !== "string" || !pattern.test(item)) errors.add(key, `has an invalid entry ${JSON.stringify(item)}`);
    }
    if (new Set(list).size !== list.length) errors.add(key, "lists an entry twice");
    return list as string[];
}

const KEYS = [
    "environment", "connectUrl", "kafkaBootstrapServers", "connectSecretsDir", "topicPrefix",
    "mysqlFlavor", "mysqlHost", "mysqlPort", "mysqlDatabase", "mysqlUser", "mysqlServerId",
    "postgresHost", "postgresPort", "postgresDatabase", "postgresSchema", "postgresUser", "tables",
    "tableInclude", "tableExclude", "conflictPolicy", "tieWinner", "teardownOnDestroy", "initialLoad",
];

/**
 * The `local` stack targets the sandbox by default: its Connect worker serves `<state dir>/connect-secrets`
 * (sandbox/sandbox.sh), and the state dir defaults to `.sandbox` in the project folder.
 */
export function defaultLocalSecretsDir(env: NodeJS.ProcessEnv = process.env, projectDir: string = process.cwd()): string {
    return path.resolve(projectDir, env.TANDEM_STATE_DIR ?? ".sandbox", "connect-secrets");
}

/** Reads the stack's config (defaults come from Pulumi.yaml's schema) and validates it. */
export function loadSettings(config: pulumi.Config = new pulumi.Config("tandem")): { settings: Settings; secrets: SecretSettings } {
    const raw: RawSettings = {};
    for (const key of KEYS) raw[key] = config.get(key);
    if (!raw.connectSecretsDir && (raw.environment ?? "local") === "local") {
        raw.connectSecretsDir = defaultLocalSecretsDir();
    }
    let settings: Settings;
    try {
        settings = validateSettings(raw);
    } catch (error) {
        // A RunError prints the message alone, without a stack trace.
        throw new pulumi.RunError((error as Error).message);
    }
    return {
        settings,
        secrets: {
            mysqlPassword: config.requireSecret("mysqlPassword"),
            postgresPassword: config.requireSecret("postgresPassword"),
        },
    };
}
