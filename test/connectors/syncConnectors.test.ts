import * as assert from "node:assert/strict";
import { TableDef } from "../../core/model";
import {
    booleanColumns,
    maxRequestBytes,
    mysqlSyncSource,
    postgresSyncSource,
    sourceTransforms,
    topicCreationRules,
} from "../../connectors/syncConnectors";
import { syncTopics } from "../../core/topics";
import { mysqlSinkUrl, mysqlSyncSink, postgresSinkUrl, postgresSyncSink, QUARANTINING_SINK_CLASS } from "../../connectors/syncSinks";

const mysql = { flavor: "mariadb" as const, host: "127.0.0.1", port: 13306, database: "app", user: "tandem_cdc", serverId: 184054 };
const postgres = { host: "127.0.0.1", port: 15432, database: "app", schema: "public", user: "tandem_cdc" };
const MB = 1024 * 1024;
const table = (name: string, columns: TableDef["columns"] = [{ name: "id", type: "int(11)", nullable: false }]): TableDef => ({
    name,
    primaryKey: ["id"],
    columns,
});
const orders = table("orders");

describe("syncConnectors", () => {
    it("names row and delete topics per direction, as Debezium sanitizes them", () => {
        assert.deepEqual(syncTopics("tandem", "mysql-to-postgres", "app", ["orders"]), { rows: ["tandem.mysql-to-postgres.app.orders"] });
        assert.deepEqual(syncTopics("tandem", "mysql-to-postgres", "app", ["order items", "order_items"]).rows, [
            "tandem.mysql-to-postgres.app.order_items",
        ]);
    });

    it("drops echoes at the source, keeps deletes on the table's topic, takes the table name along, quarantines oversized rows", () => {
        const transforms = sourceTransforms("tandem", "postgres", "public", ["orders", "order items"], 8 * MB);
        assert.deepEqual(
            [
                transforms["transforms.echo.type"],
                transforms["transforms.echo.origin.field"],
                transforms["transforms.echo.side"],
                transforms["transforms.echo.deleting.value"],
            ],
            ["dev.tandem.connect.transforms.DropEchoes", "_tandem_origin", "postgres", "deleting"],
        );
        assert.equal(
            transforms["transforms.echo.topic.regex"],
            "(tandem\\.postgres-to-mysql\\.public\\.orders|tandem\\.postgres-to-mysql\\.public\\.order_items)",
        );
        assert.equal(transforms["transforms.flatten.add.headers"], "source.table");
        assert.equal(transforms["transforms.uncarriable.max.bytes"], String(8 * MB));
        assert.equal(transforms["transforms.uncarriable.quarantine.topic"], "tandem.dlq.postgres-to-mysql");
        assert.equal(transforms.transforms, "echo,flatten,uncarriable");
        assert.equal(sourceTransforms("tandem", "mysql", "app", ["orders"], MB).transforms, "echo,unescape,flatten,uncarriable");
    });

    it("snapshots from MySQL/MariaDB only, with exact include lists, the legacy value converter and large requests", () => {
        const source = mysqlSyncSource({
            prefix: "tandem",
            kafkaBootstrapServers: "k:1",
            tables: [orders, table("Odd, Name")],
            mysql,
            initialLoad: "snapshot",
            signalTable: "tandem_signal",
            booleanColumns: [{ table: "orders", column: "paid" }],
            maxRowBytes: 8 * MB,
        });
        assert.equal(source.config["snapshot.mode"], "initial");
        assert.equal(source.config["signal.data.collection"], "app.tandem_signal");
        assert.equal(source.config["table.include.list"], "(?-i)app\\.orders,(?-i)app\\.Odd\\x{2c}\\x{20}Name,(?-i)app\\.tandem_signal");
        assert.equal(source.config.converters, "legacy");
        assert.equal(source.config["legacy.boolean.columns"], "app\\.orders\\.paid");
        assert.equal(source.config["boolean.type"], undefined);
        assert.equal(source.config["producer.override.max.request.size"], String(maxRequestBytes(8 * MB)));
        assert.equal(source.config["topic.creation.default.max.message.bytes"], String(maxRequestBytes(8 * MB)));
        const incremental = mysqlSyncSource({
            prefix: "tandem",
            kafkaBootstrapServers: "k:1",
            tables: [orders],
            mysql,
            initialLoad: "incremental",
            signalTable: "tandem_signal",
            booleanColumns: [],
            maxRowBytes: MB,
        });
        assert.equal(incremental.config["snapshot.mode"], "no_data");
        assert.equal(source.config["tombstones.on.delete"], "false");
    });

    it("never carries columns both databases compute", () => {
        const computed = table("t", [
            { name: "id", type: "int(11)", nullable: false },
            { name: "total", type: "int(11)", nullable: true, computed: "virtual" },
        ]);
        const source = mysqlSyncSource({
            prefix: "tandem",
            kafkaBootstrapServers: "k:1",
            tables: [computed],
            mysql,
            initialLoad: "snapshot",
            signalTable: "s",
            booleanColumns: [],
            maxRowBytes: MB,
        });
        assert.equal(source.config["column.exclude.list"], "(?-i)app\\.t\\.total");
        const pg = postgresSyncSource({
            prefix: "tandem",
            tables: [computed],
            postgres,
            slot: "tandem_slot",
            publication: "tandem_pub",
            heartbeatTable: "tandem_heartbeat",
            maxRowBytes: MB,
        });
        assert.equal(pg.config["column.exclude.list"], "(?-i)public\\.t\\.total");
    });

    it("streams PostgreSQL with its own slot and our publication", () => {
        const pg = postgresSyncSource({
            prefix: "tandem",
            tables: [orders],
            postgres,
            slot: "tandem_slot",
            publication: "tandem_pub",
            heartbeatTable: "tandem_heartbeat",
            maxRowBytes: MB,
        });
        assert.equal(pg.config["snapshot.mode"], "no_data");
        assert.equal(pg.config["publication.autocreate.mode"], "disabled");
        assert.equal(pg.config["slot.name"], "tandem_slot");
        assert.equal(pg.config["table.include.list"], "(?-i)public\\.orders,(?-i)public\\.tandem_heartbeat");
        assert.equal(pg.config["skip.messages.without.change"], "true");
        assert.match(pg.config["heartbeat.action.query"], /^INSERT INTO "public"\."tandem_heartbeat"/);
    });

    it("finds the TINYINT(1) columns that face a PostgreSQL boolean", () => {
        const my = table("t", [
            { name: "id", type: "int(11)", nullable: false },
            { name: "a", type: "tinyint(1)", nullable: true },
            { name: "b", type: "tinyint(1)", nullable: true },
        ]);
        const pg = table("t", [
            { name: "id", type: "integer", nullable: false },
            { name: "a", type: "boolean", nullable: true },
            { name: "b", type: "smallint", nullable: true },
        ]);
        assert.deepEqual(booleanColumns([my], [pg]), [{ table: "t", column: "a" }]);
    });

    it("sinks quarantine refused rows, route by the source table's exact name and quote every identifier", () => {
        const toPg = postgresSyncSink({
            prefix: "tandem",
            sourceNamespace: "app",
            tables: ["orders", "x".repeat(60)],
            postgres: { ...postgres, user: "tandem_sync" },
            maxRowBytes: MB,
        });
        assert.equal(toPg.connectorClass, QUARANTINING_SINK_CLASS);
        assert.equal(toPg.config.topics.split(",").length, 2);
        assert.equal(toPg.config["quote.identifiers"], "true");
        assert.equal(toPg.config["collection.naming.strategy"], "dev.tandem.connect.sink.ExactTopicNaming");
        assert.equal(toPg.config["transforms.route.namespace"], "public");
        assert.equal(toPg.config["transforms.route.deleted.field"], "__deleted");
        assert.deepEqual(Object.keys(JSON.parse(toPg.config["transforms.route.tombstone.names"])), ["x".repeat(60)]);
        assert.equal(toPg.config["delete.enabled"], "false");
        assert.equal(toPg.config["errors.deadletterqueue.topic.name"], "tandem.dlq.mysql-to-postgres");
        const toMysql = mysqlSyncSink({
            prefix: "tandem",
            sourceNamespace: "public",
            tables: ["orders"],
            mysql: { ...mysql, user: "tandem_sync" },
            maxRowBytes: MB,
        });
        assert.equal(toMysql.config["transforms.route.namespace"], "");
        assert.equal(toMysql.config["producer.override.max.request.size"], String(maxRequestBytes(MB)));
    });

    it("opens sink sessions without foreign-key checks, with durable commits on PostgreSQL, strict on MySQL", () => {
        assert.equal(
            postgresSinkUrl(postgres),
            "jdbc:postgresql://127.0.0.1:15432/app?stringtype=unspecified&options=-c%20session_replication_role%3Dreplica%20-c%20synchronous_commit%3Don",
        );
        assert.equal(
            mysqlSinkUrl(mysql),
            "jdbc:mariadb://127.0.0.1:13306/app?sessionVariables=foreign_key_checks=0,sql_mode='STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'",
        );
    });

    it("gives sources topic.creation rules: the broker's defaults unless the environment sizes them", () => {
        assert.deepEqual(topicCreationRules(), {
            "topic.creation.default.replication.factor": "-1",
            "topic.creation.default.partitions": "-1",
            "topic.creation.default.cleanup.policy": "delete",
        });
        assert.equal(
            topicCreationRules({ replicationFactor: 3, partitions: 6, minInsyncReplicas: 2 })["topic.creation.default.min.insync.replicas"],
            "2",
        );
    });
});
