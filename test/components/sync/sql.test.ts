import * as assert from "node:assert/strict";
import { TableDef } from "../../../components/sync/model";
import { binlogRetentionSql, incomingWinsCondition, mysqlIncrementalSnapshotSignal, mysqlTableSetup, mysqlTableTeardown, mysqlTriggerName, mysqlUserGrants } from "../../../components/sync/mysqlSql";
import { postgresCommonSetup, postgresPublication, postgresTableSetup } from "../../../components/sync/postgresSql";

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
            assert.ok(mysqlTriggerName("bu", long).length <= 64);
            assert.equal(mysqlTriggerName("bu", long), mysqlTriggerName("bu", long));
            assert.notEqual(mysqlTriggerName("bu", long), mysqlTriggerName("bu", `${long.slice(1)}u`));
        });

        it("decides conflicts the same way for every policy", () => {
            assert.equal(incomingWinsCondition({ conflicts: "mysql-wins", tieWinner: "postgres" }, "NEW", "OLD"), "NEW.`_tandem_origin` = 'mysql'");
            assert.match(incomingWinsCondition(lww, "NEW", "OLD"), /NEW\.`_tandem_version` > OLD\.`_tandem_version` OR \(NEW\.`_tandem_version` = OLD\.`_tandem_version` AND NEW\.`_tandem_origin` = 'postgres'\)/);
        });

        it("grants the reader what Debezium needs and the writer only the synced and tombstone tables", () => {
            const grants = mysqlUserGrants({ database: "app", cdcUser: "c", syncUser: "s", tables: ["orders"], signalTable: "t_signal", host: "%" });
            assert.deepEqual(grants, [
                "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'c'@'%'",
                "GRANT INSERT, UPDATE, DELETE ON `app`.`t_signal` TO 'c'@'%'",
                "GRANT SELECT, INSERT, UPDATE, DELETE, ALTER ON `app`.`orders` TO 's'@'%'",
                "GRANT SELECT, INSERT, UPDATE, DELETE, ALTER ON `app`.`_tandem_del__orders` TO 's'@'%'",
            ]);
        });
    });

    it("requests one incremental snapshot per table set (stable signal id)", () => {
        const a = mysqlIncrementalSnapshotSignal("t_signal", "app", ["orders", "users"]);
        assert.equal(a, mysqlIncrementalSnapshotSignal("t_signal", "app", ["orders", "users"]));
        assert.notEqual(a, mysqlIncrementalSnapshotSignal("t_signal", "app", ["orders"]));
        assert.match(a, /^INSERT IGNORE INTO `t_signal` \(id, type, data\) VALUES \('initial-[0-9a-f]{32}', 'execute-snapshot', '\{"data-collections":\["app\.orders","app\.users"\],"type":"incremental"\}'\)$/);
    });

    describe("PostgreSQL", () => {
        it("skips a losing version (RETURN NULL) and identifies the sync by session_user", () => {
            const common = postgresCommonSetup(pgOptions).join("\n");
            assert.match(common, /IF session_user <> 'tandem_sync' THEN/);
            assert.match(common, /RETURN NULL; -- skip the losing version/);
            assert.match(common, /CREATE OR REPLACE FUNCTION "public"\."tandem_before_write"\(\)/);
        });

        it("sets REPLICA IDENTITY FULL and per-table triggers passing the key columns", () => {
            const sql = postgresTableSetup({ ...table, columns: table.columns.map((c) => ({ ...c, type: c.name === "payload" ? "bytea" : c.type })) }, pgOptions).join("\n");
            assert.match(sql, /ALTER TABLE "public"\."orders" REPLICA IDENTITY FULL/);
            assert.match(sql, /EXECUTE FUNCTION "public"\."tandem_before_write"\('id'\)/);
            assert.match(sql, /CREATE TABLE IF NOT EXISTS "public"\."_tandem_del__orders"/);
        });

        it("publishes exactly the synced tables and the heartbeat table", () => {
            assert.match(postgresPublication(["orders"], pgOptions)[0], /CREATE PUBLICATION "tandem_pub" FOR TABLE "public"\."orders", "public"\."tandem_heartbeat"/);
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
