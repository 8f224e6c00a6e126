// Pure: the stack's settings, typed and validated from raw config values (components/stackConfig.ts reads
// them), so that `pulumi preview` fails with every bad key named at once.
import * as pulumi from "@pulumi/pulumi";
import { isHttpUrl } from "../connectors/connectorModel";
import { Errors, isUnset, oneOf, parseList, port, RawSettings, str } from "./configValues";
import { environmentSpec, Sizing } from "./environmentSpec";
import { RDS_MAX_BINLOG_RETENTION_HOURS } from "../sql/mysqlSql";
import { acceptance, RISKS } from "../core/risks";
import * as crypto from "crypto";
import { DatabaseTls } from "../core/databaseTls";
import {
    CONFLICT_POLICIES,
    DATABASE_TLS_MODES,
    DatabaseTlsMode,
    KAFKA_SECURITIES,
    KafkaSecurity,
    ConflictPolicy,
    Environment,
    ENVIRONMENTS,
    INITIAL_LOADS,
    InitialLoad,
    MYSQL_FLAVORS,
    MysqlFlavor,
    Side,
    SIDES,
} from "../core/vocabulary";

/** Where the machine running `pulumi` reaches a database (catalog read, SQL setup), when not where the workers do. */
export interface AdminAddress {
    host: string;
    port: number;
}

/** Sizing keys of the stack config and the fields they set. */
export const SIZING_KEYS = {
    kafkaBrokers: "brokers",
    topicReplicationFactor: "replicationFactor",
    topicMinInsyncReplicas: "minInsyncReplicas",
    topicPartitions: "partitions",
    connectWorkers: "connectWorkers",
} as const;

/** The AWS and Kubernetes coordinates of the `prod` environment. */
export interface ProdSettings {
    subnetIds: string[];
    /** IAM role the Connect workers assume (EKS IRSA) for MSK IAM auth. */
    connectIamRoleArn: string;
    securityGroupIds: string[];
    namespace: string;
    mysqlParameterFamily: string;
    postgresParameterFamily: string;
}

export interface Settings {
    environment: Environment;
    /** How the machine running `pulumi` reaches Connect's REST API ("" on dev: the containers publish it). */
    connectUrl: string;
    /** Existing Kafka (local only; dev and prod create theirs). */
    kafkaBootstrapServers: string;
    /** Folder of the `dir` config provider (local: the worker's, dev: bind-mounted into the workers; prod: unused). */
    connectSecretsDir: string;
    topicPrefix: string;
    mysql: {
        flavor: MysqlFlavor;
        host: string;
        port: number;
        database: string;
        user: string;
        serverId: number;
        admin: AdminAddress;
        tls: DatabaseTls;
    };
    postgres: { host: string; port: number; database: string; schema: string; user: string; admin: AdminAddress; tls: DatabaseTls };
    /** Hours of binlog the MySQL/MariaDB server keeps at least (a connector down longer must re-snapshot). */
    binlogRetentionHours: number;
    prod?: ProdSettings;
    /** dev/prod: overrides of the environment's default sizing (components/environmentSpec.ts). */
    sizing: Partial<Sizing>;
    /** Explicit table list; when empty, `tableInclude`/`tableExclude` select tables from the catalog. */
    tables: string[];
    tableInclude: string[];
    tableExclude: string[];
    conflictPolicy: ConflictPolicy;
    tieWinner: Side;
    teardownOnDestroy: boolean;
    initialLoad: InitialLoad;
    /** `tandem:acceptRisks`: preflight findings accepted as documented (`<kind>` or `<table>.<column>:<kind>`). */
    acceptRisks: string[];
    /** Largest row change carried by the topics (JSON with schema); larger ones are quarantined at the source. */
    maxRowBytes: number;
    /** Seconds the connectors must stay RUNNING before an update succeeds. */
    connectorSettleSeconds: number;
    /** How Kafka's clients authenticate, and (sasl-scram) as whom and with which CA. */
    kafka: { security: KafkaSecurity; user: string; connectUser: string; ca: string };
    /** The health monitor: deployed or not, its port, the delay objective, and whether its watchdog restarts. */
    healthMonitor: { enabled: boolean; port: number; delayObjectiveSeconds: number; watchdog: boolean };
}

/** Default of tandem:maxRowBytes: well above Kafka's 1 MB default, below MariaDB's 16 MB max_allowed_packet. */
export const DEFAULT_MAX_ROW_BYTES = 8 * 1024 * 1024;

export interface SecretSettings {
    mysqlPassword: pulumi.Output<string>;
    postgresPassword: pulumi.Output<string>;
    /** prod: basic-auth password of Connect's REST API. */
    connectRestPassword?: pulumi.Output<string>;
    /** prod: kubeconfig of the cluster running Connect and Prometheus (ambient kubeconfig when absent). */
    kubeconfig?: pulumi.Output<string>;
    /** sasl-scram: the Kafka admin's password (tandem:kafkaUser). */
    kafkaPassword?: pulumi.Output<string>;
    /** sasl-scram: the Connect principal's password (tandem:kafkaConnectUser). */
    kafkaConnectPassword?: pulumi.Output<string>;
}

/** Database and schema names: quoted wherever the sync writes them, so '-' and '$' are fine too. */
const NAMESPACE = /^[A-Za-z0-9_$-]{1,64}$/;
/** Table names (and include/exclude patterns) are quoted and escaped everywhere: anything MySQL allows (1-64 characters, no NUL). */
// eslint-disable-next-line no-control-regex -- NUL is the one character MySQL refuses in a name
const TABLE_NAME = /^[^\u0000]{1,64}$/u;
const TOPIC_PREFIX = /^[A-Za-z0-9][A-Za-z0-9_-]{0,100}$/;
const HOST_PORT_LIST = /^[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*$/;

const namespace = (value: string) => (NAMESPACE.test(value) ? undefined : `must be 1-64 letters, digits, '_', '$' or '-', got "${value}"`);

/** Validates raw config; throws one error listing every invalid key. */
export function validateSettings(raw: RawSettings): Settings {
    const errors = new Errors();
    const environment = str(raw, "environment", errors, oneOf(ENVIRONMENTS)) as Environment;
    // Which addressing keys each environment takes: dev and prod create Kafka (and dev Connect) themselves.
    const absent = (key: string, why: string) => {
        if (raw[key] !== undefined && raw[key] !== null && raw[key] !== "")
            errors.add(key, `must not be set on a ${environment} stack: ${why}`);
        return "";
    };
    const connectUrl =
        environment === "dev"
            ? absent("connectUrl", "the Connect containers publish their REST API on 127.0.0.1")
            : str(raw, "connectUrl", errors, (value) => (isHttpUrl(value) ? undefined : `must be an http(s) URL, got "${value}"`));
    const kafkaBootstrapServers =
        environment === "local"
            ? str(raw, "kafkaBootstrapServers", errors, (value) =>
                  HOST_PORT_LIST.test(value) ? undefined : `must be host:port[,host:port...], got "${value}"`,
              )
            : absent("kafkaBootstrapServers", "the stack creates its Kafka cluster");
    const connectSecretsDir =
        environment === "prod"
            ? absent("connectSecretsDir", "connector secrets are Kubernetes Secrets read by the workers' `secrets` config provider")
            : str(raw, "connectSecretsDir", errors, (value) =>
                  value.startsWith("/") ? undefined : `must be an absolute folder, got "${value}"`,
              );
    const topicPrefix = str(raw, "topicPrefix", errors, (value) =>
        TOPIC_PREFIX.test(value) ? undefined : `must be letters, digits, '-' or '_', got "${value}"`,
    );
    const serverId = Number(raw["mysqlServerId"]);
    if (!Number.isInteger(serverId) || serverId < 1 || serverId > 4294967295) {
        errors.add("mysqlServerId", `must be an integer in 1..4294967295, got ${JSON.stringify(raw["mysqlServerId"])}`);
    }
    const mysql = {
        flavor: str(raw, "mysqlFlavor", errors, oneOf(MYSQL_FLAVORS)) as MysqlFlavor,
        host: str(raw, "mysqlHost", errors),
        port: port(raw, "mysqlPort", errors),
        database: str(raw, "mysqlDatabase", errors, namespace),
        user: str(raw, "mysqlUser", errors),
        serverId,
        admin: { host: "", port: 0 },
        tls: databaseTls(raw, "mysql", errors),
    };
    mysql.admin = adminAddress(raw, "mysql", mysql, errors);
    const postgres = {
        host: str(raw, "postgresHost", errors),
        port: port(raw, "postgresPort", errors),
        database: str(raw, "postgresDatabase", errors, namespace),
        schema: str(raw, "postgresSchema", errors, namespace),
        user: str(raw, "postgresUser", errors),
        admin: { host: "", port: 0 },
        tls: databaseTls(raw, "postgres", errors),
    };
    postgres.admin = adminAddress(raw, "postgres", postgres, errors);
    const binlogRetentionHours = Number(raw["binlogRetentionHours"] ?? 168);
    if (!Number.isInteger(binlogRetentionHours) || binlogRetentionHours < 1 || binlogRetentionHours > 2160) {
        errors.add(
            "binlogRetentionHours",
            `must be a whole number of hours in 1..2160 (90 days), got ${JSON.stringify(raw["binlogRetentionHours"])}`,
        );
    }
    if (environment === "prod" && binlogRetentionHours > RDS_MAX_BINLOG_RETENTION_HOURS) {
        errors.add(
            "binlogRetentionHours",
            `must be at most ${RDS_MAX_BINLOG_RETENTION_HOURS} on RDS for MySQL/MariaDB (prod), got ${binlogRetentionHours}`,
        );
    }
    for (const side of SIDES) {
        const mode = (side === "mysql" ? mysql : postgres).tls.mode;
        if (environment === "prod" && (mode === "verify-ca" || mode === "verify-full"))
            errors.add(
                `${side}Tls`,
                `${mode} is not available on prod yet: the workers read connector secrets from Kubernetes Secrets as values, and the drivers need the CA as a file (use require)`,
            );
    }
    const kafka = kafkaSettings(raw, environment, errors);
    const connectorSettleSeconds = isUnset(raw["connectorSettleSeconds"]) ? 10 : Number(raw["connectorSettleSeconds"]);
    if (!Number.isInteger(connectorSettleSeconds) || connectorSettleSeconds < 0 || connectorSettleSeconds > 120)
        errors.add(
            "connectorSettleSeconds",
            `must be a whole number of seconds in 0..120, got ${JSON.stringify(raw["connectorSettleSeconds"])}`,
        );
    const prod = environment === "prod" ? prodSettings(raw, errors) : undefined;
    const sizing = sizingSettings(raw, environment, errors);
    const tables = parseList(raw["tables"], "tables", errors, TABLE_NAME);
    const tableInclude = parseList(raw["tableInclude"], "tableInclude", errors, TABLE_NAME);
    const tableExclude = parseList(raw["tableExclude"], "tableExclude", errors, TABLE_NAME);
    if (tables.length === 0 && tableInclude.length === 0) errors.add("tables", "or tandem:tableInclude must select at least one table");
    if (tables.length > 0 && tableInclude.length > 0) errors.add("tables", "and tandem:tableInclude exclude each other: give one");
    const conflictPolicy = str(raw, "conflictPolicy", errors, oneOf(CONFLICT_POLICIES)) as ConflictPolicy;
    const tieWinner = str(raw, "tieWinner", errors, oneOf(SIDES)) as Side;
    const initialLoad = str(raw, "initialLoad", errors, oneOf(INITIAL_LOADS)) as InitialLoad;
    const acceptRisks = parseList(raw["acceptRisks"], "acceptRisks", errors, /^([^:]+:)?[a-z-]+$/);
    const unknownRisks = acceptance(acceptRisks).unknown;
    if (unknownRisks.length > 0)
        errors.add("acceptRisks", `names unknown kinds: ${unknownRisks.join(", ")} (known: ${Object.keys(RISKS).join(", ")})`);
    const maxRowBytes = isUnset(raw["maxRowBytes"]) ? DEFAULT_MAX_ROW_BYTES : Number(raw["maxRowBytes"]);
    if (!Number.isInteger(maxRowBytes) || maxRowBytes < 65_536 || maxRowBytes > 1_073_741_824) {
        errors.add("maxRowBytes", `must be a whole number of bytes in 65536..1073741824, got ${JSON.stringify(raw["maxRowBytes"])}`);
    }
    for (const key of (raw["plaintextSecrets"] as string[] | undefined) ?? [])
        errors.add(key, `must be set as a secret: pulumi config set --secret tandem:${key}`);
    const teardown = String(raw["teardownOnDestroy"] ?? "false");
    if (!["true", "false"].includes(teardown)) errors.add("teardownOnDestroy", `must be true or false, got "${teardown}"`);
    const flag = (key: string, fallback: boolean) => {
        const value = String(raw[key] ?? fallback);
        if (!["true", "false"].includes(value)) errors.add(key, `must be true or false, got "${value}"`);
        return value === "true";
    };
    const monitorPort = isUnset(raw["healthMonitorPort"]) ? 8084 : Number(raw["healthMonitorPort"]);
    if (!Number.isInteger(monitorPort) || monitorPort < 1 || monitorPort > 65535)
        errors.add("healthMonitorPort", `must be a port number (1..65535), got ${JSON.stringify(raw["healthMonitorPort"])}`);
    const delayObjectiveSeconds = isUnset(raw["syncDelayObjectiveSeconds"]) ? 5 : Number(raw["syncDelayObjectiveSeconds"]);
    if (!Number.isInteger(delayObjectiveSeconds) || delayObjectiveSeconds < 1 || delayObjectiveSeconds > 86_400)
        errors.add(
            "syncDelayObjectiveSeconds",
            `must be a whole number of seconds in 1..86400, got ${JSON.stringify(raw["syncDelayObjectiveSeconds"])}`,
        );
    const healthMonitor = {
        enabled: flag("healthMonitor", true),
        port: monitorPort,
        delayObjectiveSeconds,
        watchdog: flag("watchdog", true),
    };
    if (errors.list.length > 0) {
        throw new Error(`invalid stack configuration:\n  - ${errors.list.join("\n  - ")}`);
    }
    return {
        environment,
        connectUrl,
        kafkaBootstrapServers,
        connectSecretsDir,
        topicPrefix,
        mysql,
        postgres,
        binlogRetentionHours,
        prod,
        sizing,
        tables,
        tableInclude,
        tableExclude,
        conflictPolicy,
        tieWinner,
        teardownOnDestroy: teardown === "true",
        initialLoad,
        acceptRisks,
        maxRowBytes,
        connectorSettleSeconds,
        kafka,
        healthMonitor,
    };
}

const AWS_ID = (kind: string) => new RegExp(`^${kind}-[0-9a-f]{8,17}$`);

/** `<side>AdminHost`/`<side>AdminPort`: default to the address the workers use. */
function adminAddress(raw: RawSettings, side: Side, worker: { host: string; port: number }, errors: Errors): AdminAddress {
    const hostKey = `${side}AdminHost`;
    const portKey = `${side}AdminPort`;
    const host = raw[hostKey] ? String(raw[hostKey]) : worker.host;
    // 0 or unset (Pulumi.yaml's default): the workers' port.
    const port = isUnset(raw[portKey]) ? worker.port : Number(raw[portKey]);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
        errors.add(portKey, `must be a TCP port (1-65535), got ${JSON.stringify(raw[portKey])}`);
    return { host, port };
}

function sizingSettings(raw: RawSettings, environment: Environment, errors: Errors): Partial<Sizing> {
    const sizing: Partial<Sizing> = {};
    for (const [key, field] of Object.entries(SIZING_KEYS)) {
        const value = raw[key];
        if (isUnset(value)) continue; // 0 (Pulumi.yaml's default): the environment's default
        if (environment === "local") {
            errors.add(key, "must not be set on a local stack: it uses existing Kafka and Connect");
            continue;
        }
        const number = Number(value);
        if (!Number.isInteger(number) || number < 1 || number > 100)
            errors.add(key, `must be a whole number in 1..100, got ${JSON.stringify(value)}`);
        else sizing[field] = number;
    }
    if (environment === "local") return sizing;
    // Checked against the environment's defaults for what the stack leaves unset.
    const { brokers, replicationFactor, minInsyncReplicas } = environmentSpec(environment, sizing);
    if (replicationFactor > brokers)
        errors.add("topicReplicationFactor", `(${replicationFactor}) cannot exceed the ${brokers} Kafka brokers (tandem:kafkaBrokers)`);
    if (minInsyncReplicas > replicationFactor)
        errors.add(
            "topicMinInsyncReplicas",
            `(${minInsyncReplicas}) cannot exceed the replication factor ${replicationFactor} (tandem:topicReplicationFactor)`,
        );
    return sizing;
}

function prodSettings(raw: RawSettings, errors: Errors): ProdSettings {
    const subnetIds = parseList(raw["awsSubnetIds"], "awsSubnetIds", errors, AWS_ID("subnet"));
    if (subnetIds.length < 3)
        errors.add("awsSubnetIds", `must list 3 private subnets (one per broker and availability zone), got ${subnetIds.length}`);
    const securityGroupIds = parseList(raw["awsSecurityGroupIds"], "awsSecurityGroupIds", errors, AWS_ID("sg"));
    if (securityGroupIds.length === 0) errors.add("awsSecurityGroupIds", "must list at least one security group for the MSK brokers");
    const family = (key: string, engine: string) =>
        str(raw, key, errors, (value) =>
            new RegExp(`^${engine}[0-9.]+$`).test(value)
                ? undefined
                : `must be an RDS ${engine} parameter group family (e.g. ${{ postgres: "postgres15", mariadb: "mariadb10.11", mysql: "mysql8.0" }[engine]}), got "${value}"`,
        );
    if (raw["connectRestPasswordSet"] === false)
        errors.add("connectRestPassword", "is required on prod (pulumi config set --secret tandem:connectRestPassword ...)");
    const connectIamRoleArn = str(raw, "connectIamRoleArn", errors, (value) =>
        /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(value)
            ? undefined
            : `must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got "${value}"`,
    );
    return {
        subnetIds,
        connectIamRoleArn,
        securityGroupIds,
        namespace: str(raw, "kubernetesNamespace", errors, (value) =>
            /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value) ? undefined : `must be a Kubernetes namespace name, got "${value}"`,
        ),
        mysqlParameterFamily: family("rdsMysqlParameterFamily", String(raw["mysqlFlavor"]) === "mariadb" ? "mariadb" : "mysql"),
        postgresParameterFamily: family("rdsPostgresParameterFamily", "postgres"),
    };
}

/** `tandem:<side>Tls` and its CA: the verify modes need a CA, and the CA must be PEM certificates. */
function databaseTls(raw: RawSettings, side: Side, errors: Errors): DatabaseTls {
    const mode = (isUnset(raw[`${side}Tls`]) ? "disable" : str(raw, `${side}Tls`, errors, oneOf(DATABASE_TLS_MODES))) as DatabaseTlsMode;
    const ca = isUnset(raw[`${side}TlsCa`]) ? "" : String(raw[`${side}TlsCa`]).trim();
    if (ca) {
        try {
            new crypto.X509Certificate(ca);
        } catch (error) {
            errors.add(`${side}TlsCa`, `must be PEM certificate(s) (-----BEGIN CERTIFICATE-----…): ${(error as Error).message}`);
        }
    }
    if ((mode === "verify-ca" || mode === "verify-full") && !ca)
        errors.add(`${side}TlsCa`, `must be set when tandem:${side}Tls is ${mode} (the CA that signs the server's certificate)`);
    return { mode, ...(ca ? { ca } : {}) };
}

/** `tandem:kafkaSecurity` (empty: the environment's own) and, for sasl-scram, the principals and the CA. */
function kafkaSettings(raw: RawSettings, environment: Environment, errors: Errors): Settings["kafka"] {
    const own: KafkaSecurity = environment === "prod" ? "msk-iam" : "plaintext";
    const security = (isUnset(raw["kafkaSecurity"]) ? own : str(raw, "kafkaSecurity", errors, oneOf(KAFKA_SECURITIES))) as KafkaSecurity;
    const text = (key: string) => (isUnset(raw[key]) ? "" : String(raw[key]).trim());
    const kafka = { security, user: text("kafkaUser"), connectUser: text("kafkaConnectUser"), ca: text("kafkaTlsCa") };
    if (security === "sasl-scram" && environment !== "local")
        errors.add("kafkaSecurity", `sasl-scram is for an existing secured cluster (local); ${environment} runs its own Kafka with ${own}`);
    else if (security !== "sasl-scram" && security !== own && KAFKA_SECURITIES.includes(security))
        errors.add("kafkaSecurity", `must be ${own} or sasl-scram on ${environment}, got "${security}"`);
    if (security === "sasl-scram") {
        for (const key of ["kafkaUser", "kafkaConnectUser"])
            if (!text(key)) errors.add(key, "is required with tandem:kafkaSecurity sasl-scram");
        for (const key of ["kafkaPassword", "kafkaConnectPassword"])
            if (raw[`${key}Set`] === false)
                errors.add(key, `is required with tandem:kafkaSecurity sasl-scram (pulumi config set --secret tandem:${key} ...)`);
        if (kafka.ca) {
            try {
                new crypto.X509Certificate(kafka.ca);
            } catch (error) {
                errors.add("kafkaTlsCa", `must be PEM certificate(s) (-----BEGIN CERTIFICATE-----…): ${(error as Error).message}`);
            }
        }
    }
    return kafka;
}
