// The bidirectional sync of a set of tables between MySQL/MariaDB and PostgreSQL: database preparation
// (accounts, bookkeeping columns, triggers, tombstone and conflict tables, publication) and four
// connectors (a source and a JDBC sink per direction). Built from catalogs read beforehand, so the
// component itself does no I/O.
// Longer than most files on purpose: one constructor wiring ~20 resources whose dependency order is the
// point, read top to bottom; the SQL and connector configs come from the pure builders.
//
// Each table's database objects are a resource of their own: adding a table creates them (and an incremental
// snapshot of its rows), removing one deletes them (their teardown runs with teardownOnDestroy).
import { DatabaseTls } from "../core/databaseTls";
import { tlsFiles } from "../connectors/databaseTlsConfigs";
import { connectorSecretsFolder } from "../connectors/connectorModel";
import * as pulumi from "@pulumi/pulumi";
import { Connector } from "../connectors/connector";
import { ResumeCheck } from "../connectors/resumeCheck";
import { ConnectorSpec, JDBC_SINK_PASSWORD_KEY, SCHEMA_HISTORY_JAAS_KEYS, SOURCE_PASSWORD_KEY } from "../connectors/debeziumConfigs";
import { connectorSecrets, ConnectorSecretStore } from "../connectors/secretStores";
import { booleanColumns, mysqlSyncSource, postgresSyncSource, TopicCreation } from "../connectors/syncConnectors";
import { SnapshotRequests } from "../database/snapshotRequests";
import { GeneratedPassword, SqlObjects } from "../database/sqlObjects";
import { Policy, syncNames, TableDef } from "../core/model";
import {
    binlogRetentionSql,
    mysqlCommonSetup,
    mysqlCommonTeardown,
    mysqlSignalTable,
    mysqlTableSetup,
    mysqlTableTeardown,
    MysqlHosting,
} from "../sql/mysqlSql";
import { mysqlAccounts, mysqlAccountsTeardown, mysqlTableGrants, mysqlTableRevokes } from "../sql/mysqlAccounts";
import { shortHash } from "../core/names";
import {
    mysqlCascadesByParent,
    postgresCommonSetup,
    postgresCommonTeardown,
    postgresTableSetup,
    postgresTableTeardown,
} from "../sql/postgresSql";
import { postgresRoles, postgresRolesTeardown } from "../sql/postgresAccounts";
import { postgresPublication, postgresPublicationTeardown } from "../sql/postgresPublication";
import { InitialLoad, KafkaSecurity, MysqlFlavor } from "../core/vocabulary";
import { deadLetterTopic, kafkaTopicName, syncTopics } from "../core/topics";
import { mysqlSyncSink, postgresSyncSink } from "../connectors/syncSinks";
import { canaryTableDefs } from "../core/canary";
import {
    mysqlCanarySetup,
    mysqlCanaryTeardown,
    mysqlMonitorAccount,
    mysqlMonitorAccountTeardown,
    postgresCanarySetup,
    postgresCanaryTeardown,
    postgresMonitorRole,
    postgresMonitorRoleTeardown,
} from "../sql/monitorSql";

interface Admin {
    user: string;
    password: pulumi.Input<string>;
    /** Where the machine running `pulumi` reaches the server, when not at the workers' host/port. */
    host?: string;
    port?: number;
}

export interface BidirectionalSyncArgs {
    prefix: string;
    /** Connect's REST API as the machine running `pulumi` reaches it, with basic auth when the workers require it. */
    connectUrl: pulumi.Input<string>;
    connectAuth?: pulumi.Input<{ username: pulumi.Input<string>; password: pulumi.Input<string> }>;
    /** Kafka as the workers reach it (the MySQL source's schema history clients). */
    kafkaBootstrapServers: pulumi.Input<string>;
    kafkaSecurity?: KafkaSecurity;
    /** sasl-scram: the brokers' CA and the Connect principal's JAAS line (secret) for the connectors' own clients. */
    kafkaClient?: { ca?: string; jaasConfig: pulumi.Input<string> };
    /** Where connector passwords are kept for the workers (see connectors/secretStores.ts). */
    secretStore: ConnectorSecretStore;
    /** Host and port as the Connect workers reach each database; `admin` is the account that prepares it. */
    mysql: { flavor: MysqlFlavor; host: string; port: number; database: string; serverId: number; admin: Admin; tls?: DatabaseTls };
    postgres: { host: string; port: number; database: string; schema: string; admin: Admin; tls?: DatabaseTls };
    /** Topic rules for topics the sources create themselves (default: the broker's defaults). */
    topicCreation?: TopicCreation;
    /** Keep at least this much binlog (RDS: mysql.rds_set_configuration; elsewhere binlog_expire_logs_seconds). */
    binlogRetention?: { hours: number; hosting: MysqlHosting };
    /** The synced tables as each catalog describes them (same names on both sides). */
    tables: { mysql: TableDef[]; postgres: TableDef[] };
    policy: Policy;
    /** How PostgreSQL gets the rows that exist before the sync starts (default snapshot). */
    initialLoad?: InitialLoad;
    /** Run the SQL teardown on `pulumi destroy` (default: keep the bookkeeping so a later `up` resumes). */
    teardownOnDestroy?: boolean;
    /** Host part of the MySQL accounts (default '%'). */
    mysqlAccountHost?: string;
    /** Largest row change the topics carry; larger rows are quarantined at the source. */
    maxRowBytes: number;
    /** Seconds each connector must stay RUNNING before its update succeeds (default 10). */
    connectorSettleSeconds?: number;
    /** What the sources check offsets they find under their names against, when new to the stack (syncPlan.ts). */
    resumeChecks?: { mysqlSource?: ResumeCheck; postgresSource?: ResumeCheck };
    /** Resources the connectors must wait for (topics they must not create themselves). */
    connectorsWaitFor?: pulumi.Resource[];
}

/** A Pulumi resource name for a table: the name itself when plain, else a readable form with a hash. */
export function tableResourceKey(table: string): string {
    return /^[A-Za-z0-9_.-]+$/.test(table) ? table : `${kafkaTopicName(table)}-${shortHash(table, 8)}`;
}

export class BidirectionalSync extends pulumi.ComponentResource {
    readonly connectors: Record<"mysqlSource" | "postgresSource" | "postgresSink" | "mysqlSink", Connector>;
    readonly topics: Record<"mysqlToPostgres" | "postgresToMysql", { rows: string[]; deadLetter: string }>;
    /** The PostgreSQL account the sink writes with (secret): `tandem load` merges its bulk copies as it. */
    readonly postgresSyncWriter: pulumi.Output<{ user: string; password: string }>;
    /** The health monitor's accounts on both sides (secret). */
    readonly monitorAccess: pulumi.Output<{ mysql: { user: string; password: string }; postgres: { user: string; password: string } }>;
    /** The canary table the health monitor writes (synced like the others). */
    readonly canaryTable: string;

    constructor(name: string, args: BidirectionalSyncArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tandem:index:BidirectionalSync", name, {}, opts);
        const parent = { parent: this };
        const names = syncNames(args.prefix);
        this.canaryTable = names.canaryTable;
        // The health monitor's canary is synced like the application's tables (after them: a stable order).
        const canary = canaryTableDefs(names.canaryTable);
        const synced = { mysql: [...args.tables.mysql, canary.mysql], postgres: [...args.tables.postgres, canary.postgres] };
        const tableNames = synced.mysql.map((table) => table.name);
        const teardownOnDelete = args.teardownOnDestroy ?? false;
        const host = args.mysqlAccountHost ?? "%";
        const adminOf = (side: { host: string; port: number; database: string; admin: Admin; tls?: DatabaseTls }) => ({
            host: side.admin.host ?? side.host,
            port: side.admin.port ?? side.port,
            database: side.database,
            user: side.admin.user,
            password: side.admin.password,
            ...(side.tls ? { tls: side.tls } : {}),
        });
        const mysqlAdmin = adminOf(args.mysql);
        const pgAdmin = adminOf(args.postgres);
        const pgOptions = {
            schema: args.postgres.schema,
            syncUser: names.syncUser,
            cdcUser: names.cdcUser,
            policy: args.policy,
            publication: names.publication,
            heartbeatTable: names.heartbeatTable,
            conflictsTable: names.conflictsTable,
            functionPrefix: names.functionPrefix,
            progressTable: names.progressTable,
            reconcileTables: [names.reconcileRunsTable, names.reconcileRepairsTable],
        };
        const mysqlOptions = {
            database: args.mysql.database,
            syncUser: names.syncUser,
            policy: args.policy,
            flavor: args.mysql.flavor,
            conflictsTable: names.conflictsTable,
        };
        const accountOptions = {
            database: args.mysql.database,
            cdcUser: names.cdcUser,
            syncUser: names.syncUser,
            signalTable: names.signalTable,
            host,
            flavor: args.mysql.flavor,
        };

        const password = (key: string) => new GeneratedPassword(`${name}-${key}-password`, {}, parent).value;
        const passwords = {
            mysqlCdc: password("mysql-cdc"),
            mysqlSync: password("mysql-sync"),
            postgresCdc: password("postgres-cdc"),
            postgresSync: password("postgres-sync"),
            mysqlMonitor: password("mysql-monitor"),
            postgresMonitor: password("postgres-monitor"),
        };
        this.postgresSyncWriter = pulumi.secret(
            pulumi.all([names.syncUser, passwords.postgresSync]).apply(([user, pw]) => ({ user, password: pw })),
        );
        this.monitorAccess = pulumi.secret(
            pulumi.all([passwords.mysqlMonitor, passwords.postgresMonitor]).apply(([mysqlPassword, postgresPassword]) => ({
                mysql: { user: names.monitorUser, password: mysqlPassword },
                postgres: { user: names.monitorUser, password: postgresPassword },
            })),
        );
        const canaryNames = {
            canaryTable: names.canaryTable,
            conflictsTable: names.conflictsTable,
            monitorUser: names.monitorUser,
            functionPrefix: names.functionPrefix,
        };

        // MySQL/MariaDB: what every table shares, the accounts, then each table.
        const mysqlObjects = new SqlObjects(
            `${name}-mysql-objects`,
            {
                engine: "mysql",
                connection: mysqlAdmin,
                description: `conflict log ${names.conflictsTable} and signaling table ${names.signalTable}`,
                apply: [...mysqlCommonSetup(names.conflictsTable), mysqlSignalTable(names.signalTable)],
                teardown: mysqlCommonTeardown(names.conflictsTable, names.signalTable),
                teardownOnDelete,
            },
            parent,
        );

        const mysqlAccess = new SqlObjects(
            `${name}-mysql-accounts`,
            {
                engine: "mysql",
                connection: mysqlAdmin,
                description: `accounts ${names.cdcUser} (binlog reader) and ${names.syncUser} (sync writer)`,
                apply: mysqlAccounts(accountOptions),
                teardown: mysqlAccountsTeardown(accountOptions),
                teardownOnDelete,
                secrets: { cdc: passwords.mysqlCdc, sync: passwords.mysqlSync },
            },
            { parent: this, dependsOn: [mysqlObjects] },
        );

        const mysqlCanary = new SqlObjects(
            `${name}-mysql-canary`,
            {
                engine: "mysql",
                connection: mysqlAdmin,
                description: `health monitor's canary ${names.canaryTable} and account ${names.monitorUser}`,
                apply: [
                    ...mysqlCanarySetup(canaryNames),
                    ...mysqlMonitorAccount(args.mysql.database, host, canaryNames, args.mysql.flavor),
                ],
                teardown: [...mysqlMonitorAccountTeardown(host, canaryNames), ...mysqlCanaryTeardown(canaryNames)],
                teardownOnDelete,
                secrets: { monitor: passwords.mysqlMonitor },
            },
            { parent: this, dependsOn: [mysqlObjects, mysqlAccess] },
        );

        const mysqlTables = synced.mysql.map(
            (table) =>
                new SqlObjects(
                    `${name}-mysql-table-${tableResourceKey(table.name)}`,
                    {
                        engine: "mysql",
                        connection: mysqlAdmin,
                        description: `${table.name}: bookkeeping columns, triggers, tombstone table, grants`,
                        apply: [...mysqlTableSetup(table, mysqlOptions), ...mysqlTableGrants(accountOptions, table.name)],
                        teardown: [...mysqlTableRevokes(accountOptions, table.name), ...mysqlTableTeardown(table, args.mysql.flavor)],
                        teardownOnDelete,
                    },
                    { parent: this, dependsOn: [mysqlObjects, mysqlAccess, mysqlCanary] },
                ),
        );

        // PostgreSQL: the same, plus the publication of exactly the synced tables.
        const postgresObjects = new SqlObjects(
            `${name}-postgres-objects`,
            {
                engine: "postgres",
                connection: pgAdmin,
                description: `conflict log ${names.conflictsTable}, heartbeat table, trigger function`,
                apply: postgresCommonSetup(pgOptions),
                teardown: postgresCommonTeardown(pgOptions),
                teardownOnDelete,
            },
            parent,
        );

        const postgresAccess = new SqlObjects(
            `${name}-postgres-accounts`,
            {
                engine: "postgres",
                connection: pgAdmin,
                description: `roles ${names.cdcUser} (replication reader) and ${names.syncUser} (sync writer)`,
                apply: postgresRoles(pgOptions),
                teardown: postgresRolesTeardown(pgOptions),
                teardownOnDelete,
                secrets: { cdc: passwords.postgresCdc, sync: passwords.postgresSync },
            },
            { parent: this, dependsOn: [postgresObjects] },
        );

        const postgresCanary = new SqlObjects(
            `${name}-postgres-canary`,
            {
                engine: "postgres",
                connection: pgAdmin,
                description: `health monitor's canary ${names.canaryTable} and role ${names.monitorUser}`,
                apply: [
                    ...postgresCanarySetup(args.postgres.schema, canaryNames),
                    ...postgresMonitorRole(args.postgres.schema, canaryNames),
                ],
                teardown: [
                    ...postgresMonitorRoleTeardown(args.postgres.schema, canaryNames),
                    ...postgresCanaryTeardown(args.postgres.schema, canaryNames),
                ],
                teardownOnDelete,
                secrets: { monitor: passwords.postgresMonitor },
            },
            // After the accounts: a destroy then drops the canary before the accounts' teardown walks the schema's
            // grants (run together, PostgreSQL failed it with "cache lookup failed for relation").
            { parent: this, dependsOn: [postgresObjects, postgresAccess] },
        );

        const cascades = mysqlCascadesByParent(synced.mysql);
        const postgresTables = synced.postgres.map(
            (table) =>
                new SqlObjects(
                    `${name}-postgres-table-${tableResourceKey(table.name)}`,
                    {
                        engine: "postgres",
                        connection: pgAdmin,
                        description: `${table.name}: bookkeeping columns, replica identity, triggers, tombstone table, grants`,
                        apply: postgresTableSetup(table, pgOptions, cascades.get(table.name) ?? []),
                        teardown: postgresTableTeardown(table.name, pgOptions),
                        teardownOnDelete,
                    },
                    { parent: this, dependsOn: [postgresObjects, postgresAccess, postgresCanary] },
                ),
        );

        const publication = new SqlObjects(
            `${name}-postgres-publication`,
            {
                engine: "postgres",
                connection: pgAdmin,
                description: `publication ${names.publication} of the ${tableNames.length} synced tables; replication slot ${names.slot}`,
                apply: postgresPublication(tableNames, pgOptions),
                teardown: postgresPublicationTeardown(names.publication, names.slot),
                teardownOnDelete,
            },
            { parent: this, dependsOn: postgresTables },
        );

        const prepared = [
            mysqlObjects,
            mysqlAccess,
            mysqlCanary,
            ...mysqlTables,
            postgresObjects,
            postgresAccess,
            postgresCanary,
            ...postgresTables,
            publication,
        ];
        // Each connector's TLS files (CA, trust store) sit beside its secrets on the worker: directory stores only
        // (settings.ts refuses the verify modes on prod, whose Secrets are read as values, not files).
        const filesFolder = (key: string): pulumi.Output<string> =>
            args.secretStore.kind === "directory"
                ? pulumi.output(args.secretStore.dir).apply((dir) => connectorSecretsFolder(dir, `${args.prefix}-${key}`))
                : pulumi.output("");
        const mysqlEndpoint = (user: string, folder: string) => ({
            flavor: args.mysql.flavor,
            host: args.mysql.host,
            port: args.mysql.port,
            database: args.mysql.database,
            serverId: args.mysql.serverId,
            user,
            tls: args.mysql.tls,
            filesFolder: folder,
        });
        const postgresEndpoint = (user: string, folder: string) => ({
            host: args.postgres.host,
            port: args.postgres.port,
            database: args.postgres.database,
            schema: args.postgres.schema,
            user,
            tls: args.postgres.tls,
            filesFolder: folder,
        });
        const connector = (
            key: string,
            spec: pulumi.Input<ConnectorSpec>,
            secrets: Record<string, pulumi.Input<string>>,
            files: Record<string, string>,
            resumeCheck?: ResumeCheck,
        ) => {
            const connectorName = `${args.prefix}-${key}`;
            const stored = connectorSecrets(args.secretStore, connectorName, secrets, this);
            const resolved = pulumi.output(spec);
            return new Connector(
                `${name}-${key}`,
                {
                    connectUrl: args.connectUrl,
                    auth: args.connectAuth,
                    name: connectorName,
                    connectorClass: resolved.connectorClass,
                    config: resolved.config,
                    // With the teardown, the slot and the sync's topics go too: positions in them must go as well.
                    resetOffsetsOnDelete: teardownOnDelete,
                    ...(args.connectorSettleSeconds !== undefined ? { settleSeconds: args.connectorSettleSeconds } : {}),
                    ...(Object.keys(files).length > 0 ? { files } : {}),
                    ...(resumeCheck ? { resumeCheck } : {}),
                    ...stored.args,
                },
                { parent: this, dependsOn: [...prepared, ...stored.dependsOn, ...(args.connectorsWaitFor ?? [])] },
            );
        };

        const sink = { prefix: args.prefix, tables: tableNames, maxRowBytes: args.maxRowBytes };
        const mysqlFiles = (needs: "pem" | "truststore") => tlsFiles(args.mysql.tls, needs);
        const postgresFiles = tlsFiles(args.postgres.tls, "pem");
        this.connectors = {
            mysqlSource: connector(
                "mysql-source",
                pulumi.all([args.kafkaBootstrapServers, filesFolder("mysql-source")]).apply(([bootstrap, folder]) =>
                    mysqlSyncSource({
                        prefix: args.prefix,
                        tables: synced.mysql,
                        maxRowBytes: args.maxRowBytes,
                        topicCreation: args.topicCreation,
                        kafkaBootstrapServers: bootstrap,
                        kafkaSecurity: args.kafkaSecurity,
                        kafkaCa: args.kafkaClient?.ca,
                        mysql: mysqlEndpoint(names.cdcUser, folder),
                        initialLoad: args.initialLoad ?? "snapshot",
                        signalTable: names.signalTable,
                        booleanColumns: booleanColumns(synced.mysql, synced.postgres),
                    }),
                ),
                {
                    [SOURCE_PASSWORD_KEY]: passwords.mysqlCdc,
                    ...(args.kafkaClient
                        ? Object.fromEntries(SCHEMA_HISTORY_JAAS_KEYS.map((key) => [key, args.kafkaClient!.jaasConfig]))
                        : {}),
                },
                mysqlFiles("truststore"),
                args.resumeChecks?.mysqlSource,
            ),
            postgresSource: connector(
                "postgres-source",
                filesFolder("postgres-source").apply((folder) =>
                    postgresSyncSource({
                        prefix: args.prefix,
                        tables: synced.postgres,
                        maxRowBytes: args.maxRowBytes,
                        topicCreation: args.topicCreation,
                        postgres: postgresEndpoint(names.cdcUser, folder),
                        slot: names.slot,
                        publication: names.publication,
                        heartbeatTable: names.heartbeatTable,
                    }),
                ),
                { [SOURCE_PASSWORD_KEY]: passwords.postgresCdc },
                postgresFiles,
                args.resumeChecks?.postgresSource,
            ),
            postgresSink: connector(
                "postgres-sink",
                filesFolder("postgres-sink").apply((folder) =>
                    postgresSyncSink({ ...sink, sourceNamespace: args.mysql.database, postgres: postgresEndpoint(names.syncUser, folder) }),
                ),
                { [JDBC_SINK_PASSWORD_KEY]: passwords.postgresSync },
                postgresFiles,
            ),
            mysqlSink: connector(
                "mysql-sink",
                filesFolder("mysql-sink").apply((folder) =>
                    mysqlSyncSink({ ...sink, sourceNamespace: args.postgres.schema, mysql: mysqlEndpoint(names.syncUser, folder) }),
                ),
                { [JDBC_SINK_PASSWORD_KEY]: passwords.mysqlSync },
                mysqlFiles(args.mysql.flavor === "mariadb" ? "pem" : "truststore"),
            ),
        };
        if (args.binlogRetention) {
            new SqlObjects(
                `${name}-binlog-retention`,
                {
                    engine: "mysql",
                    connection: mysqlAdmin,
                    description: `binlog kept at least ${args.binlogRetention.hours} h (${args.binlogRetention.hosting})`,
                    apply: binlogRetentionSql(args.mysql.flavor, args.binlogRetention.hosting, args.binlogRetention.hours),
                    // The server keeps the longer retention: a smaller one is a deliberate operator decision.
                    teardown: [],
                },
                parent,
            );
        }
        // Once both connectors run with the tables, load the rows of tables new to the stack (all of them with
        // initialLoad=incremental) by an incremental snapshot of just those tables.
        new SnapshotRequests(
            `${name}-table-loads`,
            {
                connection: mysqlAdmin,
                database: args.mysql.database,
                signalTable: names.signalTable,
                tables: tableNames,
                initialLoad: args.initialLoad ?? "snapshot",
            },
            { parent: this, dependsOn: [this.connectors.mysqlSource, this.connectors.postgresSink] },
        );
        this.topics = {
            mysqlToPostgres: {
                ...syncTopics(args.prefix, "mysql-to-postgres", args.mysql.database, tableNames),
                deadLetter: deadLetterTopic(args.prefix, "mysql-to-postgres"),
            },
            postgresToMysql: {
                ...syncTopics(args.prefix, "postgres-to-mysql", args.postgres.schema, tableNames),
                deadLetter: deadLetterTopic(args.prefix, "postgres-to-mysql"),
            },
        };
        this.registerOutputs({ connectors: this.connectors, topics: this.topics });
    }
}
