// Reconcile's in-memory part: rows diffed by canonical key and column (JSON by value), the winner by policy,
// key spellings paired, plans refused with a reason naming the column.
import * as assert from "node:assert/strict";
import { diffRows, sameJson, SideRow, winnerOf } from "../../reconcile/compare";
import { canonicalKind, planTable } from "../../reconcile/plan";
import { pairKeySpellings } from "../../reconcile/reconcile";
import { ReconcileTable } from "../../sql/reconcileSql";

const table: ReconcileTable = {
    name: "t",
    key: [{ name: "id", kind: "integer" }],
    columns: [
        { name: "name", kind: "text" },
        { name: "doc", kind: "json" },
    ],
};
const row = (id: string, name: string | null, doc: string | null, version = 1): SideRow => ({
    key: [id],
    values: [name, doc],
    version,
    origin: "mysql",
});

describe("reconcile/compare", () => {
    it("finds rows missing on each side and the columns that differ; NULL is not ''; JSON by value", () => {
        const differences = diffRows(
            table,
            [row("1", "a", '{"b": 1, "a": [1, 2.50]}'), row("2", "", null), row("3", "x", null)],
            [row("1", "a", '{"a": [1, 2.5], "b": 1}'), row("2", null, null), row("4", "y", null)],
        );
        assert.deepEqual(
            differences.map((d) => [d.kind, d.key.join(), d.columns]),
            [
                ["values-differ", "2", ["name"]],
                ["missing-in-postgres", "3", undefined],
                ["missing-in-mysql", "4", undefined],
            ],
        );
        assert.equal(sameJson('{"a": 1}', '{"a": 1.0}'), true);
        assert.equal(sameJson('{"a": 1}', '{"a": "1"}'), false);
        assert.equal(sameJson("[1, 2]", "[2, 1]"), false);
    });

    it("decides the winner as the sync does: newer version, tie winner, or the policy's side", () => {
        assert.equal(winnerOf({ conflicts: "last-writer-wins", tieWinner: "postgres" }, { mysql: 5, postgres: 3 }), "mysql");
        assert.equal(winnerOf({ conflicts: "last-writer-wins", tieWinner: "postgres" }, { mysql: 5, postgres: 5 }), "postgres");
        assert.equal(winnerOf({ conflicts: "last-writer-wins", tieWinner: "mysql" }, { mysql: 0, postgres: 0 }), "mysql");
        assert.equal(winnerOf({ conflicts: "postgres-wins", tieWinner: "mysql" }, { mysql: 9, postgres: 1 }), "postgres");
    });

    it("pairs keys missing on each side that differ only by case into one difference of spelling, for case-insensitive keys only", () => {
        const differences = [
            { kind: "missing-in-postgres" as const, key: ["DEF"] },
            { kind: "missing-in-mysql" as const, key: ["def"] },
            { kind: "missing-in-mysql" as const, key: ["xyz"] },
        ];
        const keyed = (caseInsensitive: boolean): ReconcileTable => ({
            name: "t",
            key: [{ name: "code", kind: "text", caseInsensitive }],
            columns: [],
        });
        assert.deepEqual(
            pairKeySpellings(keyed(true), differences).map((d) => [d.kind, d.key.join(), d.columns]),
            [
                ["missing-in-mysql", "xyz", undefined],
                ["values-differ", "DEF", ["(key spelling)"]],
            ],
        );
        // 'DEF' and 'def' are two rows under a binary collation: each is missing on one side.
        assert.deepEqual(pairKeySpellings(keyed(false), differences), differences);
    });

    it("plans the kinds of the mapping and refuses what it cannot compare, naming it", () => {
        const col = (name: string, type: string) => ({ name, type, nullable: true });
        assert.deepEqual(canonicalKind(col("a", "tinyint(1)"), col("a", "boolean")), { kind: "boolean" });
        assert.deepEqual(canonicalKind(col("a", "decimal(12,4)"), col("a", "numeric(12,2)")), { kind: "decimal", scale: 2 });
        assert.deepEqual(canonicalKind(col("a", "bigint(20) unsigned"), col("a", "numeric(20,0)")), { kind: "decimal", scale: 0 });
        assert.deepEqual(canonicalKind(col("a", "float"), col("a", "real")), { kind: "float4" });
        assert.deepEqual(canonicalKind(col("a", "double"), col("a", "double precision")), { kind: "float8" });
        assert.deepEqual(canonicalKind(col("a", "char(36)"), col("a", "uuid")), { kind: "uuid" });
        assert.deepEqual(canonicalKind(col("a", "longtext"), col("a", "jsonb")), { kind: "json" });
        assert.deepEqual(canonicalKind(col("a", "timestamp(6)"), col("a", "timestamp(6) with time zone")), { kind: "timestamptz" });
        assert.match(
            String(canonicalKind(col("a", "geometry"), col("a", "point"))),
            /column a: geometry \/ point is not a mapped type pair/,
        );
        const bookkeeping = ["_tandem_origin", "_tandem_version", "_tandem_base"].map((name) => col(name, "bigint"));
        const mysql = { name: "t", primaryKey: ["id"], columns: [col("id", "int(11)"), col("only_here", "int(11)"), ...bookkeeping] };
        const postgres = { name: "t", primaryKey: ["id"], columns: [col("id", "integer"), ...bookkeeping] };
        assert.deepEqual(planTable(mysql, postgres, "t"), ["column only_here exists in MySQL/MariaDB only"]);
        assert.deepEqual(planTable(undefined, postgres, "t"), ["table t does not exist in MySQL/MariaDB"]);
        assert.deepEqual(planTable({ ...mysql, primaryKey: [] }, postgres, "t"), [
            "table t has no primary key in MySQL/MariaDB: reconcile compares rows by key",
        ]);
        const ci = {
            name: "c",
            primaryKey: ["code"],
            columns: [{ ...col("code", "varchar(20)"), collation: "utf8mb4_general_ci" }, ...bookkeeping],
        };
        const planned = planTable(
            ci,
            { name: "c", primaryKey: ["code"], columns: [col("code", "character varying(20)"), ...bookkeeping] },
            "c",
        );
        assert.deepEqual(Array.isArray(planned) ? planned : planned.key, [{ name: "code", kind: "text", caseInsensitive: true }]);
    });
});
