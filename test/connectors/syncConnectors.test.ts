import * as assert from "node:assert/strict";
import { mysqlSyncSink, mysqlSyncSource, postgresSyncSink, postgresSyncSource, sourceTransforms, syncTopics, topicCreationRules } from "../../connectors/syncConnectors";

const mysql = { flavor: "mariadb" as const, host: "127.0.0.1", port: 13306, database: "app", user: "tandem_cdc", serverId: 184054 };
const postgres = { host: "127.0.0.1", port: 15432, database: "app", schema: "public", user: "tandem_cdc" };

describe("syncConnectors", () => {
    it("names row and delete topics per direction", () => {
        assert.deepEqual(syncTopics("tandem", "mysql-to-postgres", "app", ["orders"]), {
            rows: ["tandem.mysql-to-postgres.app.orders"],
            deletes: ["tandem.mysql-to-postgres-deletes.app.orders"],
        });
    });

    it("drops echoes at the source: keeps only its own application's writes and non-sync deletes", () => {
        const transforms = sourceTransforms("tandem", "postgres", "public", ["orders", "order_items"]);
        assert.equal(transforms["transforms.echo.condition"], "value.op == 'd' ? value.before._tandem_origin != 'deleting' : (value.after != null && value.after._tandem_origin == 'postgres')");
        assert.equal(transforms["transforms.echo.topic.regex"], "tandem\\.postgres-to-mysql\\.public\\.(orders|order_items)");
        assert.equal(transforms["transforms.flatten.delete.tombstone.handling.mode"], "rewrite");
        assert.match(transforms["transforms.deletes.topic.expression"], /topic\.replace\('tandem\.postgres-to-mysql\.', 'tandem\.postgres-to-mysql-deletes\.'\)/);
    });

    it("snapshots from MySQL/MariaDB only; PostgreSQL streams with its own slot and our publication", () => {
        const source = mysqlSyncSource({ prefix: "tandem", kafkaBootstrapServers: "k:1", tables: ["orders"], mysql, initialLoad: "snapshot", signalTable: "tandem_signal" });
        assert.equal(source.config["snapshot.mode"], "initial");
        assert.equal(source.config["signal.data.collection"], "app.tandem_signal");
        assert.equal(source.config["table.include.list"], "app\\.orders,app\\.tandem_signal");
        const incremental = mysqlSyncSource({ prefix: "tandem", kafkaBootstrapServers: "k:1", tables: ["orders"], mysql, initialLoad: "incremental", signalTable: "tandem_signal" });
        assert.equal(incremental.config["snapshot.mode"], "no_data");
        assert.equal(source.config["tombstones.on.delete"], "false");
        const pg = postgresSyncSource({ prefix: "tandem", tables: ["orders"], postgres, slot: "tandem_slot", publication: "tandem_pub", heartbeatTable: "tandem_heartbeat" });
        assert.equal(pg.config["snapshot.mode"], "no_data");
        assert.equal(pg.config["publication.autocreate.mode"], "disabled");
        assert.equal(pg.config["slot.name"], "tandem_slot");
        assert.equal(pg.config["table.include.list"], "public\\.orders,public\\.tandem_heartbeat");
        assert.equal(pg.config["skip.messages.without.change"], "true");
    });

    it("sinks upsert rows into tables and deletes into tombstone tables, with a dead-letter topic", () => {
        const toPg = postgresSyncSink({ prefix: "tandem", sourceNamespace: "app", tables: ["orders"], postgres: { ...postgres, user: "tandem_sync" } });
        assert.equal(toPg.config.topics, "tandem.mysql-to-postgres.app.orders,tandem.mysql-to-postgres-deletes.app.orders");
        assert.equal(toPg.config["transforms.rows.regex"], "tandem\\.mysql-to-postgres\\.[^.]+\\.(.+)");
        assert.equal(toPg.config["transforms.tombstones.replacement"], "_tandem_del__$1");
        assert.equal(toPg.config["delete.enabled"], "false");
        assert.equal(toPg.config["errors.deadletterqueue.topic.name"], "tandem.dlq.mysql-to-postgres");
        assert.match(toPg.config["connection.url"], /stringtype=unspecified/);
        const toMysql = mysqlSyncSink({ prefix: "tandem", sourceNamespace: "public", tables: ["orders"], mysql: { ...mysql, user: "tandem_sync" } });
        assert.equal(toMysql.config["connection.url"], "jdbc:mariadb://127.0.0.1:13306/app");
        assert.equal(toMysql.config["collection.name.format"], "${topic}");
    });

    it("gives sources topic.creation rules: the broker's defaults unless the environment sizes them", () => {
        assert.deepEqual(topicCreationRules(), {
            "topic.creation.default.replication.factor": "-1",
            "topic.creation.default.partitions": "-1",
            "topic.creation.default.cleanup.policy": "delete",
        });
        assert.equal(topicCreationRules({ replicationFactor: 3, partitions: 6, minInsyncReplicas: 2 })["topic.creation.default.min.insync.replicas"], "2");
    });
});
