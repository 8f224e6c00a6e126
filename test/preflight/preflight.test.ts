// Preflight rules, kind by kind, on hand-made catalogs. Long on purpose: one case per finding kind, each
// with the table.column it must name.
import * as assert from "node:assert/strict";
import { ColumnDef, TableDef } from "../../core/model";
import { mysqlFamily, postgresFamily, preflight, PreflightInput, selectTables } from "../../preflight/preflight";
import * as fs from "fs";
import * as path from "path";
import { acceptance, blocks, Finding, RISKS, RiskCode, summarize } from "../../core/risks";

const mysqlTable: TableDef = {
    name: "orders",
    primaryKey: ["id"],
    columns: [
        { name: "id", type: "int(11)", nullable: false, generated: { step: 2, offset: 1 } },
        { name: "total", type: "decimal(10,2)", nullable: true },
        { name: "paid", type: "tinyint(1)", nullable: true },
    ],
};
const postgresTable: TableDef = {
    name: "orders",
    primaryKey: ["id"],
    columns: [
        { name: "id", type: "integer", nullable: false, generated: { step: 2, offset: 2 } },
        { name: "total", type: "numeric(10,2)", nullable: true },
        { name: "paid", type: "smallint", nullable: true },
    ],
};
const good: PreflightInput = {
    mysqlFlavor: "mariadb",
    mysqlSettings: {
        log_bin: "ON",
        binlog_format: "ROW",
        binlog_row_image: "FULL",
        log_bin_compress: "OFF",
        sql_mode: "STRICT_TRANS_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE",
    },
    postgresSettings: { wal_level: "logical", max_replication_slots: "10", max_wal_senders: "10" },
    mysqlTables: [mysqlTable],
    postgresTables: [postgresTable],
    tables: ["orders"],
};

const refusals = (findings: Finding[]) => findings.filter((finding) => blocks(finding, () => false));
const messages = (findings: Finding[]) => findings.map((finding) => finding.message);
const codes = (findings: Finding[]) => [...new Set(findings.map((finding) => finding.code))].sort();

/** One column pair in a table keyed by `id`, through the whole preflight. */
function pair(
    mysql: Partial<ColumnDef> & { type: string },
    postgres: Partial<ColumnDef> & { type: string },
    extra: Partial<PreflightInput> = {},
): Finding[] {
    const column = (def: Partial<ColumnDef> & { type: string }): ColumnDef => ({ name: "c", nullable: true, ...def });
    return preflight({
        ...good,
        ...extra,
        mysqlTables: [{ name: "t", primaryKey: ["id"], columns: [{ name: "id", type: "int(11)", nullable: false }, column(mysql)] }],
        postgresTables: [{ name: "t", primaryKey: ["id"], columns: [{ name: "id", type: "integer", nullable: false }, column(postgres)] }],
        tables: ["t"],
    }).filter((finding) => finding.subject !== "t.id");
}

describe("preflight", () => {
    it("passes a correctly prepared pair of databases", () => {
        assert.deepEqual(refusals(preflight(good)), []);
    });

    it("lists every server setting that blocks CDC at once", () => {
        const found = refusals(
            preflight({
                ...good,
                mysqlSettings: { log_bin: "OFF", binlog_format: "MIXED", binlog_row_image: "MINIMAL", log_bin_compress: "ON" },
                postgresSettings: { wal_level: "replica", max_replication_slots: "0", max_wal_senders: "0" },
            }),
        );
        assert.equal(found.length, 7);
        assert.ok(messages(found).some((p) => /binlog_format must be ROW \(is MIXED\)/.test(p)));
        assert.ok(messages(found).some((p) => /wal_level must be logical \(is replica\)/.test(p)));
    });

    it("requires the table, a primary key (or its exclusion) and the same key on both sides", () => {
        assert.deepEqual(messages(preflight({ ...good, tables: ["missing"] })), [
            "missing does not exist in MySQL/MariaDB",
            "missing does not exist in PostgreSQL",
        ]);
        const noKey = messages(preflight({ ...good, postgresTables: [{ ...postgresTable, primaryKey: [] }] }));
        assert.ok(noKey.includes("orders has no primary key in PostgreSQL: add one (or leave the table out: tandem:tableExclude)"));
    });

    it("requires compatible columns on both sides", () => {
        const found = refusals(
            preflight({
                ...good,
                postgresTables: [
                    {
                        ...postgresTable,
                        columns: [
                            ...postgresTable.columns.filter((c) => c.name !== "paid"),
                            { name: "paid", type: "bytea", nullable: true },
                            { name: "extra", type: "text", nullable: true },
                        ],
                    },
                ],
            }),
        );
        assert.deepEqual(messages(found), [
            "orders.paid: MySQL tinyint(1) and PostgreSQL bytea do not carry the same values",
            "orders.extra exists in PostgreSQL but not in MySQL/MariaDB",
        ]);
        const lossy = preflight({
            ...good,
            postgresTables: [
                { ...postgresTable, columns: postgresTable.columns.map((c) => (c.name === "total" ? { ...c, type: "numeric" } : c)) },
            ],
        });
        assert.ok(messages(lossy).some((p) => /give the PostgreSQL numeric a precision/.test(p)));
    });

    it("requires disjoint generated keys", () => {
        const same = refusals(
            preflight({
                ...good,
                postgresTables: [
                    {
                        ...postgresTable,
                        columns: postgresTable.columns.map((c) => (c.name === "id" ? { ...c, generated: { step: 2, offset: 3 } } : c)),
                    },
                ],
            }),
        );
        assert.equal(same.length, 1);
        assert.match(same[0].message, /orders\.id: keys generated on both sides must be disjoint/);
    });

    describe("values that exist on one side only", () => {
        const only = (findings: Finding[], code: RiskCode) => findings.filter((finding) => finding.code === code);

        it("MySQL TIME beyond a day, zero dates (when sql_mode allows them), PostgreSQL dates MySQL cannot hold", () => {
            assert.equal(only(pair({ type: "time" }, { type: "time without time zone" }), "time-range").length, 1);
            const permissive = { mysqlSettings: { ...good.mysqlSettings, sql_mode: "STRICT_TRANS_TABLES" } };
            const zero = only(pair({ type: "date", nullable: false }, { type: "date", nullable: false }, permissive), "zero-dates");
            assert.match(
                zero[0].message,
                /t\.c: MySQL zero dates .* NOT NULL PostgreSQL column refuses: such rows are quarantined \(make the PostgreSQL column nullable\)/,
            );
            assert.deepEqual(only(pair({ type: "date" }, { type: "date" }), "zero-dates"), [], "strict sql_mode: no zero dates");
            assert.equal(
                only(pair({ type: "date", defaultValue: "'0000-00-00'" }, { type: "date" }), "zero-dates").length,
                1,
                "a zero default",
            );
            assert.match(
                only(pair({ type: "timestamp" }, { type: "timestamp(0) with time zone" }), "date-range")[0].message,
                /1970-01-01 00:00:01\.\.2038-01-19/,
            );
        });

        it("numbers out of the other side's range, NaN and infinities, unsigned values", () => {
            assert.deepEqual(codes(pair({ type: "int(10) unsigned" }, { type: "integer" })), ["numeric-range"]);
            assert.match(
                pair({ type: "int(10) unsigned" }, { type: "integer" })[0].message,
                /MySQL int\(10\) unsigned holds 0\.\.4294967295, PostgreSQL integer only -2147483648\.\.2147483647/,
            );
            // The other way round too: PostgreSQL's bigint holds what MySQL's unsigned int cannot.
            assert.match(
                pair({ type: "int(10) unsigned" }, { type: "bigint" })[0].message,
                /PostgreSQL bigint holds -9223372036854775808\.\.9223372036854775807, MySQL int\(10\) unsigned only 0\.\.4294967295/,
            );
            assert.deepEqual(pair({ type: "bigint(20)" }, { type: "bigint" }), []);
            assert.deepEqual(codes(pair({ type: "bigint(20) unsigned" }, { type: "numeric(20,0)" })), ["float-special", "numeric-range"]);
            assert.deepEqual(codes(pair({ type: "double" }, { type: "double precision" })), ["float-special"]);
            assert.match(
                pair({ type: "decimal(12,4)" }, { type: "numeric(12,2)" }).find((f) => f.code === "numeric-scale")!.message,
                /keeps 4 decimal places, PostgreSQL numeric\(12,2\) 2/,
            );
        });

        it("strings longer than the other column, charsets, NUL, ENUM/SET values, TINYINT(1) as boolean", () => {
            assert.match(
                only(pair({ type: "varchar(255)" }, { type: "character varying(100)" }), "text-length")[0].message,
                /longer than PostgreSQL character varying\(100\)'s 100 characters are quarantined/,
            );
            assert.match(
                only(pair({ type: "text" }, { type: "text" }), "text-length")[0].message,
                /PostgreSQL text values longer than MySQL text's 65,535 bytes/,
            );
            assert.equal(only(pair({ type: "varchar(20)", charset: "latin1" }, { type: "character varying(20)" }), "charset").length, 1);
            assert.equal(only(pair({ type: "varchar(20)" }, { type: "character varying(20)" }), "nul-character").length, 1);
            assert.match(
                only(pair({ type: "enum('a','b,c')", enumValues: ["a", "b,c"] }, { type: "mood", enumValues: ["a"] }), "enum-values")[0]
                    .message,
                /"b,c" only in MySQL/,
            );
            assert.deepEqual(
                only(
                    pair({ type: "enum('a','b,c')", enumValues: ["a", "b,c"] }, { type: "mood", enumValues: ["a", "b,c"] }),
                    "enum-values",
                ),
                [],
            );
            assert.equal(only(pair({ type: "tinyint(1)" }, { type: "boolean" }), "boolean-values").length, 1);
            // Facing a smallint, TINYINT(1) is a number like any other.
            assert.deepEqual(codes(pair({ type: "tinyint(1)" }, { type: "smallint" })), ["numeric-range"]);
        });

        it("fractional seconds and float widths differ: refused unless accepted", () => {
            const fraction = pair({ type: "datetime" }, { type: "timestamp without time zone" }).find(
                (f) => f.code === "fraction-precision",
            )!;
            assert.match(fraction.message, /PostgreSQL keeps 6 fractional-second digits, MySQL 0/);
            assert.ok(blocks(fraction, () => false));
            assert.ok(!blocks(fraction, acceptance(["t.*:fraction-precision"]).accepts));
            assert.ok(blocks(fraction, acceptance(["other.*:fraction-precision"]).accepts));
            assert.ok(pair({ type: "float" }, { type: "double precision" }).some((f) => f.code === "float-precision"));
        });
    });

    it("refuses string keys whose equality differs between the engines, with the fix; syncs keys loose on both sides", () => {
        const key = (collation: string | undefined, pg: Partial<ColumnDef> = {}) =>
            preflight({
                ...good,
                mysqlTables: [
                    { name: "s", primaryKey: ["code"], columns: [{ name: "code", type: "varchar(20)", nullable: false, collation }] },
                ],
                postgresTables: [
                    { name: "s", primaryKey: ["code"], columns: [{ name: "code", type: "character varying(20)", nullable: false, ...pg }] },
                ],
                tables: ["s"],
            }).filter((finding) => finding.code.startsWith("key-collation"));
        const ci = key("utf8mb4_general_ci");
        assert.equal(ci.length, 1);
        assert.ok(blocks(ci[0], () => false));
        assert.match(
            ci[0].message,
            /s\.code: MySQL's utf8mb4_general_ci ignores case and accents .* PostgreSQL's default collation compares exactly: 'abc' and 'ABC' would be one row on one side and two on the other\. Fix: .*locale = 'und-u-ks-level1', deterministic = false.*COLLATE utf8mb4_nopad_bin/,
        );
        const matched = key("utf8mb4_general_ci", { collation: "ci", collationDeterministic: false, collationLocale: "und-u-ks-level1" });
        assert.deepEqual(
            matched.map((f) => f.code),
            ["key-collation-approximate"],
        );
        assert.ok(!blocks(matched[0], () => false));
        assert.equal(
            key("utf8mb4_general_ci", { type: "citext" })[0].code,
            "key-collation",
            "citext keeps accents apart, general_ci does not",
        );
        assert.equal(key("utf8mb4_0900_as_ci", { type: "citext" })[0].code, "key-collation-approximate");
        assert.equal(key("utf8mb4_bin")[0].code, "key-collation-approximate", "PAD SPACE: 'a' and 'a ' are one key in MySQL");
        assert.deepEqual(key("utf8mb4_nopad_bin"), []);
        assert.equal(key("utf8mb4_nopad_bin", { type: "citext" })[0].code, "key-collation");
        assert.equal(key("utf8mb4_nopad_bin", { collation: "ci", collationDeterministic: false })[0].code, "key-collation");
    });

    it("refuses identities that reject the sync's writes and generated columns on one side", () => {
        assert.deepEqual(codes(refusals(pair({ type: "int(11)" }, { type: "integer", identity: "always" }))), ["identity-always"]);
        assert.deepEqual(codes(refusals(pair({ type: "int(11)", computed: "virtual" }, { type: "integer" }))), ["computed-one-side"]);
        assert.deepEqual(refusals(pair({ type: "int(11)", computed: "virtual" }, { type: "integer", computed: "stored" })), []);
    });

    it("names unique keys and cascades the other side does not share", () => {
        const found = preflight({
            ...good,
            mysqlTables: [
                { ...mysqlTable, uniqueKeys: [["total"]] },
                {
                    name: "items",
                    primaryKey: ["id"],
                    columns: [
                        { name: "id", type: "int(11)", nullable: false },
                        { name: "order_id", type: "int(11)", nullable: true },
                    ],
                    foreignKeys: [
                        {
                            name: "fk_items",
                            columns: ["order_id"],
                            referencedTable: "orders",
                            referencedColumns: ["id"],
                            onDelete: "CASCADE",
                            onUpdate: "CASCADE",
                        },
                    ],
                },
                {
                    name: "notes",
                    primaryKey: ["id"],
                    columns: [
                        { name: "id", type: "int(11)", nullable: false },
                        { name: "user_id", type: "int(11)", nullable: true },
                    ],
                    foreignKeys: [
                        {
                            name: "fk_notes",
                            columns: ["user_id"],
                            referencedTable: "users",
                            referencedColumns: ["id"],
                            onDelete: "CASCADE",
                            onUpdate: "RESTRICT",
                        },
                    ],
                },
            ],
            postgresTables: [
                postgresTable,
                {
                    name: "items",
                    primaryKey: ["id"],
                    columns: [
                        { name: "id", type: "integer", nullable: false },
                        { name: "order_id", type: "integer", nullable: true },
                    ],
                },
                {
                    name: "notes",
                    primaryKey: ["id"],
                    columns: [
                        { name: "id", type: "integer", nullable: false },
                        { name: "user_id", type: "integer", nullable: true },
                    ],
                },
            ],
            tables: ["orders", "items", "notes"],
        });
        assert.ok(
            messages(found).includes(
                "orders(total): unique in MySQL/MariaDB only: rows from PostgreSQL that break it are quarantined (declare it in PostgreSQL too)",
            ),
        );
        assert.ok(found.some((f) => f.code === "cascade-on-update" && f.subject === "items.fk_items"));
        assert.deepEqual(messages(refusals(found)), [
            "notes.fk_notes: ON DELETE CASCADE from users, which is not synced: MySQL does not log cascaded changes, so they would never reach PostgreSQL (sync users too)",
        ]);
    });

    it("refuses tables that share a Kafka topic name or a JDBC lookup pattern", () => {
        const table = (name: string): TableDef => ({
            name,
            primaryKey: ["id"],
            columns: [{ name: "id", type: "int(11)", nullable: false }],
        });
        const pgTable = (name: string): TableDef => ({
            name,
            primaryKey: ["id"],
            columns: [{ name: "id", type: "integer", nullable: false }],
        });
        const names = ["order items", "order_items", "a.b", "user_roles", "user-roles"];
        const found = refusals(
            preflight({
                ...good,
                mysqlTables: names.map(table),
                postgresTables: names.map(pgTable),
                tables: ["order items", "order_items", "a.b", "user_roles"],
                mysqlRelations: names,
                postgresRelations: names,
            }),
        );
        assert.ok(messages(found).some((m) => m.startsWith('"order items" and "order_items" map to the same Kafka topic name')));
        assert.ok(
            messages(found).some((m) =>
                /user_roles: in PostgreSQL, the JDBC sink looks "user_roles" up as a LIKE pattern, which also matches "user-roles"/.test(m),
            ),
        );
    });

    it("groups what will be mapped or quarantined by kind, for one warning line each", () => {
        const lines = summarize(pair({ type: "varchar(20)" }, { type: "character varying(20)" }));
        assert.deepEqual(lines, [
            "NUL characters (PostgreSQL refuses them) (quarantined; nul-character) — nothing unless the legacy app writes NUL characters: t.c",
        ]);
        assert.deepEqual(acceptance(["zero-dates", "x.y:bogus-kind"]).unknown, ["x.y:bogus-kind"]);
    });

    it("documents every kind of finding in docs/bidirectional.md", () => {
        const docs = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "bidirectional.md"), "utf8");
        const table = docs.slice(docs.indexOf("## What the sync refuses, maps and quarantines"), docs.indexOf("## The quarantine"));
        assert.deepEqual(
            Object.keys(RISKS).filter((code) => !table.includes(`\`${code}\``)),
            [],
        );
    });

    it("maps engine types to families", () => {
        assert.equal(mysqlFamily("tinyint(1)"), "boolean");
        assert.equal(mysqlFamily("bigint(20) unsigned"), "integer");
        assert.equal(mysqlFamily("enum('a','b')"), "text");
        assert.equal(mysqlFamily("timestamp(6)"), "timestamptz");
        assert.equal(postgresFamily("timestamp(6) with time zone"), "timestamptz");
        assert.equal(postgresFamily("time(6) without time zone"), "time");
        assert.equal(postgresFamily("bytea"), "binary");
        assert.equal(postgresFamily("my_enum"), "text");
        assert.equal(postgresFamily("interval"), undefined);
    });

    it("selects tables by list or by patterns, leaving the sync's own tables and excluded ones out", () => {
        const catalog = ["orders", "order_items", "users", "_tandem_del__orders", "audit_log"];
        assert.deepEqual(selectTables(catalog, { tables: ["users"] }), ["users"]);
        assert.deepEqual(selectTables(catalog, { tables: ["users", "audit_log"], exclude: ["audit_*"] }), ["users"]);
        assert.deepEqual(selectTables(catalog, { include: ["order*"] }), ["order_items", "orders"]);
        assert.deepEqual(selectTables(catalog, { include: ["*"], exclude: ["audit_*"] }), ["order_items", "orders", "users"]);
    });
});
