// The canonical forms reconcile computes inside each database: the same text on both engines for each kind.
import * as assert from "node:assert/strict";
import { canonicalSql, Engine, rangeWhereSql, rowHashSql, segmentChecksumSql } from "../../sql/reconcileSql";

const mysql: Engine = { side: "mysql", flavor: "mariadb", schema: "public" };
const postgres: Engine = { side: "postgres", schema: "app" };

describe("sql/reconcileSql", () => {
    it("renders each kind's canonical text on both engines", () => {
        assert.equal(canonicalSql(mysql, { name: "d", kind: "decimal", scale: 2 }), "CAST(CAST(`d` AS DECIMAL(65,2)) AS CHAR)");
        assert.equal(canonicalSql(postgres, { name: "d", kind: "decimal", scale: 2 }), `round("d"::numeric, 2)::text`);
        assert.equal(
            canonicalSql(postgres, { name: "b", kind: "boolean" }),
            `CASE WHEN "b" IS NULL THEN NULL WHEN "b" THEN '1' ELSE '0' END`,
        );
        assert.equal(canonicalSql(mysql, { name: "z", kind: "date" }), "IF(`z` = '0000-00-00', NULL, DATE_FORMAT(`z`, '%Y-%m-%d'))");
        assert.equal(
            canonicalSql(postgres, { name: "ts", kind: "timestamptz" }),
            `to_char("ts" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')`,
        );
        assert.equal(canonicalSql(mysql, { name: "bin", kind: "binary" }), "LOWER(HEX(`bin`))");
        // PostgreSQL text in "C": a case-insensitive (nondeterministic) column would refuse the escaping's replace().
        assert.equal(canonicalSql(postgres, { name: "code", kind: "text" }), `("code"::text COLLATE "C")`);
        assert.match(canonicalSql(mysql, { name: "f", kind: "float8" }), /ROUND\(`f` \/ POW\(10, FLOOR\(LOG10\(ABS\(`f`\)\)\) - 13\)\)/);
        assert.match(canonicalSql(postgres, { name: "f", kind: "float4" }), /power\(10::float8, floor\(log\(abs\("f"::float8\)\)\) - 5\)/);
    });

    it("hashes values marked and escaped (NULL as N), sums 60 bits per row, and ranges keys in binary order", () => {
        const table = { name: "t`x", key: [{ name: "code", kind: "text" as const }], columns: [{ name: "v", kind: "integer" as const }] };
        assert.match(
            rowHashSql(mysql, table),
            /^CAST\(CONV\(LEFT\(MD5\(CONCAT_WS\('\|', IFNULL\(CONCAT\('v', REPLACE\(CONVERT\(`code` USING utf8mb4\), '\|', '\|\|'\)\), 'N'\)/,
        );
        assert.match(rowHashSql(postgres, table), /\)::bit\(60\)::bigint$/);
        assert.equal(
            rangeWhereSql(mysql, table.key, { after: true, upTo: true }),
            "CONVERT(`code` USING utf8mb4) COLLATE utf8mb4_nopad_bin > ? AND CONVERT(`code` USING utf8mb4) COLLATE utf8mb4_nopad_bin <= ?",
        );
        assert.equal(
            rangeWhereSql({ ...mysql, flavor: "mysql" }, table.key, { after: true, upTo: false }),
            "CONVERT(`code` USING utf8mb4) COLLATE utf8mb4_0900_bin > ?",
        );
        const composite = [
            { name: "a", kind: "integer" as const },
            { name: "b", kind: "text" as const },
        ];
        assert.equal(
            rangeWhereSql(postgres, composite, { after: true, upTo: true }),
            `("a", "b"::text COLLATE "C") > ($1, $2) AND ("a", "b"::text COLLATE "C") <= ($3, $4)`,
        );
        assert.match(segmentChecksumSql(mysql, table, { after: false, upTo: false }), /FROM `t``x` WHERE 1 = 1\) x$/);
        assert.match(segmentChecksumSql(postgres, table, { after: false, upTo: false }), /FROM "app"\."t`x" WHERE 1 = 1\) x$/);
    });
});
