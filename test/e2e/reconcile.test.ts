// `tandem reconcile` on real databases: identical tables of every mapped type report 0 differences (no phantom
// diffs); differences injected behind the pipeline's back (MariaDB writes kept out of the binlog, PostgreSQL
// writes passing for the sync's) are found exactly — each type, a key's case, a composite key, rows missing on
// each side — and --repair makes both sides identical; a run during steady writes on both sides reports none.
import * as assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as path from "node:path";
import { Stack } from "@pulumi/pulumi/automation";
import axios from "axios";
import mysql from "mysql2/promise";
import { syncNames } from "../../core/model";
import { e2eSuite } from "../support/e2eSuite";
import { freePort } from "../support/prometheus";
import { eventually, REPO_ROOT } from "../support/sandbox";
import { mysqlQuery, postgresQuery, removeSyncStack, syncStack } from "../support/syncStack";

// Column: MariaDB type, PostgreSQL type, a value and another (MySQL literals).
const TYPES: [string, string, string, string, string][] = [
    ["flag", "TINYINT(1)", "boolean", "1", "0"],
    ["i_small", "SMALLINT", "smallint", "-32768", "7"],
    ["i_big", "BIGINT", "bigint", "-9223372036854775808", "9223372036854775807"],
    ["u_big", "BIGINT UNSIGNED", "numeric(20,0)", "18446744073709551615", "18446744073709551614"],
    ["dec_col", "DECIMAL(12,4)", "numeric(12,4)", "-12345678.1234", "-12345678.1235"],
    ["f_float", "FLOAT", "real", "1.5", "1.25"],
    ["f_double", "DOUBLE", "double precision", "3.141592653589793", "3.1415926535"],
    ["c_varchar", "VARCHAR(100)", "varchar(100)", "'héllo 😀 wörld'", "'héllo 😀 world'"],
    ["c_text", "TEXT", "text", "''", "' '"],
    ["b_blob", "BLOB", "bytea", "X'00FF10'", "X'00FF11'"],
    ["d_date", "DATE", "date", "'2026-11-25'", "'1970-01-01'"],
    ["t_time", "TIME(6)", "time(6)", "'13:14:15.123456'", "'13:14:15.123457'"],
    ["dt", "DATETIME(6)", "timestamp(6)", "'2026-11-25 13:14:15.123456'", "'2026-11-25 13:14:15.123455'"],
    ["ts", "TIMESTAMP(6) NULL", "timestamp(6) with time zone", "'2026-11-25 13:14:15.123456'", "'2026-11-25 14:14:15.123456'"],
    ["j_json", "JSON", "jsonb", `'{"b": "x", "a": [1, 2.5]}'`, `'{"b": "x", "a": [1, 2.50001]}'`],
    ["e_enum", "ENUM('red','green','blue')", "text", "'green'", "'blue'"],
    ["s_set", "SET('a','b','c')", "text", "'a,c'", "'a,b,c'"],
    ["u_uuid", "CHAR(36)", "uuid", "'6F9619FF-8B86-D011-B42D-00C04FC964FF'", "'6f9619ff-8b86-d011-b42d-00c04fc964fe'"],
];

type Report = {
    ok: boolean;
    tables: {
        table: string;
        rows: { mysql: number; postgres: number };
        differences: { kind: string; key: string[]; columns?: string[] }[];
        unsettled: number;
    }[];
};

e2eSuite("e2e: tandem reconcile", { timeout: 10 * 60 * 1000 }, (e2e) => {
    const suffix = `${Date.now().toString(36).slice(-5)}${Math.floor(Math.random() * 1e3)}`;
    const prefix = `rc-${suffix}`;
    const types = `rc_types_${suffix}`;
    const codes = `rc_codes_${suffix}`;
    const pairs = `rc_pairs_${suffix}`;
    const noKey = `rc_nokey_${suffix}`;
    let stack: Stack;

    const tandem = (...args: string[]) =>
        spawnSync(path.join(REPO_ROOT, "bin", "tandem"), [...args, "--stack", prefix], {
            encoding: "utf8",
            env: { ...process.env, NO_COLOR: "1" },
            maxBuffer: 64 * 1024 * 1024,
            timeout: 300_000,
        });
    const run = (...args: string[]) => {
        const result = tandem("reconcile", "-o", "json", "--settle", "3", ...args);
        assert.ok(result.status === 0 || result.status === 1, `exit ${result.status}: ${result.stderr}`);
        return { code: result.status, report: JSON.parse(result.stdout) as Report };
    };
    const byTable = (report: Report, table: string) => report.tables.find((entry) => entry.table === table)!;
    const sorted = (differences: Report["tables"][number]["differences"]) =>
        differences.map((d) => `${d.kind} ${d.key.join(",")}${d.columns ? ` [${d.columns.join(",")}]` : ""}`).sort();
    /** A MariaDB write the binlog never sees: the pipeline cannot carry it. */
    const silentlyInMysql = async (...statements: string[]) => {
        const { host, port, user, password, database } = e2e.sandbox.mariadb;
        const connection = await mysql.createConnection({ host, port, user, password, database, charset: "utf8mb4" });
        try {
            await connection.query("SET SESSION sql_log_bin = 0");
            for (const statement of statements) await connection.query(statement);
        } finally {
            await connection.end();
        }
    };

    before(async () => {
        const columns = TYPES.map(([name, type]) => `\`${name}\` ${type.endsWith("NULL") ? type : `${type} NULL`}`).join(", ");
        await mysqlQuery(e2e.sandbox, `CREATE TABLE \`${types}\` (id INT PRIMARY KEY, ${columns}) DEFAULT CHARSET=utf8mb4`);
        await postgresQuery(
            e2e.sandbox,
            `CREATE TABLE public."${types}" (id integer PRIMARY KEY, ${TYPES.map(([name, , type]) => `"${name}" ${type}`).join(", ")})`,
        );
        await postgresQuery(
            e2e.sandbox,
            `CREATE COLLATION IF NOT EXISTS rc_ci_${suffix} (provider = icu, locale = 'und-u-ks-level1', deterministic = false)`,
        );
        await mysqlQuery(
            e2e.sandbox,
            `CREATE TABLE \`${codes}\` (code VARCHAR(20) NOT NULL PRIMARY KEY, label VARCHAR(20) NULL) DEFAULT CHARSET=utf8mb4`,
        );
        await postgresQuery(
            e2e.sandbox,
            `CREATE TABLE public."${codes}" (code varchar(20) COLLATE rc_ci_${suffix} PRIMARY KEY, label varchar(20))`,
        );
        await mysqlQuery(
            e2e.sandbox,
            `CREATE TABLE \`${pairs}\` (a INT NOT NULL, b VARCHAR(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL, v INT, PRIMARY KEY (a, b)) DEFAULT CHARSET=utf8mb4`,
        );
        await postgresQuery(
            e2e.sandbox,
            `CREATE TABLE public."${pairs}" (a integer NOT NULL, b varchar(10) NOT NULL, v integer, PRIMARY KEY (a, b))`,
        );
        await mysqlQuery(e2e.sandbox, `CREATE TABLE \`${noKey}\` (v INT)`);
        await postgresQuery(e2e.sandbox, `CREATE TABLE public."${noKey}" (v integer)`);
        stack = await syncStack(e2e.sandbox, prefix, [types, codes, pairs]);
        await stack.up({ onOutput: () => undefined });
        const values = (id: number, pick: (column: number) => string) => `(${id}, ${TYPES.map((_, index) => pick(index)).join(", ")})`;
        const rows = [
            values(1, (i) => TYPES[i][3]),
            values(2, (i) => TYPES[i][4]),
            values(3, (i) => TYPES[i][3]),
            `(4, ${TYPES.map(() => "NULL").join(", ")})`,
            ...TYPES.map((_, column) => values(100 + column, (i) => TYPES[i][3])),
        ];
        await mysqlQuery(
            e2e.sandbox,
            `INSERT INTO \`${types}\` (id, ${TYPES.map(([name]) => `\`${name}\``).join(", ")}) VALUES ${rows.join(", ")}`,
        );
        await mysqlQuery(e2e.sandbox, `INSERT INTO \`${codes}\` (code, label) VALUES ('abc', 'one'), ('def', 'two'), ('ghi', 'three')`);
        await mysqlQuery(e2e.sandbox, `INSERT INTO \`${pairs}\` (a, b, v) VALUES (1, 'x', 1), (1, 'y', 2), (2, 'x', 3)`);
        // Rows the other application wrote: PostgreSQL's text of the same kinds of values.
        await postgresQuery(e2e.sandbox, `INSERT INTO public."${pairs}" (a, b, v) VALUES (3, 'z', 4), (3, 'Z', 5)`);
        await postgresQuery(
            e2e.sandbox,
            `INSERT INTO public."${types}" (id, flag, dec_col, f_double, c_varchar, b_blob, ts, j_json, u_uuid) VALUES (50, true, 0.5, 0.1, 'from postgres', '\\x00', '2026-01-01 00:00:00+02', '{"z": {"y": [true, null]}}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11')`,
        );
        await eventually("every row on both sides", 120_000, async () => {
            const counts = await Promise.all([
                ...[types, codes, pairs].map(async (table) =>
                    Number((await mysqlQuery<{ n: number }>(e2e.sandbox, `SELECT COUNT(*) AS n FROM \`${table}\``))[0].n),
                ),
                ...[types, codes, pairs].map(async (table) =>
                    Number((await postgresQuery<{ n: string }>(e2e.sandbox, `SELECT count(*) AS n FROM public."${table}"`))[0].n),
                ),
            ]);
            return counts.join() === [5 + TYPES.length, 3, 5, 5 + TYPES.length, 3, 5].join() ? true : undefined;
        });
    });

    after(async () => {
        await removeSyncStack(e2e.sandbox, stack, [types, codes, pairs, noKey]);
        await postgresQuery(e2e.sandbox, `DROP COLLATION IF EXISTS rc_ci_${suffix}`).catch(() => undefined);
    });

    it("reports 0 differences on identical tables of every mapped type, a case-insensitive key and a composite key", async () => {
        const { code, report } = await eventually("identical once the pipeline carried every row", 120_000, async () => {
            const result = run();
            return result.code === 0 ? result : undefined;
        });
        assert.equal(code, 0);
        assert.equal(report.ok, true);
        assert.deepEqual(
            report.tables.map((table) => [table.table, table.rows.mysql, table.rows.postgres, table.differences.length]),
            [
                [types, 5 + TYPES.length, 5 + TYPES.length, 0],
                [codes, 3, 3, 0],
                [pairs, 5, 5, 0],
            ],
        );
    });

    it("finds injected differences exactly, and --repair makes both sides identical through the pipeline", async () => {
        await silentlyInMysql(
            ...TYPES.map(([name, , , , other], index) => `UPDATE \`${types}\` SET \`${name}\` = ${other} WHERE id = ${100 + index}`),
            `INSERT INTO \`${types}\` (id, c_text) VALUES (900, 'mysql only')`,
            `DELETE FROM \`${types}\` WHERE id = 3`,
            `UPDATE \`${codes}\` SET code = 'DEF' WHERE code = 'def'`,
            `UPDATE \`${pairs}\` SET v = 20 WHERE a = 1 AND b = 'y'`,
            `DELETE FROM \`${pairs}\` WHERE a = 2 AND b = 'x'`,
        );
        // PostgreSQL: a write passing for one the sync applied (its source forwards only PostgreSQL's own).
        await postgresQuery(e2e.sandbox, `ALTER TABLE public."${pairs}" DISABLE TRIGGER USER`);
        await postgresQuery(e2e.sandbox, `UPDATE public."${pairs}" SET v = 40, _tandem_origin = 'mysql' WHERE a = 3 AND b = 'z'`);
        await postgresQuery(e2e.sandbox, `ALTER TABLE public."${pairs}" ENABLE TRIGGER USER`);

        const { code, report } = run();
        assert.equal(code, 1);
        assert.deepEqual(
            sorted(byTable(report, types).differences),
            [
                ...TYPES.map(([name], index) => `values-differ ${100 + index} [${name}]`),
                "missing-in-mysql 3",
                "missing-in-postgres 900",
            ].sort(),
        );
        assert.deepEqual(sorted(byTable(report, codes).differences), ["values-differ DEF [(key spelling)]"]);
        assert.deepEqual(sorted(byTable(report, pairs).differences), [
            "missing-in-mysql 2,x",
            "values-differ 1,y [v]",
            "values-differ 3,z [v]",
        ]);

        const dry = tandem("reconcile", "--settle", "3", "--table", pairs);
        assert.equal(dry.status, 1);
        assert.match(dry.stdout, /values differ: 2\n {4}1, y {2}\(v\)/);
        assert.match(dry.stdout, /`tandem reconcile --repair` repairs them/);

        const repaired = tandem("reconcile", "--repair", "--settle", "3", "-o", "json");
        assert.equal(repaired.status, 1, repaired.stderr);
        const repairs = (JSON.parse(repaired.stdout) as { tables: { repairs: unknown[] }[] }).tables.flatMap((table) => table.repairs);
        assert.equal(repairs.length, TYPES.length + 2 + 1 + 3);
        const logged = await postgresQuery<{ n: string }>(
            e2e.sandbox,
            `SELECT count(*) AS n FROM public."${syncNames(prefix).reconcileRepairsTable}"`,
        );
        assert.equal(Number(logged[0].n), repairs.length);
        await eventually("identical after the repairs travelled", 120_000, async () => (run().code === 0 ? true : undefined));
    });

    it("reports no false difference while both applications keep writing", async () => {
        let writing = true;
        let written = 0;
        const writer = (async () => {
            for (let i = 0; writing; i++) {
                await Promise.all([
                    mysqlQuery(e2e.sandbox, `UPDATE \`${pairs}\` SET v = v + 1 WHERE a = 1`),
                    postgresQuery(e2e.sandbox, `UPDATE public."${pairs}" SET v = v + 1 WHERE a = 3`),
                    mysqlQuery(e2e.sandbox, `INSERT INTO \`${types}\` (id, c_text) VALUES (${1000 + i}, 'live')`),
                    postgresQuery(e2e.sandbox, `UPDATE public."${types}" SET c_varchar = 'tick ${i}' WHERE id = 50`),
                ]);
                written += 4;
                await new Promise((resolve) => setTimeout(resolve, 50));
            }
        })();
        try {
            await new Promise((resolve) => setTimeout(resolve, 3000));
            const { code, report } = run("--recheck", "20");
            assert.deepEqual(
                report.tables.map((table) => [table.table, table.differences.length]),
                [
                    [types, 0],
                    [codes, 0],
                    [pairs, 0],
                ],
            );
            assert.equal(code, 0);
            assert.ok(written > 50, `writes went on meanwhile: ${written}`);
        } finally {
            writing = false;
            await writer;
        }
    });

    it("leaves each table's last run where the health monitor exports it", async () => {
        const port = await freePort();
        const monitor = spawn(
            path.join(REPO_ROOT, "bin", "tandem"),
            ["health-monitor", "--stack", prefix, "--port", String(port), "--no-watchdog"],
            {
                stdio: "ignore",
            },
        );
        try {
            const text = await eventually("the reconcile series", 60_000, async () => {
                const body = (await axios.get(`http://127.0.0.1:${port}/metrics`, { timeout: 3000 })).data as string;
                return body.includes(`tandem_reconcile_differences{table="${pairs}"}`) ? body : undefined;
            });
            assert.match(text, new RegExp(`tandem_reconcile_differences\\{table="${types}"\\} 0`));
            assert.match(text, new RegExp(`tandem_reconcile_last_run_timestamp_seconds\\{table="${codes}"\\} \\d{10}`));
        } finally {
            monitor.kill("SIGTERM");
        }
    });

    it("answers bad input with one line: an unknown table, a table without a primary key, a bad flag, a database down", async () => {
        const unknown = tandem("reconcile", "--table", "rc_nope");
        assert.equal(unknown.status, 2);
        assert.equal(unknown.stderr.trim(), "error: table rc_nope does not exist in either database");
        const keyless = tandem("reconcile", "--table", noKey);
        assert.equal(keyless.status, 2);
        assert.equal(keyless.stderr.trim(), `error: table ${noKey} has no primary key: reconcile compares rows by key`);
        const flag = tandem("reconcile", "--max-rate", "fast");
        assert.equal(flag.status, 2);
        assert.match(flag.stderr, /--max-rate must be a number ≥ 0, got fast/);
        // The stack's admin address of MariaDB pointed at a port nobody listens on (read at run time, no `up`).
        await stack.setConfig("tandem:mysqlAdminPort", { value: "1" });
        try {
            const down = tandem("reconcile");
            assert.equal(down.status, 1);
            assert.equal(
                down.stderr.trim(),
                "error: cannot reach 127.0.0.1:1 (ECONNREFUSED): is it running? try `sandbox/sandbox.sh status`",
            );
        } finally {
            await stack.removeConfig("tandem:mysqlAdminPort");
        }
    });
});
