// The bidirectional sync of a set of tables between MySQL/MariaDB and PostgreSQL: database preparation
// (accounts, bookkeeping columns, triggers, tombstone and conflict tables, publication) and four
// connectors (a source and a JDBC sink per direction). Built from catalogs read beforehand, so the
// component itself does no I/O.
import * as pulumi from "@pulumi/pulumi";
import { Connector } from "../connectors/connector";
import { ConnectorSpec, JDBC_SINK_PASSWORD_KEY, KafkaSecurity, MYSQL_SOURCE_PASSWORD_KEY, MysqlFlavor } from "../connectors/debeziumConfigs";
import { connectorSecrets, ConnectorSecretStore } from "../connectors/secretStores";
import { deadLetterTopic, InitialLoad, TopicCreation, mysqlSyncSink, mysqlSyncSource, postgresSyncSink, postgresSyncSource, syncTopics } from "../connectors/syncConnectors";
import { GeneratedPassword, SqlObjects } from "../database/sqlObjects";
import { Policy, syncNames, TableDef } from "./sync/model";
import {
    binlogRetentionSql,
    literal,
    mysqlCommonSetup,
    mysqlCommonTeardown,
    mysqlIncrementalSnapshotSignal,
    mysqlSignalTable,
    mysqlTableSetup,
    mysqlTableTeardown,
    MysqlHosting,
    mysqlUserGrants,
} from "./sync/mysqlSql";
import { pgLiteral, postgresCommonSetup, postgresCommonTeardown, postgresPublication, postgresTableSetup, postgresTableTeardown, postgresUserGrants, qi } from "./sync/postgresSql";

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
    /** Where connector passwords are kept for the workers (see connectors/secretStores.ts). */
    secretStore: ConnectorSecretStore;
    /** Host and port as the Connect workers reach each database; `admin` is the account that prepares it. */
    mysql: { flavor: MysqlFlavor; host: string; port: number; database: string; serverId: number; admin: Admin };
    postgres: { host: string; port: number; database: string; schema: string; admin: Admin };
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
}

export class BidirectionalSync extends pulumi.ComponentResource {
    readonly connectors: Record<"mysqlSource" | "postgresSource" | "postgresSink" | "mysqlSink", Connector>;
    readonly topics: Record<"mysqlToPostgres" | "postgresToMysql", { rows: string[]; deletes: string[]; deadLetter: string }>;

    constructor(name: string, args: BidirectionalSyncArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tandem:index:BidirectionalSync", name, {}, opts);
        const parent = { parent: this };
        const names = syncNames(args.prefix);
        const tableNames = args.tables.mysql.map((table) => table.name);
        const teardownOnDelete = args.teardownOnDestroy ?? false;
        const host = args.mysqlAccountHost ?? "%";
        const adminOf = (side: { host: string; port: number; database: string; admin: Admin }) => ({
            host: side.admin.host ?? side.host,
            port: side.admin.port ?? side.port,
            database: side.database,
            user: side.admin.user,
            password: side.admin.password,
        });
        const mysqlAdmin = adminOf(args.mysql);
        const pgAdmin = adminOf(args.postgres);
        const pgOptions = { schema: args.postgres.schema, syncUser: names.syncUser, cdcUser: names.cdcUser, policy: args.policy, publication: names.publication, heartbeatTable: names.heartbeatTable, conflictsTable: names.conflictsTable, functionPrefix: names.functionPrefix };

        const password = (key: string) => new GeneratedPassword(`${name}-${key}-password`, {}, parent).value;
        const passwords = { mysqlCdc: password("mysql-cdc"), mysqlSync: password("mysql-sync"), postgresCdc: password("postgres-cdc"), postgresSync: password("postgres-sync") };

        const mysqlObjects = new SqlObjects(`${name}-mysql-objects`, {
            engine: "mysql",
            connection: mysqlAdmin,
            description: `bookkeeping columns, triggers, tombstone and conflict tables for ${tableNames.length} tables`,
            apply: [
                ...mysqlCommonSetup(names.conflictsTable),
                mysqlSignalTable(names.signalTable),
                ...args.tables.mysql.flatMap((table) =>
                    mysqlTableSetup(table, { database: args.mysql.database, syncUser: names.syncUser, policy: args.policy, flavor: args.mysql.flavor, conflictsTable: names.conflictsTable }),
                ),
            ],
            teardown: [...args.tables.mysql.flatMap((table) => mysqlTableTeardown(table, args.mysql.flavor)), ...mysqlCommonTeardown(names.conflictsTable, names.signalTable)],
            teardownOnDelete,
        }, parent);

        const account = (user: string) => `${literal(user)}@${literal(host)}`;
        const mysqlAccess = new SqlObjects(`${name}-mysql-accounts`, {
            engine: "mysql",
            connection: mysqlAdmin,
            description: `accounts ${names.cdcUser} (binlog reader) and ${names.syncUser} (sync writer) with their grants`,
            apply: [
                ...[["cdc", names.cdcUser], ["sync", names.syncUser]].flatMap(([key, user]) => [
                    `CREATE USER IF NOT EXISTS ${account(user)} IDENTIFIED BY {{secret:${key}}}`,
                    `ALTER USER ${account(user)} IDENTIFIED BY {{secret:${key}}}`,
                ]),
                ...mysqlUserGrants({ database: args.mysql.database, cdcUser: names.cdcUser, syncUser: names.syncUser, tables: tableNames, signalTable: names.signalTable, host }),
            ],
            teardown: [`DROP USER IF EXISTS ${account(names.cdcUser)}`, `DROP USER IF EXISTS ${account(names.syncUser)}`],
            teardownOnDelete,
            secrets: { cdc: passwords.mysqlCdc, sync: passwords.mysqlSync },
        }, { parent: this, dependsOn: [mysqlObjects] });

        const postgresObjects = new SqlObjects(`${name}-postgres-objects`, {
            engine: "postgres",
            connection: pgAdmin,
            description: `bookkeeping columns, replica identity, triggers, tombstone and conflict tables, publication ${names.publication}`,
            apply: [...postgresCommonSetup(pgOptions), ...args.tables.postgres.flatMap((table) => postgresTableSetup(table, pgOptions)), ...postgresPublication(tableNames, pgOptions)],
            teardown: [
                `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ${pgLiteral(names.slot)} AND NOT active`,
                ...tableNames.flatMap((table) => postgresTableTeardown(table, pgOptions)),
                ...postgresCommonTeardown(pgOptions),
            ],
            teardownOnDelete,
        }, parent);

        const role = (key: string, user: string) =>
            `DO $do$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${pgLiteral(user)}) THEN CREATE ROLE ${qi(user)} LOGIN; END IF; END $do$`;
        const postgresAccess = new SqlObjects(`${name}-postgres-accounts`, {
            engine: "postgres",
            connection: pgAdmin,
            description: `roles ${names.cdcUser} (replication reader) and ${names.syncUser} (sync writer) with their grants`,
            apply: [
                role("cdc", names.cdcUser),
                role("sync", names.syncUser),
                `ALTER ROLE ${qi(names.cdcUser)} PASSWORD {{secret:cdc}}`,
                `ALTER ROLE ${qi(names.syncUser)} PASSWORD {{secret:sync}}`,
                ...postgresUserGrants(tableNames, pgOptions),
            ],
            teardown: [names.cdcUser, names.syncUser].flatMap((user) => [
                `DO $do$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${pgLiteral(user)}) THEN
                   EXECUTE 'REVOKE ALL ON ALL TABLES IN SCHEMA ${qi(args.postgres.schema)} FROM ${qi(user)}';
                   EXECUTE 'REVOKE ALL ON SCHEMA ${qi(args.postgres.schema)} FROM ${qi(user)}';
                 END IF; END $do$`,
                `DROP ROLE IF EXISTS ${qi(user)}`,
            ]),
            teardownOnDelete,
            secrets: { cdc: passwords.postgresCdc, sync: passwords.postgresSync },
        }, { parent: this, dependsOn: [postgresObjects] });

        const prepared = [mysqlObjects, mysqlAccess, postgresObjects, postgresAccess];
        const mysqlEndpoint = (user: string) => ({ flavor: args.mysql.flavor, host: args.mysql.host, port: args.mysql.port, database: args.mysql.database, serverId: args.mysql.serverId, user });
        const postgresEndpoint = (user: string) => ({ host: args.postgres.host, port: args.postgres.port, database: args.postgres.database, schema: args.postgres.schema, user });
        const source = { prefix: args.prefix, tables: tableNames, topicCreation: args.topicCreation };
        const connector = (key: string, spec: pulumi.Input<ConnectorSpec>, secrets: Record<string, pulumi.Input<string>>) => {
            const connectorName = `${args.prefix}-${key}`;
            const stored = connectorSecrets(args.secretStore, connectorName, secrets, this);
            const resolved = pulumi.output(spec);
            return new Connector(`${name}-${key}`, {
                connectUrl: args.connectUrl,
                auth: args.connectAuth,
                name: connectorName,
                connectorClass: resolved.connectorClass,
                config: resolved.config,
                ...stored.args,
            }, { parent: this, dependsOn: [...prepared, ...stored.dependsOn] });
        };

        this.connectors = {
            mysqlSource: connector("mysql-source",
                pulumi.output(args.kafkaBootstrapServers).apply((bootstrap) =>
                    mysqlSyncSource({ ...source, kafkaBootstrapServers: bootstrap, kafkaSecurity: args.kafkaSecurity, mysql: mysqlEndpoint(names.cdcUser), initialLoad: args.initialLoad ?? "snapshot", signalTable: names.signalTable })),
                { [MYSQL_SOURCE_PASSWORD_KEY]: passwords.mysqlCdc }),
            postgresSource: connector("postgres-source",
                postgresSyncSource({ ...source, postgres: postgresEndpoint(names.cdcUser), slot: names.slot, publication: names.publication, heartbeatTable: names.heartbeatTable }),
                { [MYSQL_SOURCE_PASSWORD_KEY]: passwords.postgresCdc }),
            postgresSink: connector("postgres-sink",
                postgresSyncSink({ prefix: args.prefix, sourceNamespace: args.mysql.database, tables: tableNames, postgres: postgresEndpoint(names.syncUser) }),
                { [JDBC_SINK_PASSWORD_KEY]: passwords.postgresSync }),
            mysqlSink: connector("mysql-sink",
                mysqlSyncSink({ prefix: args.prefix, sourceNamespace: args.postgres.schema, tables: tableNames, mysql: mysqlEndpoint(names.syncUser) }),
                { [JDBC_SINK_PASSWORD_KEY]: passwords.mysqlSync }),
        };
        if (args.binlogRetention) {
            new SqlObjects(`${name}-binlog-retention`, {
                engine: "mysql",
                connection: mysqlAdmin,
                description: `binlog kept at least ${args.binlogRetention.hours} h (${args.binlogRetention.hosting})`,
                apply: binlogRetentionSql(args.mysql.flavor, args.binlogRetention.hosting, args.binlogRetention.hours),
                // The server keeps the longer retention: a smaller one is a deliberate operator decision.
                teardown: [],
            }, parent);
        }
        if (args.initialLoad === "incremental") {
            // Once the MySQL/MariaDB source streams, ask it for an incremental snapshot of the tables.
            new SqlObjects(`${name}-initial-load-signal`, {
                engine: "mysql",
                connection: mysqlAdmin,
                description: `incremental snapshot of ${tableNames.length} tables requested through ${names.signalTable}`,
                apply: [mysqlIncrementalSnapshotSignal(names.signalTable, args.mysql.database, tableNames)],
                teardown: [],
            }, { parent: this, dependsOn: [this.connectors.mysqlSource, this.connectors.postgresSink] });
        }
        this.topics = {
            mysqlToPostgres: { ...syncTopics(args.prefix, "mysql-to-postgres", args.mysql.database, tableNames), deadLetter: deadLetterTopic(args.prefix, "mysql-to-postgres") },
            postgresToMysql: { ...syncTopics(args.prefix, "postgres-to-mysql", args.postgres.schema, tableNames), deadLetter: deadLetterTopic(args.prefix, "postgres-to-mysql") },
        };
        this.registerOutputs({ connectors: this.connectors, topics: this.topics });
    }
}
