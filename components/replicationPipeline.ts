// One direction of the sync: a Debezium MariaDB/MySQL source capturing the declared tables and a Debezium
// JDBC sink upserting them into PostgreSQL. The bidirectional component builds on the same pieces.
import * as pulumi from "@pulumi/pulumi";
import { Connector } from "../connectors/connector";
import {
    JDBC_SINK_PASSWORD_KEY,
    MYSQL_SOURCE_PASSWORD_KEY,
    MysqlEndpoint,
    mysqlSource,
    mysqlTableTopic,
    PostgresEndpoint,
    postgresSink,
} from "../connectors/debeziumConfigs";

export interface ReplicationPipelineArgs {
    connectUrl: pulumi.Input<string>;
    kafkaBootstrapServers: string;
    /** Worker folder served by Connect's `dir` config provider; holds the connector passwords. */
    connectSecretsDir: pulumi.Input<string>;
    /** Prefix of connector names and topics. */
    prefix: string;
    mysql: MysqlEndpoint & { password: pulumi.Input<string> };
    postgres: PostgresEndpoint & { password: pulumi.Input<string> };
    tables: string[];
}

export class ReplicationPipeline extends pulumi.ComponentResource {
    readonly source: Connector;
    readonly sink: Connector;
    readonly topics: string[];

    constructor(name: string, args: ReplicationPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tandem:index:ReplicationPipeline", name, {}, opts);
        const { password: mysqlPassword, ...mysql } = args.mysql;
        const { password: postgresPassword, ...postgres } = args.postgres;
        this.topics = args.tables.map((table) => mysqlTableTopic(args.prefix, mysql.database, table));

        this.source = new Connector(
            `${name}-mysql-source`,
            {
                connectUrl: args.connectUrl,
                name: `${args.prefix}-mysql-source`,
                ...mysqlSource({ prefix: args.prefix, kafkaBootstrapServers: args.kafkaBootstrapServers, mysql, tables: args.tables }),
                sensitiveConfig: { [MYSQL_SOURCE_PASSWORD_KEY]: mysqlPassword },
                secretsDir: args.connectSecretsDir,
            },
            { parent: this },
        );

        this.sink = new Connector(
            `${name}-postgres-sink`,
            {
                connectUrl: args.connectUrl,
                name: `${args.prefix}-postgres-sink`,
                ...postgresSink({ prefix: args.prefix, topics: this.topics, postgres }),
                sensitiveConfig: { [JDBC_SINK_PASSWORD_KEY]: postgresPassword },
                secretsDir: args.connectSecretsDir,
            },
            { parent: this, dependsOn: [this.source] },
        );

        this.registerOutputs({ source: this.source, sink: this.sink, topics: this.topics });
    }
}
