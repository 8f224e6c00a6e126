import * as assert from "node:assert/strict";
import { TableDef } from "../../../components/sync/model";
import { mysqlFamily, postgresFamily, preflight, PreflightInput, selectTables } from "../../../components/sync/preflight";

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
        { name: "paid", type: "boolean", nullable: true },
    ],
};
const good: PreflightInput = {
    mysqlFlavor: "mariadb",
    mysqlSettings: { log_bin: "ON", binlog_format: "ROW", binlog_row_image: "FULL", log_bin_compress: "OFF" },
    postgresSettings: { wal_level: "logical", max_replication_slots: "10", max_wal_senders: "10" },
    mysqlTables: [mysqlTable],
    postgresTables: [postgresTable],
    tables: ["orders"],
};

describe("preflight", () => {
    it("passes a correctly prepared pair of databases", () => {
        assert.deepEqual(preflight(good), []);
    });

    it("lists every server setting that blocks CDC at once", () => {
        const problems = preflight({
            ...good,
            mysqlSettings: { log_bin: "OFF", binlog_format: "MIXED", binlog_row_image: "MINIMAL", log_bin_compress: "ON" },
            postgresSettings: { wal_level: "replica", max_replication_slots: "0", max_wal_senders: "0" },
        });
        assert.equal(problems.length, 7);
        assert.ok(problems.some((p) => /binlog_format must be ROW \(is MIXED\)/.test(p)));
        assert.ok(problems.some((p) => /wal_level must be logical \(is replica\)/.test(p)));
    });

    it("requires the table, a primary key and the same key on both sides", () => {
        assert.deepEqual(preflight({ ...good, tables: ["missing"] }), ["missing does not exist in MySQL/MariaDB", "missing does not exist in PostgreSQL"]);
        const noKey = preflight({ ...good, postgresTables: [{ ...postgresTable, primaryKey: [] }] });
        assert.ok(noKey.includes("orders has no primary key in PostgreSQL"));
    });

    it("requires compatible columns on both sides", () => {
        const problems = preflight({
            ...good,
            postgresTables: [{ ...postgresTable, columns: [...postgresTable.columns.filter((c) => c.name !== "paid"), { name: "paid", type: "bytea", nullable: true }, { name: "extra", type: "text", nullable: true }] }],
        });
        assert.deepEqual(problems, [
            "orders.paid: MySQL tinyint(1) and PostgreSQL bytea do not carry the same values",
            "orders.extra exists in PostgreSQL but not in MySQL/MariaDB",
        ]);
        const lossy = preflight({ ...good, postgresTables: [{ ...postgresTable, columns: postgresTable.columns.map((c) => (c.name === "total" ? { ...c, type: "numeric" } : c)) }] });
        assert.ok(lossy.some((p) => /give the PostgreSQL numeric a precision/.test(p)));
    });

    it("requires disjoint generated keys", () => {
        const same = preflight({ ...good, postgresTables: [{ ...postgresTable, columns: postgresTable.columns.map((c) => (c.name === "id" ? { ...c, generated: { step: 2, offset: 3 } } : c)) }] });
        assert.equal(same.length, 1);
        assert.match(same[0], /orders\.id: keys generated on both sides must be disjoint/);
        const step1 = preflight({ ...good, mysqlTables: [{ ...mysqlTable, columns: mysqlTable.columns.map((c) => (c.name === "id" ? { ...c, generated: { step: 1, offset: 1 } } : c)) }] });
        assert.equal(step1.length, 1);
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

    it("selects tables by list or by patterns, leaving the sync's own tables out", () => {
        const catalog = ["orders", "order_items", "users", "_tandem_del__orders", "audit_log"];
        assert.deepEqual(selectTables(catalog, { tables: ["users"] }), ["users"]);
        assert.deepEqual(selectTables(catalog, { include: ["order*"] }), ["order_items", "orders"]);
        assert.deepEqual(selectTables(catalog, { include: ["*"], exclude: ["audit_*"] }), ["order_items", "orders", "users"]);
    });
});
