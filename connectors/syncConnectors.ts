// Pure builders: the four connectors of the bidirectional sync. Each source drops the events the sync
// itself caused (echoes), flattens change events and routes deletes to `<direction>-deletes` topics; each
// sink upserts rows into the tables and deletes into the tombstone tables, whose triggers apply them (see
// components/sync/*Sql.ts and docs/bidirectional.md).
import { BOOKKEEPING, DELETING, Side, TOMBSTONE_PREFIX } from "../components/sync/model";
import { ConnectorSpec, directionPrefix, escapeRegex, JDBC_SINK_CLASS, MysqlEndpoint, mysqlSource, MysqlSourceOptions, PostgresEndpoint } from "./debeziumConfigs";

export type Direction = "mysql-to-postgres" | "postgres-to-mysql";

export function directionOf(source: Side): Direction {
    return source === "mysql" ? "mysql-to-postgres" : "postgres-to-mysql";
}


/** Topics of one direction: `<prefix>.<direction>.<namespace>.<table>` and `<prefix>.<direction>-deletes.…`. */
export function syncTopics(prefix: string, direction: Direction, namespace: string, tables: string[]) {
    const rows = tables.map((table) => `${directionPrefix(prefix, direction)}.${namespace}.${table}`);
    const deletes = tables.map((table) => `${directionPrefix(prefix, direction)}-deletes.${namespace}.${table}`);
    return { rows, deletes };
}

export function deadLetterTopic(prefix: string, direction: Direction): string {
    return `${prefix}.dlq.${direction}`;
}

/**
 * The source's transforms. `echo` keeps only what an application of `side` wrote: inserts/updates whose
 * new version carries that side's origin, and deletes of rows not marked 'deleting' by the sync. The
 * Groovy conditions run in Debezium's Filter SMT (debezium-scripting + groovy-jsr223 on the plugin path).
 */
export function sourceTransforms(prefix: string, side: Side, namespace: string, tables: string[]): Record<string, string> {
    const topicPrefix = directionPrefix(prefix, directionOf(side));
    // Only the synced tables' topics: heartbeat and other events pass untouched.
    const dataTopics = `${escapeRegex(`${topicPrefix}.${namespace}.`)}(${tables.map(escapeRegex).join("|")})`;
    const origin = BOOKKEEPING.origin;
    return {
        transforms: "echo,flatten,deletes",
        "transforms.echo.type": "io.debezium.transforms.Filter",
        "transforms.echo.language": "jsr223.groovy",
        "transforms.echo.topic.regex": dataTopics,
        "transforms.echo.condition":
            `value.op == 'd' ? value.before.${origin} != '${DELETING}' : (value.after != null && value.after.${origin} == '${side}')`,
        "transforms.flatten.type": "io.debezium.transforms.ExtractNewRecordState",
        "transforms.flatten.delete.tombstone.handling.mode": "rewrite",
        "transforms.deletes.type": "io.debezium.transforms.ContentBasedRouter",
        "transforms.deletes.language": "jsr223.groovy",
        "transforms.deletes.topic.regex": dataTopics,
        "transforms.deletes.topic.expression":
            `String.valueOf(value.__deleted) == 'true' ? topic.replace('${topicPrefix}.', '${topicPrefix}-deletes.') : null`,
    };
}

export interface SyncSourceOptions {
    prefix: string;
    tables: string[];
    /** Rules for the topics the source creates itself (default: the broker's defaults). */
    topicCreation?: TopicCreation;
}

/**
 * How the PostgreSQL side gets the rows that exist before the sync starts (always from MySQL/MariaDB only):
 * - snapshot: Debezium's initial snapshot, then streaming (small and medium tables);
 * - incremental: streaming from now on, plus an incremental snapshot requested through the signaling table
 *   (large databases: chunked, no long locks, resumable after a restart);
 * - none: the tables were already copied (e.g. pgloader) and the connector streams from now on.
 */
export type InitialLoad = "snapshot" | "incremental" | "none";
export const INITIAL_LOADS: readonly InitialLoad[] = ["snapshot", "incremental", "none"];

/** Debezium MariaDB/MySQL source: snapshots (the one side that does) and streams application writes. */
export function mysqlSyncSource(
    options: SyncSourceOptions & Pick<MysqlSourceOptions, "kafkaBootstrapServers" | "kafkaSecurity"> & { mysql: MysqlEndpoint; initialLoad: InitialLoad; signalTable: string },
): ConnectorSpec {
    const { mysql } = options;
    // The plain one-way source, capturing the signaling table too, tuned and filtered for the sync.
    const base = mysqlSource({ ...options, tables: [...options.tables, options.signalTable] });
    return {
        connectorClass: base.connectorClass,
        config: {
            ...base.config,
            "signal.data.collection": `${mysql.database}.${options.signalTable}`,
            "incremental.snapshot.chunk.size": "2048",
            "tombstones.on.delete": "false",
            "snapshot.mode": options.initialLoad === "snapshot" ? "initial" : "no_data",
            "snapshot.locking.mode": "none",
            "poll.interval.ms": "50",
            "max.batch.size": "2048",
            "binary.handling.mode": "bytes",
            "producer.override.linger.ms": "5",
            ...topicCreationRules(options.topicCreation),
            ...sourceTransforms(options.prefix, "mysql", mysql.database, options.tables),
        },
    };
}

export interface PostgresSourceOptions extends SyncSourceOptions {
    postgres: PostgresEndpoint;
    slot: string;
    publication: string;
    heartbeatTable: string;
}

/** How a source creates the topics the stack did not declare (new tables, heartbeats): Connect's topic.creation. */
export interface TopicCreation {
    /** -1: the broker's default. */
    replicationFactor: number;
    partitions: number;
    minInsyncReplicas?: number;
}

/** Connect's `topic.creation.default.*` rules for a source (KIP-158; the worker's topic.creation.enable is on by default). */
export function topicCreationRules(creation: TopicCreation = { replicationFactor: -1, partitions: -1 }): Record<string, string> {
    return {
        "topic.creation.default.replication.factor": String(creation.replicationFactor),
        "topic.creation.default.partitions": String(creation.partitions),
        "topic.creation.default.cleanup.policy": "delete",
        ...(creation.minInsyncReplicas ? { "topic.creation.default.min.insync.replicas": String(creation.minInsyncReplicas) } : {}),
    };
}

/** Debezium PostgreSQL source (pgoutput, own slot, our publication): streams only, no snapshot. */
export function postgresSyncSource(options: PostgresSourceOptions): ConnectorSpec {
    const { postgres, prefix } = options;
    const heartbeat = `${postgres.schema}.${options.heartbeatTable}`;
    return {
        connectorClass: "io.debezium.connector.postgresql.PostgresConnector",
        config: {
            "tasks.max": "1",
            "database.hostname": postgres.host,
            "database.port": String(postgres.port),
            "database.user": postgres.user,
            "database.dbname": postgres.database,
            "plugin.name": "pgoutput",
            "slot.name": options.slot,
            "publication.name": options.publication,
            "publication.autocreate.mode": "disabled",
            "schema.include.list": postgres.schema,
            "table.include.list": [...options.tables, options.heartbeatTable].map((table) => escapeRegex(`${postgres.schema}.${table}`)).join(","),
            "topic.prefix": directionPrefix(prefix, "postgres-to-mysql"),
            "tombstones.on.delete": "false",
            "snapshot.mode": "no_data",
            "poll.interval.ms": "50",
            "max.batch.size": "2048",
            "heartbeat.interval.ms": "10000",
            "heartbeat.action.query": `INSERT INTO ${heartbeat} (id, beat) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET beat = EXCLUDED.beat`,
            "skip.messages.without.change": "true",
            "decimal.handling.mode": "precise",
            "time.precision.mode": "adaptive_time_microseconds",
            "binary.handling.mode": "bytes",
            "producer.override.linger.ms": "5",
            ...topicCreationRules(options.topicCreation),
            ...sourceTransforms(prefix, "postgres", postgres.schema, options.tables),
        },
    };
}

export interface SyncSinkOptions {
    prefix: string;
    /** The direction whose topics this sink consumes. */
    direction: Direction;
    /** Namespace in the source topics: the MySQL database or the PostgreSQL schema. */
    sourceNamespace: string;
    tables: string[];
}

function sinkCommon(options: SyncSinkOptions, collectionFormat: string): Record<string, string> {
    const topicPrefix = escapeRegex(directionPrefix(options.prefix, options.direction));
    const topics = syncTopics(options.prefix, options.direction, options.sourceNamespace, options.tables);
    return {
        "tasks.max": "1",
        topics: [...topics.rows, ...topics.deletes].join(","),
        "insert.mode": "upsert",
        "delete.enabled": "false",
        "primary.key.mode": "record_key",
        "schema.evolution": "basic",
        "collection.name.format": collectionFormat,
        "use.time.zone": "UTC",
        "batch.size": "500",
        "consumer.override.max.poll.records": "500",
        "consumer.override.fetch.max.wait.ms": "20",
        transforms: "dropDeleted,rows,tombstones",
        "transforms.dropDeleted.type": "org.apache.kafka.connect.transforms.ReplaceField$Value",
        "transforms.dropDeleted.exclude": "__deleted",
        "transforms.rows.type": "org.apache.kafka.connect.transforms.RegexRouter",
        "transforms.rows.regex": `${topicPrefix}\\.[^.]+\\.(.+)`,
        "transforms.rows.replacement": "$1",
        "transforms.tombstones.type": "org.apache.kafka.connect.transforms.RegexRouter",
        "transforms.tombstones.regex": `${topicPrefix}-deletes\\.[^.]+\\.(.+)`,
        "transforms.tombstones.replacement": `${TOMBSTONE_PREFIX}$1`,
        // Records that cannot be converted or transformed go to the dead-letter topic instead of stopping the task.
        "errors.tolerance": "all",
        "errors.deadletterqueue.topic.name": deadLetterTopic(options.prefix, options.direction),
        "errors.deadletterqueue.topic.replication.factor": "-1",
        "errors.deadletterqueue.context.headers.enable": "true",
        "errors.log.enable": "true",
    };
}

export function postgresSyncSink(options: Omit<SyncSinkOptions, "direction"> & { postgres: PostgresEndpoint }): ConnectorSpec {
    const { postgres } = options;
    return {
        connectorClass: JDBC_SINK_CLASS,
        config: {
            // stringtype=unspecified lets PostgreSQL cast text into json/jsonb, enum and uuid columns.
            "connection.url": `jdbc:postgresql://${postgres.host}:${postgres.port}/${postgres.database}?stringtype=unspecified`,
            "connection.username": postgres.user,
            ...sinkCommon({ ...options, direction: "mysql-to-postgres" }, `${postgres.schema}.\${topic}`),
        },
    };
}

export function mysqlSyncSink(options: Omit<SyncSinkOptions, "direction"> & { mysql: MysqlEndpoint }): ConnectorSpec {
    const { mysql } = options;
    const scheme = mysql.flavor === "mariadb" ? "mariadb" : "mysql";
    return {
        connectorClass: JDBC_SINK_CLASS,
        config: {
            "connection.url": `jdbc:${scheme}://${mysql.host}:${mysql.port}/${mysql.database}`,
            "connection.username": mysql.user,
            ...sinkCommon({ ...options, direction: "postgres-to-mysql" }, "${topic}"),
        },
    };
}
