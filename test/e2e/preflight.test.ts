// Preflight at preview: a table set the sync cannot run on fails `pulumi preview` with one list naming
// every problem, before anything is created.
import * as assert from "node:assert/strict";
import { Stack } from "@pulumi/pulumi/automation";
import { e2eSuite } from "../support/e2eSuite";
import { mysqlQuery, postgresQuery, removeSyncStack, syncStack } from "../support/syncStack";

e2eSuite("e2e: preflight at preview", { timeout: 10 * 60 * 1000, bail: false }, (e2e) => {
    const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e3)}`;
    const prefix = `pre-${suffix}`;
    const noKey = `nokey_${suffix}`;
    const mismatch = `mismatch_${suffix}`;
    let stack: Stack;

    before(async () => {
        await mysqlQuery(e2e.sandbox, `CREATE TABLE \`${noKey}\` (id INT NOT NULL, name VARCHAR(10))`);
        await postgresQuery(e2e.sandbox, `CREATE TABLE public."${noKey}" (id integer NOT NULL, name varchar(10))`);
        await mysqlQuery(
            e2e.sandbox,
            `CREATE TABLE \`${mismatch}\` (id INT PRIMARY KEY, amount DECIMAL(10,2), paid TINYINT(1), only_mysql INT)`,
        );
        await postgresQuery(e2e.sandbox, `CREATE TABLE public."${mismatch}" (id integer PRIMARY KEY, amount numeric, paid bytea)`);
        stack = await syncStack(e2e.sandbox, prefix, [noKey, mismatch, `missing_${suffix}`]);
    });

    after(async () => removeSyncStack(e2e.sandbox, stack, [noKey, mismatch]));

    it("fails preview with every problem listed and creates nothing", async () => {
        const error = await stack.preview().then(
            () => assert.fail("preview succeeded"),
            (failure: Error) => failure.message,
        );
        for (const expected of [
            "preflight failed; the sync cannot run until these are fixed",
            `${noKey} has no primary key in MySQL/MariaDB`,
            `${noKey} has no primary key in PostgreSQL`,
            `${mismatch}.amount: give the PostgreSQL numeric a precision`,
            `${mismatch}.paid: MySQL tinyint(1) and PostgreSQL bytea do not carry the same values`,
            `${mismatch}.only_mysql exists in MySQL/MariaDB but not in PostgreSQL`,
            `missing_${suffix} does not exist in MySQL/MariaDB`,
        ]) {
            assert.ok(error.includes(expected), `missing "${expected}" in:\n${error}`);
        }
        assert.doesNotMatch(error, /\n\s+at .*\.(ts|js):\d+/, "no stack trace");
        assert.deepEqual(
            await mysqlQuery(
                e2e.sandbox,
                `SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_NAME = ? AND COLUMN_NAME LIKE '\\\\_tandem\\\\_%'`,
                [mismatch],
            ),
            [],
        );
    });
});
