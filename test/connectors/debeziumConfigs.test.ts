import * as assert from "node:assert/strict";
import { JDBC_SINK_CLASS, mysqlSource, postgresSink, SOURCE_CLASS } from "../../connectors/debeziumConfigs";
import { mysqlTableTopic } from "../../core/topics";

const mysql = { flavor: "mariadb" as const, host: "127.0.0.1", port: 13306, database: "app", user: "cdc", serverId: 184054 };
const postgres = { host: "127.0.0.1", port: 15432, database: "app", schema: "public", user: "sync" };

describe("debeziumConfigs", () => {
    it("names topics <prefix>.mysql-to-postgres.<database>.<table>", () => {
        assert.equal(mysqlTableTopic("tandem", "app", "customers"), "tandem.mysql-to-postgres.app.customers");
    });

    describe("mysqlSourceConfig", () => {
        const { connectorClass, config } = mysqlSource({
            prefix: "tandem",
            kafkaBootstrapServers: "127.0.0.1:19092",
            mysql,
            tables: ["customers", "order_items"],
        });

        it("uses the connector class of the flavor", () => {
            assert.equal(connectorClass, "io.debezium.connector.mariadb.MariaDbConnector");
            const mysqlFlavor = mysqlSource({
                prefix: "t",
                kafkaBootstrapServers: "k:1",
                mysql: { ...mysql, flavor: "mysql" },
                tables: ["a"],
            });
            assert.equal(mysqlFlavor.connectorClass, SOURCE_CLASS.mysql);
            assert.equal(config["connector.class"], undefined);
        });

        it("captures exactly the declared tables, case-sensitive, whatever their names hold", () => {
            assert.equal(config["database.include.list"], "(?-i)app");
            assert.equal(config["table.include.list"], "(?-i)app\\.customers,(?-i)app\\.order_items");
            assert.equal(config["topic.prefix"], "tandem.mysql-to-postgres");
        });

        it("keeps DDL events away from the sinks and tunes latency", () => {
            assert.equal(config["include.schema.changes"], "false");
            assert.equal(config["poll.interval.ms"], "100");
            assert.equal(config["schema.history.internal.kafka.topic"], "tandem.schema-history.mysql");
        });

        it("holds no password: it travels as a secret", () => {
            assert.equal(config["database.password"], undefined);
            assert.ok(Object.values(config).every((value) => typeof value === "string"));
        });
    });

    describe("postgresSinkConfig", () => {
        const { connectorClass, config } = postgresSink({ prefix: "tandem", topics: ["t.a", "t.b"], postgres });

        it("is the Debezium JDBC sink", () => {
            assert.equal(connectorClass, JDBC_SINK_CLASS);
        });

        it("upserts and deletes by the record key into the source table's name", () => {
            assert.equal(config["insert.mode"], "upsert");
            assert.equal(config["delete.enabled"], "true");
            assert.equal(config["primary.key.mode"], "record_key");
            assert.equal(config["collection.name.format"], "public.${source.table}");
        });

        it("points at the database and topics, without a password", () => {
            assert.equal(config["connection.url"], "jdbc:postgresql://127.0.0.1:15432/app");
            assert.equal(config.topics, "t.a,t.b");
            assert.equal(config["connection.password"], undefined);
        });
    });
});
