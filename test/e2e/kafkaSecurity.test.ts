// E2e: the pipeline on Kafka's secured listener (SCRAM-SHA-512 over TLS, ACLs on), through the sandbox's second
// Connect worker, which runs as a principal that holds only its own internal topics and group. The stack
// (tandem:kafkaSecurity = sasl-scram) creates its topics as the Kafka admin, grants the Connect principal the
// pipeline's topics and groups, and gives the connectors' own clients and the monitor that principal's
// credentials as secrets. A principal without ACLs is refused; the Connect principal reaches nothing else.
import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as path from "node:path";
import axios from "axios";
import { Kafka, logLevel } from "kafkajs";
import { Stack } from "@pulumi/pulumi/automation";
import { registerKafkaCodecs } from "../../ops/kafkaCodecs";
import { e2eSuite } from "../support/e2eSuite";
import { freePort } from "../support/prometheus";
import { eventually, REPO_ROOT, Sandbox } from "../support/sandbox";
import { mysqlQuery, postgresQuery, removeSyncStack, syncStack, waitConverged } from "../support/syncStack";

const suffix = Date.now().toString(36).slice(-5);
const prefix = `ks${suffix}`;
const table = `ks_items_${suffix}`;

const sandboxScript = (...args: string[]) =>
    execFileSync("bash", [path.join(REPO_ROOT, "sandbox", "sandbox.sh"), ...args], { stdio: "pipe" });

function client(sandbox: Sandbox, who: "admin" | "connect" | "outsider"): Kafka {
    const secure = sandbox.kafkaSecure!;
    return new Kafka({
        clientId: `e2e-${who}`,
        brokers: [secure.bootstrap],
        ssl: { ca: [secure.ca] },
        sasl: { mechanism: "scram-sha-512", username: secure[who].user, password: secure[who].password },
        logLevel: logLevel.NOTHING,
        retry: { retries: 0 },
        connectionTimeout: 10_000,
    });
}

/** Reads one message of `topic` from the start as `who`; the error's type when refused. */
async function readAs(sandbox: Sandbox, who: "connect" | "outsider", topic: string): Promise<string> {
    const consumer = client(sandbox, who).consumer({ groupId: `${prefix}-e2e-${who}-${Date.now()}` });
    try {
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        const read = new Promise<string>((resolve) => {
            void consumer.run({ eachMessage: async () => resolve("read") });
        });
        return await Promise.race([read, new Promise<string>((resolve) => setTimeout(() => resolve("nothing within 20 s"), 20_000))]);
    } catch (error) {
        return (error as { type?: string }).type ?? (error as Error).message;
    } finally {
        await consumer.disconnect().catch(() => undefined);
    }
}

async function metadataAs(sandbox: Sandbox, who: "connect" | "outsider", topic: string): Promise<string> {
    const admin = client(sandbox, who).admin();
    try {
        await admin.connect();
        await admin.fetchTopicOffsets(topic);
        return "described";
    } catch (error) {
        return (error as { type?: string }).type ?? (error as Error).message;
    } finally {
        await admin.disconnect().catch(() => undefined);
    }
}

e2eSuite("Kafka SASL_SSL + ACLs: the pipeline on a secured cluster", { timeout: 600_000 }, (e2e) => {
    let stack: Stack | undefined;
    let monitor = "";
    let changeTopic = "";
    const outsideTopic = `outside-${suffix}`;

    before(async () => {
        assert.ok(e2e.sandbox.kafkaSecure, "the sandbox has no secured Kafka listener (sandbox.env): run sandbox/sandbox.sh up");
        registerKafkaCodecs();
        sandboxScript("up", "connect-secure");
        await mysqlQuery(e2e.sandbox, `CREATE TABLE \`${table}\` (id BIGINT PRIMARY KEY, note VARCHAR(40))`);
        await postgresQuery(e2e.sandbox, `CREATE TABLE public."${table}" (id BIGINT PRIMARY KEY, note VARCHAR(40))`);
        const admin = client(e2e.sandbox, "admin").admin();
        await admin.connect();
        await admin.createTopics({ topics: [{ topic: outsideTopic }], waitForLeaders: true });
        const producer = client(e2e.sandbox, "admin").producer();
        await producer.connect();
        await producer.send({ topic: outsideTopic, messages: [{ value: "not the pipeline's" }] });
        await producer.disconnect();
        await admin.disconnect();
    });

    after(async () => {
        try {
            await removeSyncStack(e2e.sandbox, stack, [table]);
        } finally {
            const admin = client(e2e.sandbox, "admin").admin();
            await admin
                .connect()
                .then(() => admin.deleteTopics({ topics: [outsideTopic] }))
                .catch(() => undefined);
            await admin.disconnect().catch(() => undefined);
            sandboxScript("down", "connect-secure");
        }
    });

    it("pulumi up with sasl-scram creates the topics and ACLs and runs the four connectors on the secured worker", async () => {
        const secure = e2e.sandbox.kafkaSecure!;
        const port = await freePort();
        stack = await syncStack(e2e.sandbox, prefix, [table], {
            "tandem:connectUrl": secure.connectUrl,
            "tandem:kafkaBootstrapServers": secure.bootstrap,
            "tandem:kafkaSecurity": "sasl-scram",
            "tandem:kafkaUser": secure.admin.user,
            "tandem:kafkaConnectUser": secure.connect.user,
            "tandem:kafkaTlsCa": secure.ca,
            "tandem:healthMonitor": "true",
            "tandem:healthMonitorPort": String(port),
        });
        await stack.setConfig("tandem:kafkaPassword", { value: secure.admin.password, secret: true });
        await stack.setConfig("tandem:kafkaConnectPassword", { value: secure.connect.password, secret: true });
        const result = await stack.up({ onOutput: () => undefined });
        assert.equal(result.summary.result, "succeeded");
        const connectors = result.outputs.connectors.value as Record<string, { state: string; tasks: { state: string }[] }>;
        for (const [role, connector] of Object.entries(connectors)) {
            assert.equal(connector.state, "RUNNING", role);
            assert.ok(connector.tasks.length > 0 && connector.tasks.every((task) => task.state === "RUNNING"), role);
        }
        monitor = result.outputs.dashboards.value.healthMonitor;
        changeTopic = (result.outputs.topics.value as { mysqlToPostgres: { rows: string[] } }).mysqlToPostgres.rows[0];
    });

    it("rows travel both ways through the secured cluster", async () => {
        await mysqlQuery(e2e.sandbox, `INSERT INTO \`${table}\` (id, note) VALUES (1, 'from mariadb')`);
        await postgresQuery(e2e.sandbox, `INSERT INTO public."${table}" (id, note) VALUES (2, 'from postgres')`);
        const rows = await waitConverged(e2e.sandbox, table, ["id", "note"], 120_000);
        assert.deepEqual(
            rows.map((row) => row.note),
            ["from mariadb", "from postgres"],
        );
    });

    it("a principal without ACLs is refused the pipeline's topics", async () => {
        assert.ok(changeTopic.startsWith(`${prefix}.`), changeTopic);
        assert.equal(await readAs(e2e.sandbox, "connect", changeTopic), "read", "the Connect principal reads its topic (control)");
        assert.equal(await metadataAs(e2e.sandbox, "outsider", changeTopic), "TOPIC_AUTHORIZATION_FAILED");
        assert.match(await readAs(e2e.sandbox, "outsider", changeTopic), /AUTHORIZATION_FAILED/);
    });

    it("the Connect principal reaches nothing outside the pipeline", async () => {
        assert.equal(await metadataAs(e2e.sandbox, "connect", outsideTopic), "TOPIC_AUTHORIZATION_FAILED");
        assert.match(await readAs(e2e.sandbox, "connect", outsideTopic), /AUTHORIZATION_FAILED/);
        assert.equal(await metadataAs(e2e.sandbox, "connect", "tandem-sandbox-configs"), "TOPIC_AUTHORIZATION_FAILED");
    });

    it("the health monitor reads the sinks' lag as the Connect principal", async () => {
        await eventually("the monitor's consumer-group lag and Kafka probe", 90_000, async () => {
            const text = (await axios.get(`${monitor}/metrics`, { timeout: 5000 })).data as string;
            const lag = new RegExp(`^kafka_consumergroup_lag\\{consumergroup="connect-${prefix}-postgres-sink"`, "m").test(text);
            const up = /^tandem_probe_up\{target="kafka"\} 1$/m.test(text);
            return lag && up ? true : undefined;
        });
    });

    it("the tools log in as the stack's Kafka admin (tandem dlq list)", () => {
        const run = spawnSync(path.join(REPO_ROOT, "bin", "tandem"), ["dlq", "list", "-o", "json", "--stack", prefix], {
            cwd: REPO_ROOT,
            encoding: "utf8",
            timeout: 120_000,
        });
        assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
        assert.ok(Array.isArray(JSON.parse(run.stdout)), run.stdout);
    });
});
