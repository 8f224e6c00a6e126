import * as assert from "node:assert/strict";
import { TableDef } from "../../core/model";
import { binlogRetentionSql, q, mysqlAccountGrants, mysqlIncrementalSnapshotSignal, mysqlTableGrants, mysqlTableRevokes, mysqlTableSetup, mysqlTableTeardown, mysqlTriggerName } from "../../sql/mysqlSql";
import { mysqlCascadesByParent, postgresAccountGrants, postgresCommonSetup, postgresPublication, postgresPublicationTeardown, postgresTableSetup, postgresTableTeardown } from "../../sql/postgresSql";
import { incomingWinsCondition } from "../../sql/conflictRule";

const table: TableDef = {
    name: "orders",
    primaryKey: ["id"],
    columns: [
        { name: "id", type: "int(11)", nullable: false },
        { name: "note", type: "varchar(20)", nullable: true },
        { name: "payload", type: "blob", nullable: true },
    ],
};
const lww = { conflicts: "last-writer-wins" as const, tieWinner: "postgres" as const };
const mysqlOptions = { database: "app", syncUser: "tandem_sync", policy: lww, flavor: "mariadb" as const, conflictsTable: "tandem_conflicts" };
const pgOptions = { schema: "public", syncUser: "tandem_sync", cdcUser: "tandem_cdc", policy: lww, publication: "tandem_pub", heartbeatTable: "tandem_heartbeat", conflictsTable: "tandem_conflicts", functionPrefix: "tandem" };

describe("sync SQL builders", () => {
    describe("MySQL/MariaDB", () => {
        const sql = mysqlTableSetup(table, mysqlOptions).join("\n");

        it("is the same whatever columns the catalog already has (no perpetual diff)", () => {
            const withBookkeeping = { ...table, columns: [...table.columns, { name: "_tandem_origin", type: "varchar(10)", nullable: false }] };
            assert.deepEqual(mysqlTableSetup(withBookkeeping, mysqlOptions), mysqlTableSetup(table, mysqlOptions));
        });

        it("tells the sync's session apart with SESSION_USER(), not the trigger definer's CURRENT_USER()", () => {
            assert.match(sql, /SUBSTRING_INDEX\(SESSION_USER\(\), '@', 1\) = 'tandem_sync'/);
            assert.doesNotMatch(sql, /CURRENT_USER/);
        });

        it("neutralizes a losing version column by column (an unchanged row is not logged) and logs the conflict", () => {
            assert.match(sql, /SET NEW\.`id` = OLD\.`id`, NEW\.`note` = OLD\.`note`, NEW\.`payload` = OLD\.`payload`, NEW\.`_tandem_origin` = OLD\.`_tandem_origin`/);
            assert.match(sql, /INSERT INTO `tandem_conflicts`/);
            assert.match(sql, /HEX\(OLD\.`payload`\)/, "binary columns are logged as hex");
        });

        it("ignores a version it holds or replaced already (replays after a crash are no conflicts)", () => {
            assert.match(sql, /IF \(NEW\.`_tandem_origin` = OLD\.`_tandem_origin` AND NEW\.`_tandem_version` <= OLD\.`_tandem_version`\) OR NEW\.`_tandem_version` = OLD\.`_tandem_base` THEN\s+-- A version held or replaced already[^\n]*\n\s+SET NEW\.`id` = OLD\.`id`/);
        });

        it("refuses an upsert that lands on another row through a unique key, instead of overwriting it", () => {
            assert.match(sql, /SET @tandem_upsert = 1, @tandem_upsert_k0 = NEW\.`id`;/);
            assert.match(sql, /IF upsert AND NOT \(OLD\.`id` <=> @tandem_upsert_k0\) THEN\s+SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'tandem: collides on a unique key with another row of orders';/);
            assert.match(sql, /AFTER INSERT ON `orders` FOR EACH ROW\nBEGIN\n  IF SUBSTRING_INDEX\(SESSION_USER\(\), '@', 1\) = 'tandem_sync' THEN\n    SET @tandem_upsert = NULL;/);
            assert.doesNotMatch(sql, /IF applied AND upsert/, "an exact key keeps its spelling anyway");
        });

        it("brings a case-insensitive key's spelling along with the version applied", () => {
            const loose = mysqlTableSetup({ name: "codes", primaryKey: ["code"], columns: [{ name: "code", type: "varchar(20)", nullable: false, collation: "utf8mb4_general_ci" }] }, mysqlOptions).join("\n");
            assert.match(loose, /IF applied AND upsert THEN\n      SET NEW\.`code` = @tandem_upsert_k0;/);
            assert.match(loose, /`code` varchar\(20\) COLLATE utf8mb4_general_ci NOT NULL/, "the tombstone key compares the same way");
        });

        it("restores zero dates of NOT NULL date columns written back as NULL, and never assigns generated columns", () => {
            const legacy = mysqlTableSetup({ ...table, columns: [...table.columns, { name: "shipped", type: "datetime", nullable: false }, { name: "total", type: "int(11)", nullable: true, computed: "virtual" }] }, mysqlOptions).join("\n");
            assert.match(legacy, /IF NEW\.`shipped` IS NULL THEN SET NEW\.`shipped` = '0000-00-00 00:00:00'; END IF;/);
            assert.doesNotMatch(legacy, /NEW\.`total` = OLD\.`total`/);
        });

        it("quotes every identifier, whatever it holds", () => {
            const odd = mysqlTableSetup({ name: "order`s ü", primaryKey: ["key"], columns: [{ name: "key", type: "int(11)", nullable: false }, { name: "a'b", type: "int(11)", nullable: true }] }, mysqlOptions).join("\n");
            assert.match(odd, /ALTER TABLE `order``s ü` ADD COLUMN IF NOT EXISTS `_tandem_origin`/);
            assert.match(odd, /CREATE TABLE IF NOT EXISTS `_tandem_del__order``s ü` \(`key` int\(11\) NOT NULL/);
            assert.match(odd, /JSON_OBJECT\('key', OLD\.`key`, 'a''b', OLD\.`a'b`/);
        });

        it("applies the other side's deletes only to the version deleted, marking it first", () => {
            assert.match(sql, /UPDATE `orders` SET `_tandem_origin` = 'deleting' WHERE `id` = NEW\.`id` AND `_tandem_version` = NEW\.`_tandem_version`;\s+DELETE FROM `orders` WHERE `id` = NEW\.`id` AND `_tandem_origin` = 'deleting';/);
        });

        it("uses MySQL 8 compatible DDL with tolerated errors for the mysql flavor", () => {
            const mysql8 = mysqlTableSetup(table, { ...mysqlOptions, flavor: "mysql" });
            assert.ok(mysql8.some((s) => s.startsWith("/* tandem:tolerate 1060 */ ALTER TABLE `orders` ADD COLUMN `_tandem_origin`")));
            assert.ok(mysqlTableTeardown(table, "mysql").some((s) => s.startsWith("/* tandem:tolerate 1091 */ ALTER TABLE `orders` DROP COLUMN")));
        });

        it("keeps trigger names within 64 characters, stable and distinct", () => {
            const long = "t".repeat(64);
            assert.ok(Buffer.byteLength(mysqlTriggerName("bu", long)) <= 63);
            assert.equal(mysqlTriggerName("bu", long), mysqlTriggerName("bu", long));
            assert.notEqual(mysqlTriggerName("bu", long), mysqlTriggerName("bu", `${long.slice(1)}u`));
        });

        it("decides conflicts the same way for every policy", () => {
            assert.equal(incomingWinsCondition({ conflicts: "mysql-wins", tieWinner: "postgres" }, "NEW", "OLD", q), "NEW.`_tandem_origin` = 'mysql'");
            assert.match(incomingWinsCondition(lww, "NEW", "OLD", q), /NEW\.`_tandem_version` > OLD\.`_tandem_version` OR \(NEW\.`_tandem_version` = OLD\.`_tandem_version` AND NEW\.`_tandem_origin` = 'postgres'\)/);
            // PostgreSQL's trigger applies the very same rule, in its own quoting.
            const mysqlRule = incomingWinsCondition(lww, "NEW", "OLD", q).replace(/`/g, '"');
            assert.ok(postgresCommonSetup(pgOptions).join("\n").includes(`incoming_wins := ${mysqlRule};`));
        });

        it("grants the reader what Debezium needs and the writer only the synced and tombstone tables", () => {
            const accounts = { database: "app", cdcUser: "c", syncUser: "s", signalTable: "t_signal", host: "%" };
            assert.deepEqual(mysqlAccountGrants(accounts), [
                "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'c'@'%'",
                "GRANT INSERT, UPDATE, DELETE ON `app`.`t_signal` TO 'c'@'%'",
            ]);
            assert.deepEqual(mysqlTableGrants(accounts, "orders"), [
                "GRANT SELECT, INSERT, UPDATE, DELETE, ALTER ON `app`.`orders` TO 's'@'%'",
                "GRANT SELECT, INSERT, UPDATE, DELETE, ALTER ON `app`.`_tandem_del__orders` TO 's'@'%'",
            ]);
            assert.deepEqual(mysqlTableRevokes(accounts, "orders")[0], "/* tandem:tolerate 1141,1147 */ REVOKE ALL PRIVILEGES ON `app`.`orders` FROM 's'@'%'");
        });
    });

    it("requests an incremental snapshot of tables named the way Debezium reads them verbatim", () => {
        assert.equal(
            mysqlIncrementalSnapshotSignal("t_signal", "app", ["orders", 'we"ird.name'], "req-1"),
            `INSERT IGNORE INTO \`t_signal\` (id, type, data) VALUES ('req-1', 'execute-snapshot', '{"data-collections":["\\\\"app\\\\".\\\\"orders\\\\"","\\\\"app\\\\".\\\\"we\\\\"\\\\"ird.name\\\\""],"type":"incremental"}')`,
        );
    });

    describe("PostgreSQL", () => {
        it("skips a losing version (RETURN NULL) and identifies the sync by session_user", () => {
            const common = postgresCommonSetup(pgOptions).join("\n");
            assert.match(common, /IF session_user <> 'tandem_sync' THEN/);
            assert.match(common, /RETURN NULL; -- skip the losing version/);
            assert.match(common, /CREATE OR REPLACE FUNCTION "public"\."tandem_before_write"\(\)/);
        });

        it("sets REPLICA IDENTITY FULL and per-table triggers passing the key columns, firing in the sink's replica sessions too", () => {
            const sql = postgresTableSetup({ ...table, columns: table.columns.map((c) => ({ ...c, type: c.name === "payload" ? "bytea" : c.type })) }, pgOptions).join("\n");
            assert.match(sql, /ALTER TABLE "public"\."orders" REPLICA IDENTITY FULL/);
            assert.match(sql, /EXECUTE FUNCTION "public"\."tandem_before_write"\('exact', 'id'\)/);
            assert.match(sql, /CREATE TABLE IF NOT EXISTS "public"\."_tandem_del__orders" \("id" int\(11\) NOT NULL, "_tandem_origin" varchar\(10\), "_tandem_version" bigint, "_tandem_base" bigint, PRIMARY KEY \("id"\)\)/);
            assert.match(sql, /ALTER TABLE "public"\."orders" ENABLE ALWAYS TRIGGER "_tandem_before_write"/);
            assert.match(sql, /ALTER TABLE "public"\."_tandem_del__orders" ENABLE ALWAYS TRIGGER "_tandem_apply_delete"/);
            assert.match(sql, /GRANT SELECT, INSERT, UPDATE, DELETE ON "public"\."orders", "public"\."_tandem_del__orders" TO "tandem_sync"/);
        });

        it("ignores replays, and lets writes of a repeated MySQL cascade keep their bookkeeping", () => {
            const common = postgresCommonSetup(pgOptions).join("\n");
            assert.match(common, /IF \(NEW\."_tandem_origin" = OLD\."_tandem_origin" AND NEW\."_tandem_version" <= OLD\."_tandem_version"\) OR NEW\."_tandem_version" = OLD\."_tandem_base" THEN\s+RETURN NULL;/);
            assert.match(common, /current_setting\('tandem\.cascading', true\) = 'on'/);
        });

        it("repeats MySQL's unlogged ON DELETE actions on the children when the parent's delete arrives", () => {
            const cascades = mysqlCascadesByParent([
                { name: "orders", primaryKey: ["id"], columns: [] },
                { name: "items", primaryKey: ["id"], columns: [], foreignKeys: [{ name: "f", columns: ["order_id"], referencedTable: "orders", referencedColumns: ["id"], onDelete: "CASCADE", onUpdate: "RESTRICT" }] },
                { name: "notes", primaryKey: ["id"], columns: [], foreignKeys: [{ name: "g", columns: ["order_id"], referencedTable: "orders", referencedColumns: ["id"], onDelete: "SET NULL", onUpdate: "RESTRICT" }] },
                { name: "logs", primaryKey: ["id"], columns: [], foreignKeys: [{ name: "h", columns: ["order_id"], referencedTable: "orders", referencedColumns: ["id"], onDelete: "RESTRICT", onUpdate: "RESTRICT" }] },
            ]);
            assert.deepEqual([...cascades.keys()], ["orders"]);
            const sql = postgresTableSetup(table, pgOptions, cascades.get("orders")).join("\n");
            assert.match(sql, /IF session_user <> 'tandem_sync' THEN\s+RETURN NULL;\s+END IF;\s+DELETE FROM "public"\."items" WHERE "order_id" = OLD\."id";/);
            assert.match(sql, /PERFORM set_config\('tandem\.cascading', 'on', true\);\s+UPDATE "public"\."notes" SET "order_id" = NULL WHERE "order_id" = OLD\."id";/);
            assert.match(sql, /AFTER DELETE ON "public"\."orders" FOR EACH ROW EXECUTE FUNCTION "public"\."tandem_cascade__orders"\(\)/);
            assert.match(postgresTableSetup(table, pgOptions).join("\n"), /DROP TRIGGER IF EXISTS "_tandem_mysql_cascade" ON "public"\."orders"/);
            assert.match(postgresTableTeardown("orders", pgOptions).join("\n"), /DROP FUNCTION IF EXISTS "public"\."tandem_cascade__orders"\(\)/);
        });

        it("lets the sync role set session_replication_role (PostgreSQL 15+)", () => {
            assert.match(postgresAccountGrants(pgOptions).join("\n"), /GRANT SET ON PARAMETER session_replication_role TO "tandem_sync"/);
        });

        it("publishes exactly the synced tables and the heartbeat table", () => {
            assert.match(postgresPublication(["orders"], pgOptions)[0], /CREATE PUBLICATION "tandem_pub" FOR TABLE "public"\."orders", "public"\."tandem_heartbeat"/);
        });

        it("drops the slot only once the deleted source lets go of it, ending a lingering holder, failing if it stays", () => {
            const [slot, publication] = postgresPublicationTeardown("o'pub", "o'slot");
            assert.match(slot, /FOR attempt IN 1\.\.60 LOOP/);
            assert.match(slot, /IF attempt = 40 THEN PERFORM pg_terminate_backend\(holder\)/);
            assert.match(slot, /RAISE EXCEPTION 'replication slot % is still in use by process %', 'o''slot', holder/);
            assert.match(slot, /PERFORM pg_drop_replication_slot\(slot_name\) FROM pg_replication_slots WHERE slot_name = 'o''slot'/);
            assert.equal(publication, `DROP PUBLICATION IF EXISTS "o'pub"`);
        });
    });

    it("keeps at least the binlog retention asked for: RDS's procedure, or a raise-only SET elsewhere", () => {
        assert.deepEqual(binlogRetentionSql("mysql", "rds", 168), ["CALL mysql.rds_set_configuration('binlog retention hours', 168)"]);
        const [mariadb] = binlogRetentionSql("mariadb", "self-managed", 24);
        assert.match(mariadb, /^SET GLOBAL binlog_expire_logs_seconds = IF\(@@GLOBAL\.binlog_expire_logs_seconds = 0 OR @@GLOBAL\.binlog_expire_logs_seconds >= 86400, @@GLOBAL\.binlog_expire_logs_seconds, 86400\)$/);
        assert.match(binlogRetentionSql("mysql", "self-managed", 24)[0], /^SET PERSIST binlog_expire_logs_seconds = /);
        assert.throws(() => binlogRetentionSql("mysql", "rds", 0), /whole number of hours/);
    });
});
