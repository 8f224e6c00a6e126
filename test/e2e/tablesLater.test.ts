// Tables added to a running stack get their existing rows (an incremental snapshot of just those tables)
// while the other tables keep streaming and are not copied again; a table removed from the stack stops
// syncing and, with teardown on, loses what the sync added to it.
import * as assert from "node:assert/strict";
import axios from "axios";
import { Stack } from "@pulumi/pulumi/automation";
import { eventually, readSandbox } from "../support/sandbox";
import { e2eSuite } from "../support/e2eSuite";
import { mysqlQuery, postgresQuery, removeSyncStack, setListConfig, syncStack, topicEndOffsets } from "../support/syncStack";

e2eSuite("e2e: tables added and removed later", { timeout: 30 * 60 * 1000 }, (e2e) => {
    const suffix = `${Date.now().toString(36).slice(-5)}${Math.floor(Math.random() * 1e3)}`;
    const prefix = `later-${suffix}`;
    const first = `first_${suffix}`;
    const added = `added_${suffix}`;
    const existing = 100_000;
    let stack: Stack;
    const connect = (path: string) => axios.get(`${readSandbox().connectUrl}${path}`).then((response) => response.data);
    const firstTopic = () => `${prefix}.mysql-to-postgres.${e2e.sandbox.mariadb.database}.${first}`;

    before(async () => {
        for (const table of [first, added]) {
            await mysqlQuery(e2e.sandbox, `CREATE TABLE \`${table}\` (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, n INT)`);
            await postgresQuery(
                e2e.sandbox,
                `CREATE TABLE public."${table}" (id integer PRIMARY KEY, name varchar(40) NOT NULL, n integer)`,
            );
        }
        await mysqlQuery(
            e2e.sandbox,
            `INSERT INTO \`${first}\` (id, name, n) VALUES ${Array.from({ length: 50 }, (_, i) => `(${i * 2 + 1}, 'first ${i}', ${i})`).join(",")}`,
        );
        // A table with rows long before it joins the sync.
        for (let start = 0; start < existing; start += 5000) {
            const rows = Array.from({ length: 5000 }, (_, i) => `(${(start + i) * 2 + 1}, 'existing ${start + i}', ${start + i})`);
            await mysqlQuery(e2e.sandbox, `INSERT INTO \`${added}\` (id, name, n) VALUES ${rows.join(",")}`);
        }
        stack = await syncStack(e2e.sandbox, prefix, [first]);
        const result = await stack.up({ onOutput: () => undefined });
        assert.equal(result.summary.result, "succeeded");
        await eventually("the first table's snapshot in PostgreSQL", 120_000, async () =>
            Number((await postgresQuery<{ n: string }>(e2e.sandbox, `SELECT count(*) AS n FROM public."${first}"`))[0].n) === 50
                ? true
                : undefined,
        );
    });

    after(async () => removeSyncStack(e2e.sandbox, stack, [first, added]));

    it(`a table added with ${existing.toLocaleString("en")} existing rows: all arrive, while the other table streams and is not copied again`, async () => {
        const before = (await topicEndOffsets(e2e.sandbox, [firstTopic()]))[firstTopic()];
        await setListConfig(stack, "tandem:tables", [first, added]);
        const up = await stack.up({ onOutput: () => undefined });
        assert.equal(up.summary.result, "succeeded");
        assert.deepEqual(up.outputs.tables.value, [first, added]);
        // The other table keeps streaming during the load: 20 updates.
        for (let i = 0; i < 20; i++) await mysqlQuery(e2e.sandbox, `UPDATE \`${first}\` SET n = n + 1 WHERE id = 1`);
        // Rows written to the new table during its load arrive too (and win over the snapshot's copy).
        await mysqlQuery(e2e.sandbox, `UPDATE \`${added}\` SET name = 'changed during the load' WHERE id = 1`);
        await postgresQuery(
            e2e.sandbox,
            `INSERT INTO public."${added}" (id, name, n) VALUES (2, 'written in postgres during the load', -1)`,
        );
        await eventually(`${existing.toLocaleString("en")} rows of ${added} in PostgreSQL`, 600_000, async () => {
            const [{ n }] = await postgresQuery<{ n: string }>(e2e.sandbox, `SELECT count(*) AS n FROM public."${added}" WHERE id % 2 = 1`);
            return Number(n) === existing ? true : undefined;
        });
        const [changed] = await postgresQuery<{ name: string }>(e2e.sandbox, `SELECT name FROM public."${added}" WHERE id = 1`);
        assert.equal(changed.name, "changed during the load");
        await eventually("the row written in PostgreSQL in MariaDB", 60_000, async () =>
            (await mysqlQuery(e2e.sandbox, `SELECT 1 FROM \`${added}\` WHERE id = 2`)).length === 1 ? true : undefined,
        );
        const after = (await topicEndOffsets(e2e.sandbox, [firstTopic()]))[firstTopic()];
        assert.equal(after - before, 20, "the first table's topic got its 20 updates, and no copy of its rows");
        const [{ n: firstRows }] = await postgresQuery<{ n: string }>(e2e.sandbox, `SELECT count(*) AS n FROM public."${first}"`);
        assert.equal(Number(firstRows), 50);
    });

    it("a table removed from the stack (teardown on) leaves the include lists and loses its triggers, tombstone table and columns", async () => {
        // Teardown on (an `up` records it in every resource's state), then the table leaves the stack.
        await stack.setConfig("tandem:teardownOnDestroy", { value: "true" });
        assert.equal((await stack.up({ onOutput: () => undefined })).summary.result, "succeeded");
        await setListConfig(stack, "tandem:tables", [first]);
        const up = await stack.up({ onOutput: () => undefined });
        assert.equal(up.summary.result, "succeeded");
        const source = await connect(`/connectors/${prefix}-mysql-source/config`);
        assert.doesNotMatch(source["table.include.list"], new RegExp(added));
        assert.match(source["table.include.list"], new RegExp(first));
        assert.doesNotMatch((await connect(`/connectors/${prefix}-postgres-source/config`))["table.include.list"], new RegExp(added));
        assert.doesNotMatch((await connect(`/connectors/${prefix}-postgres-sink/config`)).topics, new RegExp(added));
        assert.doesNotMatch((await connect(`/connectors/${prefix}-mysql-sink/config`)).topics, new RegExp(added));
        assert.deepEqual(
            await mysqlQuery(
                e2e.sandbox,
                "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_TABLE = ? OR EVENT_OBJECT_TABLE = ?",
                [added, `_tandem_del__${added}`],
            ),
            [],
        );
        assert.deepEqual(
            await mysqlQuery(
                e2e.sandbox,
                "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME LIKE '\\\\_tandem\\\\_%'",
                [added],
            ),
            [],
        );
        assert.deepEqual(
            await postgresQuery(e2e.sandbox, "SELECT tgname FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal", [
                `public."${added}"`,
            ]),
            [],
        );
        assert.deepEqual(await postgresQuery(e2e.sandbox, "SELECT to_regclass($1) AS tomb", [`public."_tandem_del__${added}"`]), [
            { tomb: null },
        ]);
        assert.deepEqual(
            await postgresQuery(e2e.sandbox, "SELECT tablename FROM pg_publication_tables WHERE pubname = $1 AND tablename = $2", [
                `${prefix.replace(/-/g, "_")}_pub`,
                added,
            ]),
            [],
        );
        // Rows of the application stay; the sync keeps running for the other table.
        assert.equal((await mysqlQuery(e2e.sandbox, `SELECT 1 FROM \`${added}\``)).length, existing + 1);
        await mysqlQuery(e2e.sandbox, `UPDATE \`${first}\` SET name = 'after the removal' WHERE id = 3`);
        await eventually("the other table still syncs", 60_000, async () =>
            (await postgresQuery<{ name: string }>(e2e.sandbox, `SELECT name FROM public."${first}" WHERE id = 3`))[0].name ===
            "after the removal"
                ? true
                : undefined,
        );
    });
});
