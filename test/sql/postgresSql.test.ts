import * as assert from "node:assert/strict";
import { mysqlCascadesByParent, postgresCommonSetup, postgresTableSetup, postgresTableTeardown } from "../../sql/postgresSql";
import { pgOptions, table } from "./fixtures";

describe("PostgreSQL SQL builders", () => {
    it("skips a losing version (RETURN NULL) and identifies the sync by session_user", () => {
        const common = postgresCommonSetup(pgOptions).join("\n");
        assert.match(common, /IF session_user <> 'tandem_sync' THEN/);
        assert.match(common, /RETURN NULL; -- skip the losing version/);
        assert.match(common, /CREATE OR REPLACE FUNCTION "public"\."tandem_before_write"\(\)/);
    });

    it("sets REPLICA IDENTITY FULL and per-table triggers passing the key columns, firing in the sink's replica sessions too", () => {
        const sql = postgresTableSetup(
            { ...table, columns: table.columns.map((c) => ({ ...c, type: c.name === "payload" ? "bytea" : c.type })) },
            pgOptions,
        ).join("\n");
        assert.match(sql, /ALTER TABLE "public"\."orders" REPLICA IDENTITY FULL/);
        assert.match(sql, /EXECUTE FUNCTION "public"\."tandem_before_write"\('exact', 'id'\)/);
        assert.match(
            sql,
            /CREATE TABLE IF NOT EXISTS "public"\."_tandem_del__orders" \("id" int\(11\) NOT NULL, "_tandem_origin" varchar\(10\), "_tandem_version" bigint, "_tandem_base" bigint, PRIMARY KEY \("id"\)\)/,
        );
        assert.match(sql, /ALTER TABLE "public"\."orders" ENABLE ALWAYS TRIGGER "_tandem_before_write"/);
        // Exact keys: the sync writer's inserts keep their values without a PL/pgSQL call (WHEN clause).
        assert.match(sql, /"_tandem_before_write" BEFORE UPDATE ON "public"\."orders"/);
        assert.match(
            sql,
            /"_tandem_before_insert" BEFORE INSERT ON "public"\."orders"\nFOR EACH ROW WHEN \(session_user <> 'tandem_sync'\) EXECUTE/,
        );
        assert.match(sql, /ALTER TABLE "public"\."orders" ENABLE ALWAYS TRIGGER "_tandem_before_insert"/);
        assert.match(sql, /ALTER TABLE "public"\."_tandem_del__orders" ENABLE ALWAYS TRIGGER "_tandem_apply_delete"/);
        assert.match(sql, /GRANT SELECT, INSERT, UPDATE, DELETE ON "public"\."orders", "public"\."_tandem_del__orders" TO "tandem_sync"/);
    });

    it("runs the before-write function on every insert of a loose (case-insensitive) key: the sync's note its spelling", () => {
        const loose = postgresTableSetup(
            { ...table, columns: table.columns.map((c) => (c.name === "id" ? { ...c, type: "citext" } : c)) },
            pgOptions,
        ).join("\n");
        assert.match(loose, /DROP TRIGGER IF EXISTS "_tandem_before_insert" ON "public"\."orders"/);
        assert.match(
            loose,
            /"_tandem_before_write" BEFORE INSERT OR UPDATE ON "public"\."orders"\nFOR EACH ROW EXECUTE FUNCTION "public"\."tandem_before_write"\('loose', 'id'\)/,
        );
    });

    it("ignores replays, and lets writes of a repeated MySQL cascade keep their bookkeeping", () => {
        const common = postgresCommonSetup(pgOptions).join("\n");
        assert.match(
            common,
            /IF \(NEW\."_tandem_origin" = OLD\."_tandem_origin" AND NEW\."_tandem_version" <= OLD\."_tandem_version"\) OR NEW\."_tandem_version" = OLD\."_tandem_base" THEN\s+RETURN NULL;/,
        );
        assert.match(common, /current_setting\('tandem\.cascading', true\) = 'on'/);
    });

    it("repeats MySQL's unlogged ON DELETE actions on the children when the parent's delete arrives", () => {
        const cascades = mysqlCascadesByParent([
            { name: "orders", primaryKey: ["id"], columns: [] },
            {
                name: "items",
                primaryKey: ["id"],
                columns: [],
                foreignKeys: [
                    {
                        name: "f",
                        columns: ["order_id"],
                        referencedTable: "orders",
                        referencedColumns: ["id"],
                        onDelete: "CASCADE",
                        onUpdate: "RESTRICT",
                    },
                ],
            },
            {
                name: "notes",
                primaryKey: ["id"],
                columns: [],
                foreignKeys: [
                    {
                        name: "g",
                        columns: ["order_id"],
                        referencedTable: "orders",
                        referencedColumns: ["id"],
                        onDelete: "SET NULL",
                        onUpdate: "RESTRICT",
                    },
                ],
            },
            {
                name: "logs",
                primaryKey: ["id"],
                columns: [],
                foreignKeys: [
                    {
                        name: "h",
                        columns: ["order_id"],
                        referencedTable: "orders",
                        referencedColumns: ["id"],
                        onDelete: "RESTRICT",
                        onUpdate: "RESTRICT",
                    },
                ],
            },
        ]);
        assert.deepEqual([...cascades.keys()], ["orders"]);
        const sql = postgresTableSetup(table, pgOptions, cascades.get("orders")).join("\n");
        assert.match(
            sql,
            /IF session_user <> 'tandem_sync' THEN\s+RETURN NULL;\s+END IF;\s+DELETE FROM "public"\."items" WHERE "order_id" = OLD\."id";/,
        );
        assert.match(
            sql,
            /PERFORM set_config\('tandem\.cascading', 'on', true\);\s+UPDATE "public"\."notes" SET "order_id" = NULL WHERE "order_id" = OLD\."id";/,
        );
        assert.match(sql, /AFTER DELETE ON "public"\."orders" FOR EACH ROW EXECUTE FUNCTION "public"\."tandem_cascade__orders"\(\)/);
        assert.match(
            postgresTableSetup(table, pgOptions).join("\n"),
            /DROP TRIGGER IF EXISTS "_tandem_mysql_cascade" ON "public"\."orders"/,
        );
        assert.match(
            postgresTableTeardown("orders", pgOptions).join("\n"),
            /DROP FUNCTION IF EXISTS "public"\."tandem_cascade__orders"\(\)/,
        );
    });
});
