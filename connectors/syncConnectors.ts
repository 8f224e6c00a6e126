// Pure builders: the two sources of the bidirectional sync (the sinks are in syncSinks.ts). Each source drops
// the events the sync itself caused (echoes) and flattens change events (deletes keep their before-image,
// marked __deleted); each sink upserts rows into the tables and deletes into the tombstone tables, whose
// triggers apply them (see sql/*Sql.ts and docs/bidirectional.md). A table's rows and deletes share its topic, so that
// Kafka keeps them in order per key.
//
// Names may hold anything the engines allow: topics are Debezium's sanitized names (computed the same way
// here), include lists match exact names (core/names.ts), and the sinks take the table from the
// record's `__source_table` header (RouteToTable), never from the topic.
import { BOOKKEEPING, DELETING, TableDef } from "../core/model";
import { debeziumExactName, exactPath } from "../core/names";
import {
    ConnectorSpec,
    escapeRegex,
    MysqlEndpoint,
    mysqlSource,
    MysqlSourceOptions,
    PostgresEndpoint,
    SOURCE_CLASS,
} from "./debeziumConfigs";
import { postgresSourceTls } from "./databaseTlsConfigs";
import { directionOf, InitialLoad, Side } from "../core/vocabulary";
import { deadLetterTopic, directionPrefix, syncTopics } from "../core/topics";

/** Package of tandem's transforms (connect-plugins/). */
export const TRANSFORMS = "dev.tandem.connect.transforms";
/** The record header the sources set to the source table's exact name; the sinks route by it. */
export const TABLE_HEADER = "__source_table";

/** Largest request a producer sends: a whole row change (the guard's limit) plus Kafka's batch overhead. */
export function maxRequestBytes(maxRowBytes: number): number {
    return maxRowBytes + 1024 * 1024;
}

/** Columns both databases compute themselves: never carried (each side computes its own). */
function computedColumns(tables: TableDef[]): { table: string; column: string }[] {
    return tables.flatMap((table) =>
        table.columns.filter((column) => column.computed).map((column) => ({ table: table.name, column: column.name })),
    );
}

/**
 * The source's transforms. `echo` keeps only what an application of `side` wrote: inserts/updates whose
 * new version carries that side's origin, and deletes of rows not marked 'deleting' by the sync (DropEchoes,
 * one of our plugins).
 * A row larger than `maxRowBytes` goes to the dead-letter topic instead of failing the source.
 */
export function sourceTransforms(
    prefix: string,
    side: Side,
    namespace: string,
    tables: string[],
    maxRowBytes: number,
): Record<string, string> {
    const direction = directionOf(side);
    // Only the synced tables' topics: heartbeat and other events pass untouched.
    const dataTopics = `(${syncTopics(prefix, direction, namespace, tables).rows.map(escapeRegex).join("|")})`;
    const origin = BOOKKEEPING.origin;
    // Debezium 3.5 escapes ENUM/SET text it streams (`b,c` arrives as `b\,c`): undone before anything reads it.
    const unescape: Record<string, string> = side === "mysql" ? { "transforms.unescape.type": `${TRANSFORMS}.UnescapeEnumValues` } : {};
    return {
        transforms: side === "mysql" ? "echo,unescape,flatten,uncarriable" : "echo,flatten,uncarriable",
        // Keeps inserts/updates whose new version carries this side's origin and deletes of rows the sync did
        // not mark 'deleting' (connect-plugins/, DropEchoes: Debezium's Groovy Filter cost a quarter of the CPU).
        "transforms.echo.type": `${TRANSFORMS}.DropEchoes`,
        "transforms.echo.topic.regex": dataTopics,
        "transforms.echo.origin.field": origin,
        "transforms.echo.side": side,
        "transforms.echo.deleting.value": DELETING,
        ...unescape,
        "transforms.flatten.type": "io.debezium.transforms.ExtractNewRecordState",
        "transforms.flatten.delete.tombstone.handling.mode": "rewrite",
        // The exact table name travels in a header: topic names are sanitized.
        "transforms.flatten.add.headers": "source.table",
        "transforms.uncarriable.type": `${TRANSFORMS}.QuarantineUncarriable`,
        "transforms.uncarriable.max.bytes": String(maxRowBytes),
        "transforms.uncarriable.quarantine.topic": deadLetterTopic(prefix, direction),
        // PostgreSQL holds NaN/±Infinity in floats (Kafka's JSON would turn them into 0) and ±infinity in timestamps
        // (the JDBC sink would clamp them to MySQL TIMESTAMP's range): MySQL has none of them.
        "transforms.uncarriable.non.finite.values": side === "postgres" ? "quarantine" : "pass",
    };
}

/** Producer settings of a source: rows up to the limit fit a request, compressed on the wire. */
function sourceProducer(maxRowBytes: number): Record<string, string> {
    return {
        "producer.override.linger.ms": "5",
        "producer.override.max.request.size": String(maxRequestBytes(maxRowBytes)),
        "producer.override.compression.type": "lz4",
    };
}

export interface SyncSourceOptions {
    prefix: string;
    /** The synced tables as this source's catalog describes them. */
    tables: TableDef[];
    /** Largest row change carried (tandem:maxRowBytes). */
    maxRowBytes: number;
    /** Rules for the topics the source creates itself (default: the broker's defaults). */
    topicCreation?: TopicCreation;
}

/**
 * How the PostgreSQL side gets the rows that exist before the sync starts (always from MySQL/MariaDB only):
 * - snapshot: Debezium's initial snapshot, then streaming (small and medium tables);
 * - incremental: streaming from now on, plus an incremental snapshot requested through the signaling table
 *   (large databases: chunked, no long locks, resumable after a restart);
 * - none: the tables were already copied (e.g. pgloader) and the connector streams from now on.
 * Tables added to a running stack later are always loaded by an incremental snapshot of just those tables.
 */

/**
 * TINYINT(1) columns facing a PostgreSQL boolean: they travel as "true"/"false" through tandem's converter,
 * any other number as itself (so that PostgreSQL refuses it instead of it becoming true).
 */
export function booleanColumns(mysqlTables: TableDef[], postgresTables: TableDef[]): { table: string; column: string }[] {
    return mysqlTables.flatMap((table) => {
        const other = postgresTables.find((candidate) => candidate.name === table.name);
        return table.columns
            .filter((column) => /^(tinyint\(1\)|bool)/i.test(column.type))
            .filter((column) => other?.columns.find((candidate) => candidate.name === column.name)?.type.toLowerCase() === "boolean")
            .map((column) => ({ table: table.name, column: column.name }));
    });
}

/** Debezium MariaDB/MySQL source: snapshots (the one side that does) and streams application writes. */
export function mysqlSyncSource(
    options: SyncSourceOptions &
        Pick<MysqlSourceOptions, "kafkaBootstrapServers" | "kafkaSecurity" | "kafkaCa"> & {
            mysql: MysqlEndpoint;
            initialLoad: InitialLoad;
            signalTable: string;
            /** TINYINT(1) columns whose PostgreSQL column is a boolean. */
            booleanColumns: { table: string; column: string }[];
        },
): ConnectorSpec {
    const { mysql } = options;
    const names = options.tables.map((table) => table.name);
    // The plain one-way source, capturing the signaling table too, tuned and filtered for the sync.
    const { "boolean.type": _replaced, ...base } = mysqlSource({ ...options, tables: [...names, options.signalTable] }).config;
    const excluded = computedColumns(options.tables);
    return {
        connectorClass: SOURCE_CLASS[mysql.flavor],
        config: {
            ...base,
            "signal.data.collection": `${mysql.database}.${options.signalTable}`,
            "incremental.snapshot.chunk.size": "2048",
            "tombstones.on.delete": "false",
            "snapshot.mode": options.initialLoad === "snapshot" ? "initial" : "no_data",
            "snapshot.locking.mode": "none",
            // The binlog reader reconnects after the server went away when its keep-alive check next runs (60 s by
            // default): the fault suite saw MySQL → PostgreSQL stall that long after a MariaDB crash.
            "connect.keep.alive.interval.ms": "5000",
            "poll.interval.ms": "50",
            "max.batch.size": "2048",
            "binary.handling.mode": "bytes",
            ...(excluded.length > 0
                ? { "column.exclude.list": excluded.map(({ table, column }) => debeziumExactName(mysql.database, table, column)).join(",") }
                : {}),
            // Zero dates and TINYINT(1)-as-boolean, the way they must reach PostgreSQL (connect-plugins/, LegacyValueConverter).
            converters: "legacy",
            "legacy.type": "dev.tandem.connect.debezium.LegacyValueConverter",
            "legacy.zero.dates": "true",
            "legacy.boolean.columns": options.booleanColumns.map(({ table, column }) => exactPath(mysql.database, table, column)).join(","),
            ...sourceProducer(options.maxRowBytes),
            ...topicCreationRules(options.topicCreation, options.maxRowBytes),
            ...sourceTransforms(options.prefix, "mysql", mysql.database, names, options.maxRowBytes),
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
export function topicCreationRules(
    creation: TopicCreation = { replicationFactor: -1, partitions: -1 },
    maxRowBytes?: number,
): Record<string, string> {
    return {
        "topic.creation.default.replication.factor": String(creation.replicationFactor),
        "topic.creation.default.partitions": String(creation.partitions),
        "topic.creation.default.cleanup.policy": "delete",
        ...(creation.minInsyncReplicas ? { "topic.creation.default.min.insync.replicas": String(creation.minInsyncReplicas) } : {}),
        ...(maxRowBytes ? { "topic.creation.default.max.message.bytes": String(maxRequestBytes(maxRowBytes)) } : {}),
    };
}

/** Debezium PostgreSQL source (pgoutput, own slot, our publication): streams only, no snapshot. */
export function postgresSyncSource(options: PostgresSourceOptions): ConnectorSpec {
    const { postgres, prefix } = options;
    const names = options.tables.map((table) => table.name);
    const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
    const heartbeat = `${quote(postgres.schema)}.${quote(options.heartbeatTable)}`;
    const excluded = computedColumns(options.tables);
    return {
        connectorClass: "io.debezium.connector.postgresql.PostgresConnector",
        config: {
            "tasks.max": "1",
            "database.hostname": postgres.host,
            "database.port": String(postgres.port),
            "database.user": postgres.user,
            "database.dbname": postgres.database,
            ...postgresSourceTls(postgres.tls, postgres.filesFolder ?? ""),
            "plugin.name": "pgoutput",
            "slot.name": options.slot,
            "publication.name": options.publication,
            "publication.autocreate.mode": "disabled",
            "schema.include.list": debeziumExactName(postgres.schema),
            "table.include.list": [...names, options.heartbeatTable].map((table) => debeziumExactName(postgres.schema, table)).join(","),
            ...(excluded.length > 0
                ? {
                      "column.exclude.list": excluded
                          .map(({ table, column }) => debeziumExactName(postgres.schema, table, column))
                          .join(","),
                  }
                : {}),
            "topic.prefix": directionPrefix(prefix, "postgres-to-mysql"),
            "tombstones.on.delete": "false",
            "snapshot.mode": "no_data",
            "poll.interval.ms": "50",
            "max.batch.size": "2048",
            "heartbeat.interval.ms": "10000",
            "heartbeat.action.query": `INSERT INTO ${heartbeat} (id, beat) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET beat = EXCLUDED.beat`,
            "skip.messages.without.change": "true",
            // Exact digits as text: also carries numeric's NaN and ±Infinity (which "precise" turns into NULL), so
            // that MySQL refuses them instead of a NULL arriving.
            "decimal.handling.mode": "string",
            "time.precision.mode": "adaptive_time_microseconds",
            "binary.handling.mode": "bytes",
            ...sourceProducer(options.maxRowBytes),
            ...topicCreationRules(options.topicCreation, options.maxRowBytes),
            ...sourceTransforms(prefix, "postgres", postgres.schema, names, options.maxRowBytes),
        },
    };
}
