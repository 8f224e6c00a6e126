// Effects: what a tool needs to know about a stack — its databases (as the machine running the tool reaches
// them, with the admin accounts), Kafka, topic prefix and synced tables — read with the Pulumi CLI from the
// stack's config (Pulumi.yaml's defaults for the keys it leaves unset) and outputs.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CONFIG_NAMESPACE, configDefaults } from "../core/projectConfig";
import { Policy } from "../core/model";
import { DatabaseTls } from "../core/databaseTls";
import { DatabaseTlsMode, Direction, KafkaSecurity, MysqlFlavor } from "../core/vocabulary";
import { KafkaAccess } from "../core/kafkaAccess";

/** The Pulumi project's folder: the CLI runs `pulumi` there whatever the user's current directory. */
export const PROJECT_DIR = path.resolve(__dirname, "..");

export interface DatabaseAddress {
    host: string;
    port: number;
    user: string;
    password: string;
    database: string;
    /** TLS as the stack configures it (tandem:mysqlTls/postgresTls); open with core/databaseTls's driver options. */
    tls?: DatabaseTls;
}

export interface StackTarget {
    stack: string;
    prefix: string;
    mysql: DatabaseAddress & { flavor: MysqlFlavor };
    postgres: DatabaseAddress & { schema: string };
    kafkaBootstrapServers: string;
    /** How the tools log in to Kafka: the stack's Kafka admin (tandem:kafkaUser) on a secured cluster. */
    kafkaAccess: KafkaAccess;
    /** Kafka Connect's REST API as the stack reaches it (stack output). */
    connectUrl: string;
    /** `tandem:tables` as the stack sets it (empty when it selects tables with tableInclude). */
    configuredTables: string[];
    /** The tables the last `pulumi up` synced (stack output). */
    syncedTables: string[];
    /** The pipeline's connectors by role (`mysqlSource`, `postgresSink`, …) → name on the Connect cluster. */
    connectors: Record<string, string>;
    /** The change topics of both directions, and each direction's dead-letter topic (stack outputs). */
    topics: { rows: string[]; deadLetters: Record<Direction, string> };
    /** How the sync resolves conflicts (`tandem:conflictPolicy`, `tandem:tieWinner`). */
    policy: Policy;
    /** The health monitor's URL when the stack runs one (stack output `dashboards.healthMonitor`). */
    monitorUrl?: string;
    /** The PostgreSQL account the sink writes with (secret output; read when asked for). */
    postgresSyncWriter?: { user: string; password: string };
    /** The health monitor's accounts (secret output; read when asked for). */
    monitorAccess?: { mysql: { user: string; password: string }; postgres: { user: string; password: string } };
}

function pulumi(args: string[]): string {
    try {
        return execFileSync("pulumi", args, {
            cwd: PROJECT_DIR,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
            maxBuffer: 64 * 1024 * 1024,
        });
    } catch (error) {
        const stderr = (error as { stderr?: string }).stderr?.trim();
        throw new Error(
            `pulumi ${args.filter((arg) => !arg.startsWith("--show-secrets")).join(" ")} failed: ${stderr || (error as Error).message}`,
            {
                cause: error,
            },
        );
    }
}

/** The stack's config values by key (without the namespace), Pulumi.yaml's defaults filled in. */
export function readStackConfig(stack: string): Record<string, unknown> {
    const raw = JSON.parse(pulumi(["config", "--json", "--show-secrets", "--stack", stack])) as Record<
        string,
        { value?: string; objectValue?: unknown }
    >;
    const values: Record<string, unknown> = { ...configDefaults() };
    for (const [name, entry] of Object.entries(raw)) {
        if (!name.startsWith(`${CONFIG_NAMESPACE}:`)) continue;
        values[name.slice(CONFIG_NAMESPACE.length + 1)] = entry.objectValue ?? entry.value;
    }
    return values;
}

function list(value: unknown): string[] {
    if (Array.isArray(value)) return value.map(String);
    if (typeof value === "string" && value.startsWith("[")) return (JSON.parse(value) as unknown[]).map(String);
    return [];
}

/**
 * The stack as tools see it. `withSyncWriter` also reads the secret output `postgresSyncWriter` (the account the
 * sink writes with), in the same CLI call.
 */
export function readStackTarget(stack: string, options: { withSyncWriter?: boolean; withMonitorAccess?: boolean } = {}): StackTarget {
    const config = readStackConfig(stack);
    const secrets = options.withSyncWriter || options.withMonitorAccess;
    const outputs = JSON.parse(
        pulumi(["stack", "output", "--json", secrets ? "--show-secrets" : "--show-secrets=false", "--stack", stack]),
    ) as {
        kafkaBootstrapServers?: string;
        connectUrl?: string;
        tables?: string[];
        postgresSyncWriter?: { user?: string; password?: string };
        healthMonitorAccess?: StackTarget["monitorAccess"];
        connectors?: Record<string, { name: string }>;
        topics?: Record<"mysqlToPostgres" | "postgresToMysql", { rows?: string[]; deadLetter?: string }>;
        dashboards?: { healthMonitor?: string };
    };
    if (options.withMonitorAccess && !outputs.healthMonitorAccess?.mysql?.password)
        throw new Error(`stack ${stack} has no healthMonitorAccess output: run \`pulumi up --stack ${stack}\` with this version first`);
    const writer = outputs.postgresSyncWriter;
    if (options.withSyncWriter && (!writer?.user || !writer.password))
        throw new Error(`stack ${stack} has no postgresSyncWriter output: run \`pulumi up --stack ${stack}\` with this version first`);
    const text = (key: string) => String(config[key] ?? "");
    const port = (key: string, fallback: string) => Number(config[key]) || Number(config[fallback]);
    if (!outputs.kafkaBootstrapServers)
        throw new Error(`stack ${stack} has no kafkaBootstrapServers output: run \`pulumi up --stack ${stack}\` first`);
    return {
        stack,
        prefix: text("topicPrefix"),
        mysql: {
            flavor: text("mysqlFlavor") as MysqlFlavor,
            host: text("mysqlAdminHost") || text("mysqlHost"),
            port: port("mysqlAdminPort", "mysqlPort"),
            user: text("mysqlUser"),
            password: text("mysqlPassword"),
            database: text("mysqlDatabase"),
            tls: { mode: (text("mysqlTls") || "disable") as DatabaseTlsMode, ...(text("mysqlTlsCa") ? { ca: text("mysqlTlsCa") } : {}) },
        },
        postgres: {
            host: text("postgresAdminHost") || text("postgresHost"),
            port: port("postgresAdminPort", "postgresPort"),
            user: text("postgresUser"),
            password: text("postgresPassword"),
            database: text("postgresDatabase"),
            schema: text("postgresSchema"),
            tls: {
                mode: (text("postgresTls") || "disable") as DatabaseTlsMode,
                ...(text("postgresTlsCa") ? { ca: text("postgresTlsCa") } : {}),
            },
        },
        kafkaBootstrapServers: outputs.kafkaBootstrapServers,
        kafkaAccess: {
            security: (text("kafkaSecurity") || (text("environment") === "prod" ? "msk-iam" : "plaintext")) as KafkaSecurity,
            ...(text("kafkaUser") ? { username: text("kafkaUser"), password: text("kafkaPassword") } : {}),
            ...(text("kafkaTlsCa") ? { ca: text("kafkaTlsCa") } : {}),
        },
        connectUrl: outputs.connectUrl ?? "",
        configuredTables: list(config.tables),
        syncedTables: outputs.tables ?? [],
        connectors: Object.fromEntries(Object.entries(outputs.connectors ?? {}).map(([role, connector]) => [role, connector.name])),
        topics: {
            rows: [...(outputs.topics?.mysqlToPostgres?.rows ?? []), ...(outputs.topics?.postgresToMysql?.rows ?? [])],
            deadLetters: {
                "mysql-to-postgres": outputs.topics?.mysqlToPostgres?.deadLetter ?? `${text("topicPrefix")}.dlq.mysql-to-postgres`,
                "postgres-to-mysql": outputs.topics?.postgresToMysql?.deadLetter ?? `${text("topicPrefix")}.dlq.postgres-to-mysql`,
            },
        },
        monitorUrl: outputs.dashboards?.healthMonitor,
        policy: {
            conflicts: (text("conflictPolicy") || "last-writer-wins") as Policy["conflicts"],
            tieWinner: (text("tieWinner") || "postgres") as Policy["tieWinner"],
        },
        ...(options.withSyncWriter ? { postgresSyncWriter: { user: writer!.user!, password: writer!.password! } } : {}),
        ...(options.withMonitorAccess ? { monitorAccess: outputs.healthMonitorAccess } : {}),
    };
}

/** The stack's config file as it is, to put back byte for byte afterwards (the CLI rewrites the whole file). */
export function saveStackConfigFile(stack: string, projectDir: string = PROJECT_DIR): { restore(): void } {
    const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
    const saved = fs.existsSync(file) ? fs.readFileSync(file) : undefined;
    return {
        restore() {
            if (saved) fs.writeFileSync(file, saved);
        },
    };
}

/** Runs `pulumi up` on the stack as its config now stands. */
export function upStack(stack: string): void {
    pulumi(["up", "--yes", "--skip-preview", "--suppress-progress", "--stack", stack]);
}

/** The MySQL address without the flavor, which the driver does not take. */
export function mysqlAddress(target: StackTarget) {
    const { flavor: _flavor, ...address } = target.mysql;
    return address;
}

/** Sets `tandem:tables` and runs `pulumi up`, so that the stack syncs exactly these tables. */
export function applyStackTables(stack: string, tables: string[]): void {
    pulumi(["config", "rm", `${CONFIG_NAMESPACE}:tables`, "--stack", stack]);
    // One entry at a time: names may hold anything a table name can (commas, quotes), the CLI quotes nothing.
    tables.forEach((table, index) => pulumi(["config", "set", "--path", `${CONFIG_NAMESPACE}:tables[${index}]`, table, "--stack", stack]));
    upStack(stack);
}
