// End to end, for real: the Pulumi CLI runs this repository's program against the sandbox's Kafka Connect
// worker, MariaDB and PostgreSQL. A row inserted in MariaDB must appear in PostgreSQL; a second update
// must change nothing; destroy must remove the connectors.
import * as assert from "node:assert/strict";
import axios from "axios";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { eventually, mariadbConnection, postgresClient, readSandbox, REPO_ROOT, Sandbox } from "../support/sandbox";

describe("e2e: pulumi up moves a MariaDB row into PostgreSQL", function () {
    this.timeout(15 * 60 * 1000);
    // Each step builds on the previous one: stop at the first failure.
    this.bail(true);

    const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
    const table = `e2e_items_${suffix}`;
    const prefix = `e2e-${suffix}`;
    const stackName = `e2e-${suffix}`;
    let sandbox: Sandbox;
    let stack: Stack;
    let connectorNames: string[] = [];
    let tableCreated = false;

    before(async () => {
        sandbox = readSandbox();
        const db = await mariadbConnection(sandbox);
        try {
            await db.query(
                `CREATE TABLE ${table} (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, price DECIMAL(10,2), updated_at DATETIME(6))`,
            );
            tableCreated = true;
        } finally {
            await db.end();
        }
        stack = await LocalWorkspace.createOrSelectStack({ stackName, workDir: REPO_ROOT });
        await stack.setAllConfig({
            "tandem:environment": { value: "local" },
            "tandem:connectUrl": { value: sandbox.connectUrl },
            "tandem:kafkaBootstrapServers": { value: sandbox.kafkaBootstrap },
            "tandem:connectSecretsDir": { value: sandbox.connectSecretsDir },
            "tandem:topicPrefix": { value: prefix },
            "tandem:mysqlHost": { value: sandbox.mariadb.host },
            "tandem:mysqlPort": { value: String(sandbox.mariadb.port) },
            "tandem:mysqlDatabase": { value: sandbox.mariadb.database },
            "tandem:mysqlUser": { value: sandbox.mariadb.user },
            "tandem:mysqlPassword": { value: sandbox.mariadb.password, secret: true },
            "tandem:mysqlServerId": { value: String(200000 + Math.floor(Math.random() * 100000)) },
            "tandem:postgresHost": { value: sandbox.postgres.host },
            "tandem:postgresPort": { value: String(sandbox.postgres.port) },
            "tandem:postgresDatabase": { value: sandbox.postgres.database },
            "tandem:postgresUser": { value: sandbox.postgres.user },
            "tandem:postgresPassword": { value: sandbox.postgres.password, secret: true },
        });
        await stack.setConfig("tandem:tables[0]", { value: table }, true);
    });

    after(async () => {
        if (stack) {
            await stack.destroy({ onOutput: () => undefined }).catch(() => undefined);
            await stack.workspace.removeStack(stackName).catch(() => undefined);
        }
        if (tableCreated) {
            const db = await mariadbConnection(sandbox);
            await db.query(`DROP TABLE IF EXISTS ${table}`).finally(() => db.end());
            const pg = await postgresClient(sandbox);
            await pg.query(`DROP TABLE IF EXISTS public.${table}`).finally(() => pg.end());
        }
    });

    it("creates a running MariaDB source and JDBC sink through the Connect REST API", async () => {
        const result = await stack.up({ onOutput: (line) => process.stdout.write(line) });
        assert.equal(result.summary.result, "succeeded");
        const connectors = result.outputs.connectors.value as Record<string, { name: string; state: string; tasks: { state: string }[] }>;
        connectorNames = Object.values(connectors).map((connector) => connector.name);
        assert.deepEqual(connectorNames.sort(), [`${prefix}-mysql-source`, `${prefix}-postgres-sink`]);
        for (const name of connectorNames) {
            const status = (await axios.get(`${sandbox.connectUrl}/connectors/${name}/status`)).data;
            assert.equal(status.connector.state, "RUNNING", `${name} connector state`);
            assert.ok(status.tasks.length > 0 && status.tasks.every((task: { state: string }) => task.state === "RUNNING"), `${name} tasks`);
        }
        assert.deepEqual(result.outputs.topics.value, { mysqlToPostgres: [`${prefix}.mysql-to-postgres.${sandbox.mariadb.database}.${table}`] });
    });

    it("copies a row inserted in MariaDB into PostgreSQL", async () => {
        const db = await mariadbConnection(sandbox);
        try {
            await db.query(`INSERT INTO ${table} VALUES (1, 'first ✓ row', 12.34, '2026-11-25 10:11:12.123456')`);
        } finally {
            await db.end();
        }
        const pg = await postgresClient(sandbox);
        try {
            const row = await eventually(`row 1 of ${table} in PostgreSQL`, 90_000, async () => {
                const result = await pg.query(`SELECT id, name, price::text AS price FROM public.${table} WHERE id = 1`);
                return result.rows[0];
            });
            assert.deepEqual(row, { id: 1, name: "first ✓ row", price: "12.34" });
        } finally {
            await pg.end();
        }
    });

    it("keeps passwords out of Connect's stored config", async () => {
        for (const name of connectorNames) {
            const config = (await axios.get(`${sandbox.connectUrl}/connectors/${name}/config`)).data as Record<string, string>;
            const text = JSON.stringify(config);
            assert.ok(!text.includes(sandbox.mariadb.password) && !text.includes(sandbox.postgres.password), `${name} config holds a password`);
            assert.match(text, /\$\{dir:/);
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
            const status = await axios.get(`${sandbox.connectUrl}/connectors/${name}`, { validateStatus: () => true });
            assert.equal(status.status, 404, `${name} still exists`);
        }
    });
});
