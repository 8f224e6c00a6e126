import * as assert from "node:assert/strict";
import { canaryTableDefs } from "../../core/canary";
import {
    canaryBumpSql,
    canaryReadSql,
    conflictsSinceSql,
    mysqlCanarySetup,
    mysqlMonitorAccount,
    postgresCanarySetup,
    postgresMonitorRole,
} from "../../sql/monitorSql";

const names = { canaryTable: "tandem_canary", conflictsTable: "tandem_conflicts", monitorUser: "tandem_monitor", functionPrefix: "tandem" };

describe("sql/monitorSql", () => {
    it("stamps arrivals only on the other side's row, and only for a newer seq", () => {
        const mysql = mysqlCanarySetup(names).join("\n");
        assert.match(mysql, /BEFORE INSERT ON `tandem_canary` FOR EACH ROW IF NEW.`side` = 'postgres' THEN SET NEW.`arrived_us` = /);
        assert.match(mysql, /BEFORE UPDATE ON `tandem_canary` FOR EACH ROW IF NEW.`side` = 'postgres' AND NEW.`seq` > OLD.`seq` THEN/);
        const postgres = postgresCanarySetup("app", names).join("\n");
        assert.match(postgres, /IF NEW."side" = 'mysql' AND \(TG_OP = 'INSERT' OR NEW."seq" > OLD."seq"\) THEN/);
        // After the sync's own `_tandem_before_*` triggers (by name), and firing for the sink's replica sessions.
        assert.ok("_tandem_canary_arrival" > "_tandem_before_write");
        assert.match(postgres, /ENABLE ALWAYS TRIGGER "_tandem_canary_arrival"/);
    });

    it("describes the canary as the catalogs will, keyed by side", () => {
        const defs = canaryTableDefs("tandem_canary");
        assert.deepEqual(defs.mysql.primaryKey, ["side"]);
        assert.deepEqual(
            defs.postgres.columns.map((c) => c.name),
            ["side", "seq", "arrived_us"],
        );
    });

    it("bumps each side's own row and reads it with the database's clock", () => {
        assert.equal(
            canaryBumpSql("mysql", "app", "tandem_canary"),
            "INSERT INTO `tandem_canary` (`side`, `seq`) VALUES ('mysql', 1) ON DUPLICATE KEY UPDATE `seq` = `seq` + 1",
        );
        assert.match(canaryBumpSql("postgres", "app", "tandem_canary"), /ON CONFLICT \("side"\) DO UPDATE SET "seq" = c."seq" \+ 1$/);
        assert.match(
            canaryReadSql("postgres", "app", "tandem_canary", "mysql"),
            /clock_timestamp\(\).* FROM "app"."tandem_canary" WHERE "side" = 'mysql'$/,
        );
    });

    it("reads the conflict log from an id on, bounded, counting each conflict on the side its winner arrived", () => {
        const sql = conflictsSinceSql("postgres", "app", "tandem_conflicts", "41", 10000);
        assert.match(sql, /WHERE id > 41 ORDER BY id LIMIT 10000/);
        assert.match(sql, /\(winner = incoming_row->>'_tandem_origin'\)::int AS counted/);
        assert.match(conflictsSinceSql("mysql", "app", "t", "1; DROP TABLE x", 5), /WHERE id > 0 ORDER BY id LIMIT 5/);
    });

    it("grants the monitor only what it reads and writes", () => {
        assert.deepEqual(mysqlMonitorAccount("app", "%", names).slice(2), [
            "GRANT REPLICATION CLIENT ON *.* TO 'tandem_monitor'@'%'",
            "GRANT SELECT, INSERT, UPDATE ON `app`.`tandem_canary` TO 'tandem_monitor'@'%'",
            "GRANT SELECT ON `app`.`tandem_conflicts` TO 'tandem_monitor'@'%'",
        ]);
        assert.deepEqual(postgresMonitorRole("app", names).slice(2), [
            'REVOKE pg_monitor FROM "tandem_monitor"',
            'GRANT USAGE ON SCHEMA "app" TO "tandem_monitor"',
            'GRANT SELECT, INSERT, UPDATE ON "app"."tandem_canary" TO "tandem_monitor"',
            'GRANT SELECT ON "app"."tandem_conflicts" TO "tandem_monitor"',
        ]);
    });
});
