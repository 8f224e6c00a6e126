// Types across the engines, end to end: values written on one side arrive on the other as
// docs/bidirectional.md's mapping says, and come back unchanged when the other side's application
// rewrites the row; NULL in every column travels both ways.
import * as assert from "node:assert/strict";
import { Stack } from "@pulumi/pulumi/automation";
import { eventually } from "../support/sandbox";
import { e2eSuite } from "../support/e2eSuite";
import { mysqlQuery, postgresQuery, removeSyncStack, syncStack } from "../support/syncStack";

const LONG_TEXT = "x".repeat(9000) + "😀";

// Column: MariaDB type, PostgreSQL type, the value written in MariaDB (SQL literal), PostgreSQL's text of it.
const COLUMNS: [string, string, string, string, string][] = [
    ["flag", "TINYINT(1)", "boolean", "1", "true"],
    ["i_small", "SMALLINT", "smallint", "-32768", "-32768"],
    ["i_int", "INT", "integer", "2147483647", "2147483647"],
    ["i_big", "BIGINT", "bigint", "-9223372036854775808", "-9223372036854775808"],
    ["u_int", "INT UNSIGNED", "bigint", "4294967295", "4294967295"],
    ["u_big", "BIGINT UNSIGNED", "numeric(20,0)", "18446744073709551615", "18446744073709551615"],
    ["dec_col", "DECIMAL(12,4)", "numeric(12,4)", "-12345678.1234", "-12345678.1234"],
    ["f_float", "FLOAT", "real", "1.5", "1.5"],
    ["f_double", "DOUBLE", "double precision", "3.141592653589793", "3.141592653589793"],
    ["c_char", "CHAR(5)", "character(5)", "'ab'", "ab"],
    ["c_varchar", "VARCHAR(100)", "varchar(100)", "'héllo 😀 wörld'", "héllo 😀 wörld"],
    ["c_text", "TEXT", "text", "'multi\\nline ✓'", "multi\nline ✓"],
    ["c_long", "MEDIUMTEXT", "text", `'${LONG_TEXT}'`, LONG_TEXT],
    ["b_blob", "BLOB", "bytea", "X'00FF10'", "\\x00ff10"],
    ["d_date", "DATE", "date", "'2026-11-25'", "2026-11-25"],
    ["t_time", "TIME(6)", "time(6)", "'13:14:15.123456'", "13:14:15.123456"],
    ["dt", "DATETIME(6)", "timestamp(6)", "'2026-11-25 13:14:15.123456'", "2026-11-25 13:14:15.123456"],
    ["ts", "TIMESTAMP(6) NULL", "timestamp(6) with time zone", "'2026-11-25 13:14:15.123456'", "2026-11-25 13:14:15.123456+00"],
    ["j_json", "JSON", "jsonb", `'{"b": "x", "a": [1, 2]}'`, `{"a": [1, 2], "b": "x"}`],
    ["e_enum", "ENUM('red','green','blue')", "text", "'green'", "green"],
    ["s_set", "SET('a','b','c')", "text", "'a,c'", "a,c"],
    // A real PostgreSQL enum type (created in before()): the sink's stringtype=unspecified lets it cast.
    ["e_pg_enum", "ENUM('small','large')", "size_enum", "'large'", "large"],
];

e2eSuite("e2e: types across engines", { timeout: 20 * 60 * 1000 }, (e2e) => {
    const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e3)}`;
    const prefix = `types-${suffix}`;
    const table = `typed_${suffix}`;
    let stack: Stack;
    const names = COLUMNS.map(([name]) => name);
    const mysqlText = (id: number) =>
        mysqlQuery(
            e2e.sandbox,
            `SELECT ${names.map((n) => `CAST(\`${n}\` AS CHAR) AS \`${n}\``).join(", ")}, HEX(b_blob) AS b_hex FROM \`${table}\` WHERE id = ?`,
            [id],
        );
    const postgresText = (id: number) =>
        postgresQuery(e2e.sandbox, `SELECT ${names.map((n) => `"${n}"::text AS "${n}"`).join(", ")} FROM public."${table}" WHERE id = $1`, [
            id,
        ]);

    before(async () => {
        await mysqlQuery(
            e2e.sandbox,
            `CREATE TABLE \`${table}\` (id INT PRIMARY KEY, ${COLUMNS.map(([n, t]) => `\`${n}\` ${t.endsWith("NULL") ? t : `${t} NULL`}`).join(", ")}) DEFAULT CHARSET=utf8mb4`,
        );
        const sizeType = `size_${suffix}`;
        await postgresQuery(e2e.sandbox, `CREATE TYPE public.${sizeType} AS ENUM ('small', 'large')`);
        await postgresQuery(
            e2e.sandbox,
            `CREATE TABLE public."${table}" (id integer PRIMARY KEY, ${COLUMNS.map(([n, , t]) => `"${n}" ${t.replace("size_enum", sizeType)}`).join(", ")})`,
        );
        stack = await syncStack(e2e.sandbox, prefix, [table]);
        const result = await stack.up({ onOutput: () => undefined });
        assert.equal(result.summary.result, "succeeded");
    });

    after(async () => {
        await removeSyncStack(e2e.sandbox, stack, [table]);
        await postgresQuery(e2e.sandbox, `DROP TYPE IF EXISTS public.size_${suffix}`).catch(() => undefined);
    });

    it("MariaDB → PostgreSQL: every value arrives as the mapping says", async () => {
        await mysqlQuery(
            e2e.sandbox,
            `INSERT INTO \`${table}\` (id, ${names.join(", ")}) VALUES (1, ${COLUMNS.map(([, , , value]) => value).join(", ")})`,
        );
        const row = await eventually("the typed row in PostgreSQL", 60_000, async () => (await postgresText(1))[0]);
        assert.deepEqual(row, Object.fromEntries(COLUMNS.map(([name, , , , text]) => [name, text])));
    });

    it("→ MariaDB again: unchanged after PostgreSQL's application rewrites the row", async () => {
        const [original] = await mysqlText(1);
        await postgresQuery(e2e.sandbox, `UPDATE public."${table}" SET i_small = i_small + 1 WHERE id = 1`);
        const back = await eventually("the rewritten row in MariaDB", 60_000, async () => {
            const [row] = await mysqlText(1);
            return row && row.i_small === "-32767" ? row : undefined;
        });
        // JSON comes back in PostgreSQL's normalized jsonb form (documented); everything else is unchanged.
        assert.deepEqual({ ...back, i_small: original.i_small }, { ...original, j_json: `{"a": [1, 2], "b": "x"}` });
    });

    it("NULL in every column travels both ways", async () => {
        await mysqlQuery(e2e.sandbox, `INSERT INTO \`${table}\` (id) VALUES (3)`);
        await postgresQuery(e2e.sandbox, `INSERT INTO public."${table}" (id) VALUES (4)`);
        const allNull = Object.fromEntries(names.map((name) => [name, null]));
        assert.deepEqual(await eventually("row 3 in PostgreSQL", 60_000, async () => (await postgresText(3))[0]), allNull);
        const row4 = await eventually("row 4 in MariaDB", 60_000, async () => (await mysqlText(4))[0]);
        assert.deepEqual(row4, { ...allNull, b_hex: null });
    });

    it("PostgreSQL → MariaDB: values written by the new app arrive as the mapping says", async () => {
        await postgresQuery(
            e2e.sandbox,
            `INSERT INTO public."${table}" (id, ${names.join(", ")}) SELECT 6, ${names.join(", ")} FROM public."${table}" WHERE id = 1`,
        );
        const [fromMysql1] = await mysqlText(1);
        const row6 = await eventually("row 6 in MariaDB", 60_000, async () => (await mysqlText(6))[0]);
        assert.deepEqual(row6, fromMysql1);
    });
});
