import * as assert from "node:assert/strict";
import { ColumnDef, TableDef } from "../../core/model";
import { bulkPlan, keyValues, mysqlChunkQuery, mysqlKeysCondition, postgresMergeSql, postgresStagingSql } from "../../sql/bulkLoadSql";
import { mysqlIncrementalSnapshotSignal } from "../../sql/mysqlSql";

const column = (name: string, type: string, extra: Partial<ColumnDef> = {}): ColumnDef => ({ name, type, nullable: true, ...extra });
const bookkeeping = [column("_tandem_origin", "varchar(10)"), column("_tandem_version", "bigint"), column("_tandem_base", "bigint")];

function pair(mysqlColumns: ColumnDef[], postgresColumns: ColumnDef[], primaryKey = ["id"]): [TableDef, TableDef] {
    return [
        { name: "orders", columns: [...mysqlColumns, ...bookkeeping], primaryKey },
        { name: "orders", columns: [...postgresColumns, ...bookkeeping], primaryKey },
    ];
}

describe("sql/bulkLoadSql", () => {
    describe("bulkPlan", () => {
        it("renders each family the way the streaming path writes it, and carries the bookkeeping", () => {
            const { plan, refusals } = bulkPlan(
                ...pair(
                    [
                        column("id", "int(11)"),
                        column("flag", "tinyint(1)"),
                        column("bit", "bit(1)"),
                        column("ratio", "float"),
                        column("score", "double"),
                        column("raw", "varbinary(16)"),
                        column("day", "date"),
                        column("at", "datetime(6)"),
                        column("ts", "timestamp(6)"),
                        column("name", "varchar(40)"),
                        column("total", "decimal(10,2)", { computed: "stored" }),
                    ],
                    [
                        column("id", "integer"),
                        column("flag", "boolean"),
                        column("bit", "boolean"),
                        column("ratio", "real"),
                        column("score", "double precision"),
                        column("raw", "bytea"),
                        column("day", "date"),
                        column("at", "timestamp(6) without time zone"),
                        column("ts", "timestamp(6) with time zone"),
                        column("name", "character varying(40)"),
                        column("total", "numeric(10,2)", { computed: "stored" }),
                    ],
                ),
            );
            assert.deepEqual(refusals, []);
            const field = Object.fromEntries(plan!.columns.map((c) => [c.name, c.field]));
            assert.equal(field.flag, String.raw`IFNULL(` + "`flag`" + String.raw`, '\\N')`);
            assert.equal(field.bit, String.raw`IFNULL(CAST(` + "`bit`" + String.raw` AS UNSIGNED), '\\N')`);
            assert.match(field.ratio, /CAST\(`ratio` AS DOUBLE\)/);
            assert.equal(field.score, String.raw`IFNULL(` + "`score`" + String.raw`, '\\N')`);
            assert.equal(field.raw, String.raw`IFNULL(CONCAT('\\\\x', HEX(` + "`raw`" + String.raw`)), '\\N')`);
            assert.match(field.day, /MONTH\(`day`\) = 0 OR DAYOFMONTH\(`day`\) = 0 THEN NULL/);
            assert.match(field.ts, /MONTH\(`ts`\) = 0/);
            // Text escaped for COPY by MySQL: backslash first, then tab, newline, carriage return.
            assert.equal(
                field.name,
                String.raw`IFNULL(REPLACE(REPLACE(REPLACE(REPLACE(CONVERT(` +
                    "`name`" +
                    String.raw` USING utf8mb4), '\\', '\\\\'), '\t', '\\t'), '\n', '\\n'), '\r', '\\r'), '\\N')`,
            );
            assert.equal(field.total, undefined, "computed columns are computed by each side");
            assert.deepEqual(
                plan!.columns.slice(-3).map((c) => c.name),
                ["_tandem_origin", "_tandem_version", "_tandem_base"],
            );
        });

        it("refuses, naming each column, what it cannot render faithfully", () => {
            const { plan, refusals } = bulkPlan(
                ...pair(
                    [column("id", "int"), column("shape", "geometry"), column("only_here", "int")],
                    [column("id", "integer"), column("shape", "point")],
                ),
            );
            assert.equal(plan, undefined);
            assert.deepEqual(
                refusals.map((r) => r.column),
                ["shape", "only_here"],
            );
        });
    });

    describe("mysqlChunkQuery", () => {
        const [mysqlTable, postgresTable] = pair(
            [column("tenant", "varbinary(16)"), column("id", "int"), column("name", "varchar(9)")],
            [column("tenant", "bytea"), column("id", "integer"), column("name", "character varying(9)")],
            ["tenant", "id"],
        );
        const plan = bulkPlan(mysqlTable, postgresTable).plan!;

        it("reads the first chunk in key order: each row's COPY line, then its key (binary parts as hex)", () => {
            const { sql, params } = mysqlChunkQuery("app", plan, undefined, 500);
            assert.ok(sql.startsWith(String.raw`SELECT CONCAT_WS('\t', IFNULL(CONCAT('\\\\x', HEX(` + "`tenant`)), "), sql);
            assert.ok(sql.endsWith(", HEX(`tenant`), `id` FROM `app`.`orders` ORDER BY `tenant`, `id` LIMIT 500"), sql);
            assert.deepEqual(params, []);
        });

        it("continues after a composite key with a spelled-out keyset condition", () => {
            const after = [Buffer.from("ab"), "7"];
            const { sql, params } = mysqlChunkQuery("app", plan, after, 500);
            assert.match(sql, / WHERE \(`tenant` > \?\) OR \(`tenant` = \? AND `id` > \?\) ORDER BY/);
            assert.deepEqual(params, [after[0], after[0], "7"]);
        });

        it("turns the key read back into bytes for binary columns", () => {
            const row = ["\\\\x6162\t7\tx\tmysql\t1\t0", "6162", "7"];
            assert.deepEqual(keyValues(plan, row), [Buffer.from("ab"), "7"]);
        });

        it("selects refused keys for the stream, single and composite", () => {
            const literal = (value: unknown) => (Buffer.isBuffer(value) ? `X'${value.toString("hex")}'` : `'${String(value)}'`);
            assert.equal(mysqlKeysCondition(plan, [[Buffer.from("ab"), "7"]], literal), "(`tenant`, `id`) IN ((X'6162', '7'))");
            const single = bulkPlan(...pair([column("id", "int")], [column("id", "integer")])).plan!;
            assert.equal(mysqlKeysCondition(single, [["1"], ["3"]], literal), "`id` IN ('1', '3')");
        });
    });

    describe("PostgreSQL side", () => {
        const plan = bulkPlan(
            ...pair([column("id", "int"), column("name", "varchar(9)")], [column("id", "integer"), column("name", "text")]),
        ).plan!;

        it("stages with the target's column types, emptied at commit", () => {
            assert.equal(
                postgresStagingSql("public", plan, "stage"),
                'CREATE TEMP TABLE IF NOT EXISTS "stage" ON COMMIT DELETE ROWS AS SELECT "id", "name", "_tandem_origin", "_tandem_version", "_tandem_base" FROM "public"."orders" WITH NO DATA',
            );
        });

        it("merges skipping versions the stream deleted, upserting the rest through the tables' trigger", () => {
            const sql = postgresMergeSql("public", plan, "stage", "_tandem_del__orders");
            assert.match(sql, /^INSERT INTO "public"."orders" \("id", "name", "_tandem_origin", "_tandem_version", "_tandem_base"\)/);
            assert.match(
                sql,
                /WHERE NOT EXISTS \(SELECT 1 FROM "public"."_tandem_del__orders" d WHERE d."id" = s."id" AND d."_tandem_version" >= s."_tandem_version"\)/,
            );
            assert.match(sql, /ON CONFLICT \("id"\) DO UPDATE SET "name" = EXCLUDED."name", "_tandem_origin" = EXCLUDED."_tandem_origin"/);
        });
    });

    it("asks Debezium for an incremental snapshot limited to some rows", () => {
        const sql = mysqlIncrementalSnapshotSignal("t_signal", "app", ["orders"], "req-1", { orders: "`id` IN ('9')" });
        assert.match(
            sql,
            /"additional-conditions":\[\{"data-collection":"\\\\"app\\\\".\\\\"orders\\\\"","filter":"`id` IN \(''9''\)"\}\]/,
        );
    });
});
