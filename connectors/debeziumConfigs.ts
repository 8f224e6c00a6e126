// Pure builders: plain one-way Debezium connector configs (MariaDB/MySQL source, JDBC sink into PostgreSQL).
// The bidirectional sync (syncConnectors.ts) builds on them.
// Every option set here is documented in Debezium's connector reference; secrets are never placed in
// these maps (they travel in the Connector's `sensitiveConfig` input, as config provider references).
import { DatabaseTls } from "../core/databaseTls";
import { javaScramSettings } from "../core/kafkaAccess";
import { debeziumExactName } from "../core/names";
import { mysqlSourceTls, postgresUrlTls } from "./databaseTlsConfigs";
import { KafkaSecurity, MysqlFlavor } from "../core/vocabulary";
import { directionPrefix } from "../core/topics";

export interface MysqlEndpoint {
    flavor: MysqlFlavor;
    host: string;
    port: number;
    database: string;
    user: string;
    /** Replication client id; must be unique among the server's replicas. */
    serverId: number;
    tls?: DatabaseTls;
    /** Where the connector's files (CA, trust store) are on the worker (connectorFilePath's folder). */
    filesFolder?: string;
}

export interface PostgresEndpoint {
    host: string;
    port: number;
    database: string;
    schema: string;
    user: string;
    tls?: DatabaseTls;
    /** Where the connector's files (CA) are on the worker. */
    filesFolder?: string;
}

export const SOURCE_CLASS: Record<MysqlFlavor, string> = {
    mariadb: "io.debezium.connector.mariadb.MariaDbConnector",
    mysql: "io.debezium.connector.mysql.MySqlConnector",
};

export const JDBC_SINK_CLASS = "io.debezium.connector.jdbc.JdbcSinkConnector";

/** The config key of the password each connector reads (kept out of config, sent as a secret): Debezium's sources (MySQL, MariaDB, PostgreSQL) share one, the JDBC sink has its own. */
export const SOURCE_PASSWORD_KEY = "database.password";
export const JDBC_SINK_PASSWORD_KEY = "connection.password";

export function escapeRegex(value: string): string {
    return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A connector's class and config (secrets excluded), ready for a Connector resource. */
export interface ConnectorSpec {
    connectorClass: string;
    config: Record<string, string>;
}

/**
 * Client settings for the cluster's auth: AWS MSK IAM (software.amazon.msk:aws-msk-iam-auth on the classpath), or
 * SCRAM-SHA-512 over TLS (its JAAS line, which holds the password, travels as a secret: SCHEMA_HISTORY_JAAS_KEYS).
 */
export function kafkaClientSecurity(security: KafkaSecurity, ca?: string): Record<string, string> {
    if (security === "plaintext") return {};
    if (security === "sasl-scram") return javaScramSettings(ca);
    return {
        "security.protocol": "SASL_SSL",
        "sasl.mechanism": "AWS_MSK_IAM",
        "sasl.jaas.config": "software.amazon.msk.auth.iam.IAMLoginModule required;",
        "sasl.client.callback.handler.class": "software.amazon.msk.auth.iam.IAMClientCallbackHandler",
    };
}

/** sasl-scram: the JAAS lines of the MySQL source's schema history clients (sensitive: they hold the password). */
export const SCHEMA_HISTORY_JAAS_KEYS = [
    "schema.history.internal.producer.sasl.jaas.config",
    "schema.history.internal.consumer.sasl.jaas.config",
] as const;

export interface MysqlSourceOptions {
    prefix: string;
    kafkaBootstrapServers: string;
    /** The schema history topic is written and read by the connector's own clients, not the worker's. */
    kafkaSecurity?: KafkaSecurity;
    /** sasl-scram: the brokers' CA (PEM) for those clients. */
    kafkaCa?: string;
    mysql: MysqlEndpoint;
    tables: string[];
}

/** Debezium MariaDB/MySQL source capturing `tables` of one database into per-table topics. */
export function mysqlSource(options: MysqlSourceOptions): ConnectorSpec {
    const { mysql, prefix } = options;
    const config: Record<string, string> = {
        "tasks.max": "1",
        "database.hostname": mysql.host,
        "database.port": String(mysql.port),
        "database.user": mysql.user,
        "database.server.id": String(mysql.serverId),
        ...mysqlSourceTls(mysql.flavor, mysql.tls, mysql.filesFolder ?? ""),
        "database.include.list": debeziumExactName(mysql.database),
        "table.include.list": options.tables.map((table) => debeziumExactName(mysql.database, table)).join(","),
        "topic.prefix": directionPrefix(prefix, "mysql-to-postgres"),
        "schema.history.internal.kafka.bootstrap.servers": options.kafkaBootstrapServers,
        "schema.history.internal.kafka.topic": `${prefix}.schema-history.mysql`,
        ...Object.fromEntries(
            Object.entries(kafkaClientSecurity(options.kafkaSecurity ?? "plaintext", options.kafkaCa)).flatMap(([key, value]) => [
                [`schema.history.internal.producer.${key}`, value],
                [`schema.history.internal.consumer.${key}`, value],
            ]),
        ),
        // Schema changes go to the history topic only; sinks must never see DDL events.
        "include.schema.changes": "false",
        "snapshot.mode": "initial",
        // Debezium's 500 ms default poll interval is a floor on latency.
        "poll.interval.ms": "100",
        "decimal.handling.mode": "precise",
        "bigint.unsigned.handling.mode": "precise",
        "time.precision.mode": "adaptive_time_microseconds",
        // TINYINT(1) as boolean, so it binds into PostgreSQL boolean columns.
        converters: "boolean",
        "boolean.type": "io.debezium.connector.binlog.converters.TinyIntOneToBooleanConverter",
    };
    return { connectorClass: SOURCE_CLASS[mysql.flavor], config };
}

export interface JdbcSinkOptions {
    prefix: string;
    topics: string[];
    postgres: PostgresEndpoint;
}

/** Debezium JDBC sink upserting change events into PostgreSQL tables named after the source table. */
export function postgresSink(options: JdbcSinkOptions): ConnectorSpec {
    const { postgres } = options;
    const config: Record<string, string> = {
        "tasks.max": "1",
        topics: options.topics.join(","),
        "connection.url": `jdbc:postgresql://${postgres.host}:${postgres.port}/${postgres.database}${postgresUrlTls(postgres.tls, postgres.filesFolder ?? "").replace(/^&/, "?")}`,
        "connection.username": postgres.user,
        "insert.mode": "upsert",
        "delete.enabled": "true",
        "primary.key.mode": "record_key",
        // The default `${topic}` would name tables after the topic; keep the source table's name.
        "collection.name.format": `${postgres.schema}.\${source.table}`,
        "schema.evolution": "basic",
        "use.time.zone": "UTC",
        "batch.size": "500",
    };
    return { connectorClass: JDBC_SINK_CLASS, config };
}
