// End to end, for real: the Pulumi CLI runs this repository's program against the sandbox's Kafka Connect
// worker, MariaDB and PostgreSQL. A row inserted in MariaDB must appear in PostgreSQL; a second update
// must change nothing; no password may reach Connect's stored config; destroy must remove the connectors.
import * as assert from "node:assert/strict";
import axios from "axios";
import { Stack } from "@pulumi/pulumi/automation";
import { syncNames } from "../../core/model";
import { eventually } from "../support/sandbox";
import { e2eSuite } from "../support/e2eSuite";
import { mysqlQuery, postgresQuery, removeSyncStack, syncStack } from "../support/syncStack";

e2eSuite("e2e: pulumi up moves a MariaDB row into PostgreSQL", { timeout: 15 * 60 * 1000 }, (e2e) => {
    const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
    const table = `e2e_items_${suffix}`;
    const prefix = `e2e-${suffix}`;
    let stack: Stack;
    let connectorNames: string[] = [];

    before(async () => {
        await mysqlQuery(
            e2e.sandbox,
            `CREATE TABLE ${table} (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, price DECIMAL(10,2), updated_at DATETIME(6))`,
        );
        await postgresQuery(
            e2e.sandbox,
            `CREATE TABLE public.${table} (id integer PRIMARY KEY, name varchar(100) NOT NULL, price numeric(10,2), updated_at timestamp(6))`,
        );
        stack = await syncStack(e2e.sandbox, prefix, [table]);
    });

    after(async () => removeSyncStack(e2e.sandbox, stack, [table]));

    it("creates running connectors through the Connect REST API", async () => {
        const result = await stack.up({ onOutput: (line) => process.stdout.write(line) });
        assert.equal(result.summary.result, "succeeded");
        const connectors = result.outputs.connectors.value as Record<string, { name: string; state: string }>;
        connectorNames = Object.values(connectors).map((connector) => connector.name);
        assert.deepEqual(
            connectorNames.sort(),
            ["mysql-sink", "mysql-source", "postgres-sink", "postgres-source"].map((n) => `${prefix}-${n}`),
        );
        for (const name of connectorNames) {
            const status = (await axios.get(`${e2e.sandbox.connectUrl}/connectors/${name}/status`)).data;
            assert.equal(status.connector.state, "RUNNING", `${name} connector state`);
            assert.ok(
                status.tasks.length > 0 && status.tasks.every((task: { state: string }) => task.state === "RUNNING"),
                `${name} tasks`,
            );
        }
        const topics = result.outputs.topics.value as { mysqlToPostgres: { rows: string[] } };
        // The table's topic, and the health monitor's canary's (synced like any table).
        assert.deepEqual(
            topics.mysqlToPostgres.rows,
            [table, syncNames(prefix).canaryTable].map((name) => `${prefix}.mysql-to-postgres.${e2e.sandbox.mariadb.database}.${name}`),
        );
    });

    it("copies a row inserted in MariaDB into PostgreSQL", async () => {
        await mysqlQuery(
            e2e.sandbox,
            `INSERT INTO ${table} (id, name, price, updated_at) VALUES (1, 'first ✓ row', 12.34, '2026-11-25 10:11:12.123456')`,
        );
        const row = await eventually(
            `row 1 of ${table} in PostgreSQL`,
            90_000,
            async () =>
                (
                    await postgresQuery(
                        e2e.sandbox,
                        `SELECT id, name, price::text AS price, updated_at::text AS updated_at FROM public.${table} WHERE id = 1`,
                    )
                )[0],
        );
        assert.deepEqual(row, { id: 1, name: "first ✓ row", price: "12.34", updated_at: "2026-11-25 10:11:12.123456" });
    });

    it("keeps passwords out of Connect's stored config", async () => {
        for (const name of connectorNames) {
            const text = JSON.stringify((await axios.get(`${e2e.sandbox.connectUrl}/connectors/${name}/config`)).data);
            assert.ok(
                !text.includes(e2e.sandbox.mariadb.password) && !text.includes(e2e.sandbox.postgres.password),
                `${name} config holds a password`,
            );
            assert.match(text, /"(database|connection)\.password":"\$\{dir:/);
        }
    });

    it("settles: a preview after up reports no changes", async () => {
        const preview = await stack.preview();
        const changes = Object.entries(preview.changeSummary).filter(([op, count]) => op !== "same" && count > 0);
        assert.deepEqual(changes, []);
    });

    it("destroy removes the connectors", async () => {
        const result = await stack.destroy();
        assert.equal(result.summary.result, "succeeded");
        for (const name of connectorNames) {
            const status = await axios.get(`${e2e.sandbox.connectUrl}/connectors/${name}`, { validateStatus: () => true });
            assert.equal(status.status, 404, `${name} still exists`);
        }
    });
});
