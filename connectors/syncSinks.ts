// Pure builders: the two sinks of the bidirectional sync. Each upserts a direction's rows into the tables and
// its deletes into the tombstone tables (whose triggers apply them), routing every record by the exact source
// table its header names (RouteToTable), and sets aside the rows the database refuses (the quarantine).
import { BOOKKEEPING_COLUMNS } from "../core/model";
import { TOMBSTONE_PREFIX, tombstoneOverrides } from "../core/names";
import { deadLetterTopic, syncTopics } from "../core/topics";
import { Direction } from "../core/vocabulary";
import { mysqlUrlTls, postgresUrlTls } from "./databaseTlsConfigs";
import { ConnectorSpec, MysqlEndpoint, PostgresEndpoint } from "./debeziumConfigs";
import { maxRequestBytes, TABLE_HEADER, TRANSFORMS } from "./syncConnectors";

/** The sink that writes a table's rows even when the database refuses some (connect-plugins/, QuarantiningJdbcSinkConnector). */
export const QUARANTINING_SINK_CLASS = "dev.tandem.connect.sink.QuarantiningJdbcSinkConnector";

export interface SyncSinkOptions {
    prefix: string;
    /** The direction whose topics this sink consumes. */
    direction: Direction;
    /** Namespace in the source topics: the MySQL database or the PostgreSQL schema. */
    sourceNamespace: string;
    tables: string[];
    maxRowBytes: number;
}

/** What both sinks share; `targetSchema` is the PostgreSQL schema (MySQL: the connection's database). */
function sinkCommon(options: SyncSinkOptions, targetSchema: string): Record<string, string> {
    const topics = syncTopics(options.prefix, options.direction, options.sourceNamespace, options.tables);
    return {
        "tasks.max": "1",
        topics: topics.rows.join(","),
        "insert.mode": "upsert",
        "delete.enabled": "false",
        "primary.key.mode": "record_key",
        // Never create or alter a table: a missing table or column is an error naming it (the row goes to the
        // dead-letter topic), not a table the application never reads. Columns are added on both sides by the
        // user (docs/bidirectional.md "Schema changes"); the writer accounts hold no DDL privilege.
        "schema.evolution": "none",
        // Reserved words, mixed case, spaces, quotes: every identifier the sink writes is quoted.
        "quote.identifiers": "true",
        "collection.name.format": "${topic}",
        // RouteToTable's quoted name, as is (Debezium's default strategy turns '.' into '_').
        "collection.naming.strategy": "dev.tandem.connect.sink.ExactTopicNaming",
        "use.time.zone": "UTC",
        "batch.size": "500",
        "consumer.override.max.poll.records": "500",
        "consumer.override.fetch.max.wait.ms": "20",
        // The dead-letter producer carries rows up to the limit too (the topic stores them gzip-compressed).
        "producer.override.max.request.size": String(maxRequestBytes(options.maxRowBytes)),
        // Rows to their table, deletes (__deleted = true) to its tombstone table, by the exact table name.
        transforms: "route",
        "transforms.route.type": `${TRANSFORMS}.RouteToTable`,
        "transforms.route.table.header": TABLE_HEADER,
        "transforms.route.namespace": targetSchema,
        "transforms.route.deleted.field": "__deleted",
        "transforms.route.tombstone.prefix": TOMBSTONE_PREFIX,
        "transforms.route.tombstone.names": JSON.stringify(tombstoneOverrides(options.tables)),
        "transforms.route.tombstone.fields": BOOKKEEPING_COLUMNS.join(","),
        // Rows the database refuses, and records that cannot be converted or transformed, go to the dead-letter
        // topic with the error and their topic/partition/offset; every other row keeps flowing.
        "errors.tolerance": "all",
        "errors.deadletterqueue.topic.name": deadLetterTopic(options.prefix, options.direction),
        "errors.deadletterqueue.topic.replication.factor": "-1",
        "errors.deadletterqueue.context.headers.enable": "true",
        "errors.log.enable": "true",
    };
}

/**
 * PostgreSQL session of the sink: `stringtype=unspecified` lets text land in json/jsonb, enum and uuid columns;
 * `session_replication_role=replica` skips foreign-key checks (parents and children arrive in any order) and
 * the application's triggers (rows already carry their final values), not the sync's (ENABLE ALWAYS);
 * `synchronous_commit=on` whatever the server's default: once a batch commits, Connect commits the records'
 * offsets and never sends them again, so a commit PostgreSQL could still lose (asynchronous commit and a crash:
 * the fault suite lost 7 rows this way) would lose them for good.
 */
export function postgresSinkUrl(postgres: Pick<PostgresEndpoint, "host" | "port" | "database" | "tls" | "filesFolder">): string {
    const options = "-c session_replication_role=replica -c synchronous_commit=on";
    const tls = postgresUrlTls(postgres.tls, postgres.filesFolder ?? "");
    return `jdbc:postgresql://${postgres.host}:${postgres.port}/${encodeURIComponent(postgres.database)}?stringtype=unspecified&options=${encodeURIComponent(options)}${tls}`;
}

/**
 * MySQL/MariaDB session of the sink: strict (a value that does not fit is an error, never silently cut) and
 * without foreign-key checks (parents and children arrive in any order).
 */
export function mysqlSinkUrl(mysql: Pick<MysqlEndpoint, "flavor" | "host" | "port" | "database" | "tls" | "filesFolder">): string {
    const scheme = mysql.flavor === "mariadb" ? "mariadb" : "mysql";
    const session = "foreign_key_checks=0,sql_mode='STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'";
    // Connector/J (MariaDB and MySQL) takes the list as written: it runs "SET <sessionVariables>".
    const tls = mysqlUrlTls(mysql.flavor, mysql.tls, mysql.filesFolder ?? "");
    return `jdbc:${scheme}://${mysql.host}:${mysql.port}/${encodeURIComponent(mysql.database)}?sessionVariables=${session}${tls}`;
}

export function postgresSyncSink(options: Omit<SyncSinkOptions, "direction"> & { postgres: PostgresEndpoint }): ConnectorSpec {
    const { postgres } = options;
    return {
        connectorClass: QUARANTINING_SINK_CLASS,
        config: {
            "connection.url": postgresSinkUrl(postgres),
            "connection.username": postgres.user,
            ...sinkCommon({ ...options, direction: "mysql-to-postgres" }, postgres.schema),
        },
    };
}

export function mysqlSyncSink(options: Omit<SyncSinkOptions, "direction"> & { mysql: MysqlEndpoint }): ConnectorSpec {
    const { mysql } = options;
    return {
        connectorClass: QUARANTINING_SINK_CLASS,
        config: {
            "connection.url": mysqlSinkUrl(mysql),
            "connection.username": mysql.user,
            ...sinkCommon({ ...options, direction: "postgres-to-mysql" }, ""),
        },
    };
}

/** The plain Debezium JDBC sink class, for configs that do not need the quarantine. */
