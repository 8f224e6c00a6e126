// The Connector resource against the sandbox's real Connect worker, through the real Pulumi CLI: create,
// settle, update, replace, validation at preview, desired states, drift, failures, secrets, 409 retries.
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import axios from "axios";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { JDBC_SINK_CLASS, mysqlSource } from "../../connectors/debeziumConfigs";
import { eventually, mariadbConnection, REPO_ROOT } from "../support/sandbox";
import { e2eSuite } from "../support/e2eSuite";
import { Spec } from "./fixtures/connector-stack/spec";

const run = promisify(execFile);
const FIXTURE = path.join(__dirname, "fixtures", "connector-stack");

e2eSuite("e2e: Connector resource", { timeout: 20 * 60 * 1000 }, (e2e) => {
    const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
    const table = `conn_items_${suffix}`;
    let stack: Stack;
    let spec: Spec;
    let output = "";
    const onOutput = (line: string) => {
        output += line;
    };

    async function deploy(next: Spec, sensitive?: Record<string, string>) {
        spec = next;
        await stack.setConfig("connector", { value: JSON.stringify(next) });
        if (sensitive) await stack.setConfig("sensitive", { value: JSON.stringify(sensitive), secret: true });
        output = "";
        return stack.up({ onOutput });
    }

    async function connectStatus(name: string) {
        return (await axios.get(`${e2e.sandbox.connectUrl}/connectors/${name}/status`)).data;
    }

    async function previewError(next: Spec): Promise<string> {
        await stack.setConfig("connector", { value: JSON.stringify(next) });
        try {
            await stack.preview();
        } catch (error) {
            return String((error as Error).message);
        } finally {
            await stack.setConfig("connector", { value: JSON.stringify(spec) });
        }
        assert.fail("preview succeeded with an invalid config");
    }

    before(async () => {
        const db = await mariadbConnection(e2e.sandbox);
        await db.query(`CREATE TABLE ${table} (id INT PRIMARY KEY, name VARCHAR(50))`).finally(() => db.end());
        stack = await LocalWorkspace.createOrSelectStack({ stackName: `connector-${suffix}`, workDir: FIXTURE });
    });

    after(async () => {
        if (stack) {
            await stack.destroy().catch(() => undefined);
            await stack.workspace.removeStack(stack.name).catch(() => undefined);
        }
        if (e2e.sandbox) {
            const db = await mariadbConnection(e2e.sandbox);
            await db.query(`DROP TABLE IF EXISTS ${table}`).finally(() => db.end());
        }
    });

    function sourceSpec(name: string, overrides: Record<string, string> = {}): Spec {
        const source = mysqlSource({
            prefix: `conn-${suffix}`,
            kafkaBootstrapServers: e2e.sandbox.kafkaBootstrap,
            mysql: { ...e2e.sandbox.mariadb, flavor: "mariadb", serverId: 300000 + Math.floor(Math.random() * 100000) },
            tables: [table],
        });
        return {
            connectUrl: e2e.sandbox.connectUrl,
            name,
            connectorClass: source.connectorClass,
            config: { ...source.config, ...overrides },
            secretsDir: e2e.sandbox.connectSecretsDir,
        };
    }

    it("creates a RUNNING connector with tasks and reports them as outputs", async () => {
        const result = await deploy(sourceSpec(`conn-${suffix}`), { "database.password": e2e.sandbox.mariadb.password });
        assert.equal(result.summary.result, "succeeded");
        assert.equal(result.outputs.connectorState.value, "RUNNING");
        assert.ok((result.outputs.tasks.value as { state: string }[]).every((task) => task.state === "RUNNING"));
        assert.equal(result.outputs.workerId.value, "127.0.0.1:18083");
        const status = await connectStatus(spec.name);
        assert.equal(status.connector.state, "RUNNING");
        assert.ok(status.tasks.length > 0);
    });

    it("settles: a second up with no input change makes 0 changes", async () => {
        const result = await stack.up({ onOutput });
        assert.deepEqual(result.summary.resourceChanges, { same: 2 });
    });

    it("updates in place on a config change", async () => {
        const result = await deploy({ ...spec, config: { ...spec.config, "poll.interval.ms": "200" } });
        assert.deepEqual(result.summary.resourceChanges, { same: 1, update: 1 });
        const live = (await axios.get(`${e2e.sandbox.connectUrl}/connectors/${spec.name}/config`)).data;
        assert.equal(live["poll.interval.ms"], "200");
        assert.equal((await connectStatus(spec.name)).connector.state, "RUNNING");
    });

    it("reports topics the connector wrote", async () => {
        const db = await mariadbConnection(e2e.sandbox);
        await db.query(`INSERT INTO ${table} VALUES (1, 'a')`).finally(() => db.end());
        const topic = `conn-${suffix}.mysql-to-postgres.${e2e.sandbox.mariadb.database}.${table}`;
        await eventually("the topic in Connect's tracking", 30_000, async () => {
            const answer = (await axios.get(`${e2e.sandbox.connectUrl}/connectors/${spec.name}/topics`)).data;
            return answer[spec.name].topics.includes(topic) ? true : undefined;
        });
        // refresh reads them into the resource's state; the next up (no changes) exports them.
        assert.equal((await stack.refresh({ onOutput })).summary.result, "succeeded");
        const result = await stack.up({ onOutput });
        assert.deepEqual(result.summary.resourceChanges, { same: 2 });
        assert.ok((result.outputs.topics.value as string[]).includes(topic), JSON.stringify(result.outputs.topics.value));
    });

    it("fails preview naming the key: unknown class, missing required key, bad value, bad credentials", async () => {
        const unknownClass = await previewError({ ...spec, connectorClass: "com.example.NoSuchConnector" });
        assert.match(unknownClass, /connectorClass/);
        assert.match(unknownClass, /NoSuchConnector/);

        const { ["topic.prefix"]: _dropped, ...withoutPrefix } = spec.config;
        assert.match(await previewError({ ...spec, config: withoutPrefix }), /config\["topic\.prefix"\]: .*(required|topic\.prefix)/i);

        assert.match(
            await previewError({ ...spec, config: { ...spec.config, "database.port": "not-a-port" } }),
            /config\["database\.port"\]: .*integer/i,
        );

        await stack.setConfig("sensitive", { value: JSON.stringify({ "database.password": "wrong-password" }), secret: true });
        try {
            assert.match(await previewError(spec), /sensitiveConfig\["database\.password"\]|Access denied/);
        } finally {
            await stack.setConfig("sensitive", {
                value: JSON.stringify({ "database.password": e2e.sandbox.mariadb.password }),
                secret: true,
            });
        }
        assert.doesNotMatch(output, /at [A-Za-z]+ \(.*\.ts:\d+/, "no stack trace");
    });

    it("reaches paused and stopped, reports them, and runs again", async () => {
        let result = await deploy({ ...spec, state: "paused" });
        assert.equal(result.outputs.connectorState.value, "PAUSED");
        assert.equal((await connectStatus(spec.name)).connector.state, "PAUSED");

        result = await deploy({ ...spec, state: "stopped" });
        assert.equal(result.outputs.connectorState.value, "STOPPED");
        assert.equal((await connectStatus(spec.name)).connector.state, "STOPPED");

        result = await deploy({ ...spec, state: "running" });
        assert.equal(result.outputs.connectorState.value, "RUNNING");
        const status = await connectStatus(spec.name);
        assert.equal(status.connector.state, "RUNNING");
        assert.ok(status.tasks.every((task: { state: string }) => task.state === "RUNNING"));
    });

    it("refresh shows changes made behind Pulumi's back, and up restores them", async () => {
        await axios.put(`${e2e.sandbox.connectUrl}/connectors/${spec.name}/config`, {
            ...(await axios.get(`${e2e.sandbox.connectUrl}/connectors/${spec.name}/config`)).data,
            "poll.interval.ms": "999",
        });
        await axios.put(`${e2e.sandbox.connectUrl}/connectors/${spec.name}/pause`, null, {
            headers: { "Content-Type": "application/json" },
        });
        await eventually("the pause", 30_000, async () =>
            (await connectStatus(spec.name)).connector.state === "PAUSED" ? true : undefined,
        );

        const refreshed = await stack.refresh({ onOutput });
        assert.equal(refreshed.summary.resourceChanges?.update, 1);
        assert.match(output, /poll\.interval\.ms/);
        const preview = await stack.preview();
        assert.equal(preview.changeSummary.update, 1);

        await stack.up({ onOutput });
        const live = (await axios.get(`${e2e.sandbox.connectUrl}/connectors/${spec.name}/config`)).data;
        assert.equal(live["poll.interval.ms"], "200");
        assert.equal((await connectStatus(spec.name)).connector.state, "RUNNING");
    });

    it("refresh drops a connector deleted behind Pulumi's back; up creates it again", async () => {
        await axios.delete(`${e2e.sandbox.connectUrl}/connectors/${spec.name}`);
        const refreshed = await stack.refresh({ onOutput });
        assert.equal(refreshed.summary.resourceChanges?.delete, 1);
        const result = await stack.up({ onOutput });
        assert.equal(result.summary.resourceChanges?.create, 1);
        assert.equal((await connectStatus(spec.name)).connector.state, "RUNNING");
    });

    it("keeps the password out of Connect's config topic, its REST API and the Pulumi state", async () => {
        const password = e2e.sandbox.mariadb.password;
        const config = JSON.stringify((await axios.get(`${e2e.sandbox.connectUrl}/connectors/${spec.name}/config`)).data);
        assert.match(config, /"database\.password":"\$\{dir:/);
        assert.ok(!config.includes(password));

        // `pulumi stack export` as a user runs it (the Automation API's exportStack adds --show-secrets).
        const { stdout: deployment } = await run("pulumi", ["stack", "export", "--stack", stack.name], {
            cwd: FIXTURE,
            maxBuffer: 64 * 1024 * 1024,
        });
        assert.ok(deployment.includes(spec.name), "the export holds the connector");
        assert.ok(!deployment.includes(password), "the export holds the password in plaintext");
        // ...while the state does hold it, encrypted: decrypting shows it.
        assert.ok(JSON.stringify(await stack.exportStack()).includes(password), "the state holds the program's secret input");

        const { stdout } = await run(
            "bash",
            [
                path.join(REPO_ROOT, "sandbox", "sandbox.sh"),
                "tool",
                "org.apache.kafka.tools.consumer.ConsoleConsumer",
                "--bootstrap-server",
                e2e.sandbox.kafkaBootstrap,
                "--topic",
                "tandem-sandbox-configs",
                "--from-beginning",
                "--timeout-ms",
                "8000",
            ],
            { maxBuffer: 64 * 1024 * 1024 },
        ).catch((error) => error as { stdout: string });
        assert.ok(stdout.includes(spec.name), "the config topic was read and holds the connector");
        assert.ok(!stdout.includes(password), "Connect's config topic holds the password in plaintext");
    });

    it("retries while the worker restarts mid-update (409 / connection refused)", async () => {
        const next = { ...spec, config: { ...spec.config, "poll.interval.ms": "300" } };
        await stack.setConfig("connector", { value: JSON.stringify(next) });
        spec = next;
        output = "";
        const restart = (async () => {
            await eventually("the update to start", 60_000, async () => (/updating/.test(output) ? true : undefined));
            await run("bash", [path.join(REPO_ROOT, "sandbox", "sandbox.sh"), "restart", "connect"]);
        })();
        const result = await stack.up({ onOutput });
        await restart;
        assert.equal(result.summary.result, "succeeded");
        assert.match(output, /retry \d+: (PUT|GET) .* got (409|ECONNREFUSED|5\d\d)/);
        const live = (await axios.get(`${e2e.sandbox.connectUrl}/connectors/${spec.name}/config`)).data;
        assert.equal(live["poll.interval.ms"], "300");
        assert.equal((await connectStatus(spec.name)).connector.state, "RUNNING");
    });

    it("replaces on a name change", async () => {
        const oldName = spec.name;
        const result = await deploy({ ...spec, name: `${oldName}-renamed` });
        assert.equal(result.summary.resourceChanges?.replace, 1);
        assert.equal((await axios.get(`${e2e.sandbox.connectUrl}/connectors/${oldName}`, { validateStatus: () => true })).status, 404);
        assert.equal((await connectStatus(spec.name)).connector.state, "RUNNING");
    });

    it("fails up when a source task fails seconds after each start (a record too large), then, once fixed, stays RUNNING", async () => {
        await stack.destroy();
        const db = await mariadbConnection(e2e.sandbox);
        await db.query(`INSERT INTO ${table} (id, name) VALUES (424242, 'larger than the producer allows')`).finally(() => db.end());
        // Every change event (JSON with its schema) is larger than 1,000 bytes: the snapshot's first send fails.
        const failing = sourceSpec(`conn-${suffix}-toolarge`, { "producer.override.max.request.size": "1000" });
        const started = Date.now();
        await assert.rejects(deploy(failing, { "database.password": e2e.sandbox.mariadb.password }), (error: Error) => {
            assert.match(error.message, /connector conn-\S+-toolarge: task 0 FAILED/);
            assert.match(error.message, /RecordTooLargeException|larger than the maximum request size/);
            return true;
        });
        process.stdout.write(`      (up failed after ${Math.round((Date.now() - started) / 1000)} s)\n`);
        const fixed = sourceSpec(`conn-${suffix}-toolarge`);
        const result = await deploy(fixed, { "database.password": e2e.sandbox.mariadb.password });
        assert.equal(result.summary.result, "succeeded");
        await new Promise((resolve) => setTimeout(resolve, 60_000));
        const status = await connectStatus(fixed.name);
        assert.equal(status.connector.state, "RUNNING");
        assert.deepEqual(
            status.tasks.map((task: { state: string }) => task.state),
            ["RUNNING"],
        );
    });

    it("fails up with the task's error when a task fails (bad sink credentials)", async () => {
        await stack.destroy();
        const sink: Spec = {
            connectUrl: e2e.sandbox.connectUrl,
            name: `conn-${suffix}-sink`,
            connectorClass: JDBC_SINK_CLASS,
            config: {
                "tasks.max": "1",
                topics: `conn-${suffix}.unused`,
                "connection.url": `jdbc:postgresql://${e2e.sandbox.postgres.host}:${e2e.sandbox.postgres.port}/${e2e.sandbox.postgres.database}`,
                "connection.username": e2e.sandbox.postgres.user,
            },
            secretsDir: e2e.sandbox.connectSecretsDir,
        };
        await assert.rejects(deploy(sink, { "connection.password": "wrong-password" }), (error: Error) => {
            assert.match(error.message, /task 0 FAILED/);
            assert.match(error.message, /password authentication failed|Could not create connection|Connections could not be acquired/);
            return true;
        });
    });
});
