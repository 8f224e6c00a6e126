import * as assert from "node:assert/strict";
import {
    binlogRetentionSql,
    mysqlIncrementalSnapshotSignal,
    mysqlTableSetup,
    mysqlTableTeardown,
    mysqlTriggerName,
} from "../../sql/mysqlSql";
import { mysqlOptions, table } from "./fixtures";

describe("MySQL/MariaDB SQL builders", () => {
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
        assert.match(
            sql,
            /SET NEW\.`id` = OLD\.`id`, NEW\.`note` = OLD\.`note`, NEW\.`payload` = OLD\.`payload`, NEW\.`_tandem_origin` = OLD\.`_tandem_origin`/,
        );
        assert.match(sql, /INSERT INTO `tandem_conflicts`/);
        assert.match(sql, /HEX\(OLD\.`payload`\)/, "binary columns are logged as hex");
    });

    it("ignores a version it holds or replaced already (replays after a crash are no conflicts)", () => {
        assert.match(
            sql,
            /IF \(NEW\.`_tandem_origin` = OLD\.`_tandem_origin` AND NEW\.`_tandem_version` <= OLD\.`_tandem_version`\) OR NEW\.`_tandem_version` = OLD\.`_tandem_base` THEN\s+-- A version held or replaced already[^\n]*\n\s+SET NEW\.`id` = OLD\.`id`/,
        );
    });

    it("refuses an upsert that lands on another row through a unique key, instead of overwriting it", () => {
        assert.match(sql, /SET @tandem_upsert = 1, @tandem_upsert_k0 = NEW\.`id`;/);
        assert.match(
            sql,
            /IF upsert AND NOT \(OLD\.`id` <=> @tandem_upsert_k0\) THEN\s+SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'tandem: collides on a unique key with another row of orders';/,
        );
        assert.match(
            sql,
            /AFTER INSERT ON `orders` FOR EACH ROW\nBEGIN\n {2}IF SUBSTRING_INDEX\(SESSION_USER\(\), '@', 1\) = 'tandem_sync' THEN\n {4}SET @tandem_upsert = NULL;/,
        );
        assert.doesNotMatch(sql, /IF applied AND upsert/, "an exact key keeps its spelling anyway");
    });

    it("brings a case-insensitive key's spelling along with the version applied", () => {
        const loose = mysqlTableSetup(
            {
                name: "codes",
                primaryKey: ["code"],
                columns: [{ name: "code", type: "varchar(20)", nullable: false, collation: "utf8mb4_general_ci" }],
            },
            mysqlOptions,
        ).join("\n");
        assert.match(loose, /IF applied AND upsert THEN\n {6}SET NEW\.`code` = @tandem_upsert_k0;/);
        assert.match(loose, /`code` varchar\(20\) COLLATE utf8mb4_general_ci NOT NULL/, "the tombstone key compares the same way");
    });

    it("restores zero dates of NOT NULL date columns written back as NULL, and never assigns generated columns", () => {
        const legacy = mysqlTableSetup(
            {
                ...table,
                columns: [
                    ...table.columns,
                    { name: "shipped", type: "datetime", nullable: false },
                    { name: "total", type: "int(11)", nullable: true, computed: "virtual" },
                ],
            },
            mysqlOptions,
        ).join("\n");
        assert.match(legacy, /IF NEW\.`shipped` IS NULL THEN SET NEW\.`shipped` = '0000-00-00 00:00:00'; END IF;/);
        assert.doesNotMatch(legacy, /NEW\.`total` = OLD\.`total`/);
    });

    it("quotes every identifier, whatever it holds", () => {
        const odd = mysqlTableSetup(
            {
                name: "order`s ü",
                primaryKey: ["key"],
                columns: [
                    { name: "key", type: "int(11)", nullable: false },
                    { name: "a'b", type: "int(11)", nullable: true },
                ],
            },
            mysqlOptions,
        ).join("\n");
        assert.match(odd, /ALTER TABLE `order``s ü` ADD COLUMN IF NOT EXISTS `_tandem_origin`/);
        assert.match(odd, /CREATE TABLE IF NOT EXISTS `_tandem_del__order``s ü` \(`key` int\(11\) NOT NULL/);
        assert.match(odd, /JSON_OBJECT\('key', OLD\.`key`, 'a''b', OLD\.`a'b`/);
    });

    it("applies the other side's deletes only to the version deleted, marking it first", () => {
        assert.match(
            sql,
            /UPDATE `orders` SET `_tandem_origin` = 'deleting' WHERE `id` = NEW\.`id` AND `_tandem_version` = NEW\.`_tandem_version`;\s+DELETE FROM `orders` WHERE `id` = NEW\.`id` AND `_tandem_origin` = 'deleting';/,
        );
    });

    it("uses MySQL 8 compatible DDL with tolerated errors for the mysql flavor", () => {
        const mysql8 = mysqlTableSetup(table, { ...mysqlOptions, flavor: "mysql" });
        assert.ok(mysql8.some((s) => s.startsWith("/* tandem:tolerate 1060 */ ALTER TABLE `orders` ADD COLUMN `_tandem_origin`")));
        assert.ok(
            mysqlTableTeardown(table, "mysql").some((s) =>
                s.startsWith("/* tandem:tolerate 1091,1146 */ ALTER TABLE `orders` DROP COLUMN"),
            ),
        );
    });

    it("keeps trigger names within 64 characters, stable and distinct", () => {
        const long = "t".repeat(64);
        assert.ok(Buffer.byteLength(mysqlTriggerName("bu", long)) <= 63);
        assert.equal(mysqlTriggerName("bu", long), mysqlTriggerName("bu", long));
        assert.notEqual(mysqlTriggerName("bu", long), mysqlTriggerName("bu", `${long.slice(1)}u`));
    });

    it("requests an incremental snapshot of tables named the way Debezium reads them verbatim", () => {
        assert.equal(
            mysqlIncrementalSnapshotSignal("t_signal", "app", ["orders", 'we"ird.name'], "req-1"),
            `INSERT IGNORE INTO \`t_signal\` (id, type, data) VALUES ('req-1', 'execute-snapshot', '{"data-collections":["\\\\"app\\\\".\\\\"orders\\\\"","\\\\"app\\\\".\\\\"we\\\\"\\\\"ird.name\\\\""],"type":"incremental"}')`,
        );
    });

    it("keeps at least the binlog retention asked for: RDS's procedure, or a raise-only SET elsewhere", () => {
        assert.deepEqual(binlogRetentionSql("mysql", "rds", 168), ["CALL mysql.rds_set_configuration('binlog retention hours', 168)"]);
        const [mariadb] = binlogRetentionSql("mariadb", "self-managed", 24);
        assert.match(
            mariadb,
            /^SET GLOBAL binlog_expire_logs_seconds = IF\(@@GLOBAL\.binlog_expire_logs_seconds = 0 OR @@GLOBAL\.binlog_expire_logs_seconds >= 86400, @@GLOBAL\.binlog_expire_logs_seconds, 86400\)$/,
        );
        assert.match(binlogRetentionSql("mysql", "self-managed", 24)[0], /^SET PERSIST binlog_expire_logs_seconds = /);
        assert.throws(() => binlogRetentionSql("mysql", "rds", 0), /whole number of hours/);
    });
});
