// Preflight at preview: a table set the sync cannot run on fails `pulumi preview` with one list naming
// every problem, before anything is created.
import * as assert from "node:assert/strict";
import { Stack } from "@pulumi/pulumi/automation";
import { readSandbox, Sandbox } from "../support/sandbox";
import { mysqlQuery, postgresQuery, removeSyncStack, syncStack } from "../support/syncStack";

describe("e2e: preflight at preview", function () {
    this.timeout(10 * 60 * 1000);

    const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e3)}`;
    const prefix = `pre-${suffix}`;
    const noKey = `nokey_${suffix}`;
    const mismatch = `mismatch_${suffix}`;
    let sandbox: Sandbox;
    let stack: Stack;

    before(async () => {
        sandbox = readSandbox();
        await mysqlQuery(sandbox, `CREATE TABLE \`${noKey}\` (id INT NOT NULL, name VARCHAR(10))`);
        await postgresQuery(sandbox, `CREATE TABLE public."${noKey}" (id integer NOT NULL, name varchar(10))`);
        await mysqlQuery(sandbox, `CREATE TABLE \`${mismatch}\` (id INT PRIMARY KEY, amount DECIMAL(10,2), paid TINYINT(1), only_mysql INT)`);
        await postgresQuery(sandbox, `CREATE TABLE public."${mismatch}" (id integer PRIMARY KEY, amount numeric, paid bytea)`);
        stack = await syncStack(sandbox, prefix, [noKey, mismatch, `missing_${suffix}`]);
    });

    after(async () => removeSyncStack(sandbox, stack, [noKey, mismatch]));

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
        assert.deepEqual(await mysqlQuery(sandbox, `SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_NAME = ? AND COLUMN_NAME LIKE '\\\\_tandem\\\\_%'`, [mismatch]), []);
    });
});
