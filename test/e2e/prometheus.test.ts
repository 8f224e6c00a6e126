// The generated Prometheus config and rules against real tools: promtool accepts them, and a real
// Prometheus scraping the sandbox's Connect worker finds the Debezium and Connect series they use, loads
// the rules without evaluation errors, and raises the alerts of a sink whose database is down and of a sink
// that dead-letters a record.
// Long on purpose: one real Prometheus run shared by every check (starting it dominates the time).
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import axios from "axios";
import { Kafka, logLevel } from "kafkajs";
import { pipelineDashboard } from "../../components/monitoring/grafanaDashboard";
import { alertRules, scrapeConfig, toYaml } from "../../components/monitoring/prometheusConfig";
import { secretReference } from "../../connectors/connectorModel";
import { ConnectorSpec, JDBC_SINK_PASSWORD_KEY, SOURCE_PASSWORD_KEY, mysqlSource } from "../../connectors/debeziumConfigs";
import { removeConnectorSecrets, writeConnectorSecrets } from "../../connectors/workerSecrets";
import { eventually } from "../support/sandbox";
import { connectMetricsTarget, promtool, RunningPrometheus, startPrometheus } from "../support/prometheus";
import { e2eSuite } from "../support/e2eSuite";
import { mysqlQuery } from "../support/syncStack";
import { directionPrefix, mysqlTableTopic } from "../../core/topics";
import { mysqlSyncSink, postgresSyncSink } from "../../connectors/syncSinks";

e2eSuite("e2e: Prometheus config and alert rules", { timeout: 5 * 60 * 1000 }, (e2e) => {
    const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e3)}`;
    const prefix = `prom-${suffix}`;
    const table = `prom_items_${suffix}`;
    const source = `${prefix}-mysql-source`;
    const mysqlSink = `${prefix}-mysql-sink`;
    const postgresSink = `${prefix}-postgres-sink`;
    const DLQ_TABLE = "dlq_probe";
    let dir = "";
    let prometheus: RunningPrometheus | undefined;
    let api = "";

    /** Creates a connector; its password reaches the worker as a file, as the Connector resource's does. */
    async function putConnector(name: string, spec: ConnectorSpec, passwordKey: string, password: string): Promise<void> {
        writeConnectorSecrets(e2e.sandbox.connectSecretsDir, name, { [passwordKey]: password });
        spec.config[passwordKey] = secretReference(e2e.sandbox.connectSecretsDir, name, passwordKey);
        const response = await axios.put(
            `${e2e.sandbox.connectUrl}/connectors/${name}/config`,
            { ...spec.config, "connector.class": spec.connectorClass, name },
            { validateStatus: () => true },
        );
        assert.ok(
            response.status === 200 || response.status === 201,
            `PUT ${name}: HTTP ${response.status} ${JSON.stringify(response.data)}`,
        );
    }

    async function sendUnconvertible(): Promise<void> {
        const producer = new Kafka({
            clientId: "tandem-tests",
            brokers: [e2e.sandbox.kafkaBootstrap],
            logLevel: logLevel.NOTHING,
        }).producer();
        await producer.connect();
        try {
            await producer.send({
                topic: mysqlTableTopic(prefix, e2e.sandbox.mariadb.database, DLQ_TABLE),
                messages: [{ key: "{", value: "not json" }],
            });
        } finally {
            await producer.disconnect();
        }
    }

    async function query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
        return (await axios.get(`${api}/api/v1/query`, { params: { query: promql } })).data.data.result;
    }

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-prometheus-"));
        await mysqlQuery(e2e.sandbox, `CREATE TABLE \`${table}\` (id INT PRIMARY KEY, name VARCHAR(50))`);
        // A real Debezium MariaDB source.
        await putConnector(
            source,
            mysqlSource({
                prefix,
                kafkaBootstrapServers: e2e.sandbox.kafkaBootstrap,
                mysql: { ...e2e.sandbox.mariadb, flavor: "mariadb", serverId: 400000 + Math.floor(Math.random() * 100000) },
                tables: [table],
            }),
            SOURCE_PASSWORD_KEY,
            e2e.sandbox.mariadb.password,
        );
        // The sync's MariaDB sink while MariaDB is down (nothing listens on port 1): its task fails.
        await putConnector(
            mysqlSink,
            mysqlSyncSink({
                prefix,
                sourceNamespace: "public",
                tables: [table],
                mysql: { ...e2e.sandbox.mariadb, port: 1, flavor: "mariadb", serverId: 1 },
                maxRowBytes: 1024 * 1024,
            }),
            JDBC_SINK_PASSWORD_KEY,
            e2e.sandbox.mariadb.password,
        );
        // The sync's PostgreSQL sink, on a table the source does not capture, with a record that is not JSON
        // waiting on its topic: the converter rejects it and errors.tolerance=all dead-letters it.
        await sendUnconvertible();
        await putConnector(
            postgresSink,
            postgresSyncSink({
                prefix,
                sourceNamespace: e2e.sandbox.mariadb.database,
                tables: [DLQ_TABLE],
                postgres: { ...e2e.sandbox.postgres, schema: "public" },
                maxRowBytes: 1024 * 1024,
            }),
            JDBC_SINK_PASSWORD_KEY,
            e2e.sandbox.postgres.password,
        );
    });

    after(async () => {
        await prometheus?.stop();
        if (!e2e.sandbox) return;
        const connect = e2e.sandbox.connectUrl;
        // Stop the source and drop its stored offsets before deleting it, so nothing of it stays in Connect.
        await axios.put(`${connect}/connectors/${source}/stop`).catch(() => undefined);
        await eventually(`${source} stopped`, 30_000, async () =>
            (await axios.get(`${connect}/connectors/${source}/status`)).data.connector.state === "STOPPED" ? true : undefined,
        ).catch(() => undefined);
        await axios.delete(`${connect}/connectors/${source}/offsets`).catch(() => undefined);
        for (const name of [source, mysqlSink, postgresSink]) {
            await axios.delete(`${connect}/connectors/${name}`).catch(() => undefined);
            removeConnectorSecrets(e2e.sandbox.connectSecretsDir, name);
        }
        const admin = new Kafka({ clientId: "tandem-tests", brokers: [e2e.sandbox.kafkaBootstrap], logLevel: logLevel.NOTHING }).admin();
        try {
            await admin.connect();
            const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(`${prefix}.`));
            if (topics.length) await admin.deleteTopics({ topics, timeout: 30_000 });
            await admin.deleteGroups([`connect-${mysqlSink}`, `connect-${postgresSink}`]).catch(() => undefined);
        } catch {
            // best effort: topics of a finished test are harmless
        } finally {
            await admin.disconnect().catch(() => undefined);
        }
        await mysqlQuery(e2e.sandbox, `DROP TABLE IF EXISTS \`${table}\``).catch(() => undefined);
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("promtool accepts the generated config and rules", async () => {
        fs.writeFileSync(
            path.join(dir, "prometheus.yml"),
            toYaml(
                scrapeConfig({
                    environment: "local",
                    pipeline: prefix,
                    connectTargets: [connectMetricsTarget()],
                    scrapeIntervalSeconds: 1,
                    ruleFiles: ["rules.yml", "probe-rules.yml"],
                }),
            ),
        );
        fs.writeFileSync(path.join(dir, "rules.yml"), toYaml(alertRules({ pipeline: prefix })));
        // Probe: a latency objective every real value exceeds, so the behind-source alert must go pending
        // for the source, which proves the Debezium series, the pipeline filter and the connector mapping.
        fs.writeFileSync(path.join(dir, "probe-rules.yml"), toYaml(alertRules({ pipeline: prefix, latencyObjectiveMs: -2 })));
        const config = await promtool("check", "config", path.join(dir, "prometheus.yml"));
        assert.match(config, /SUCCESS: 2 rule files found/);
        assert.match(config, /SUCCESS: .*prometheus\.yml is valid prometheus config file syntax/);
        // prod's shape: every worker discovered through the headless Service's DNS name.
        fs.writeFileSync(
            path.join(dir, "prometheus-prod.yml"),
            toYaml(
                scrapeConfig({
                    environment: "prod",
                    pipeline: prefix,
                    connectTargets: [],
                    connectDiscovery: { dnsName: `${prefix}-connect-workers.tandem.svc`, port: 9404 },
                    ruleFiles: ["rules.yml"],
                }),
            ),
        );
        assert.match(
            await promtool("check", "config", path.join(dir, "prometheus-prod.yml")),
            /SUCCESS: .*prometheus-prod\.yml is valid prometheus config file syntax/,
        );
        const rules = await promtool("check", "rules", path.join(dir, "rules.yml"), path.join(dir, "probe-rules.yml"));
        const count = alertRules({ pipeline: prefix }).groups.flatMap((group) => group.rules).length;
        assert.equal((rules.match(new RegExp(`SUCCESS: ${count} rules found`, "g")) ?? []).length, 2, rules);
    });

    it("a real Prometheus scrapes the Connect worker's exporter", async () => {
        // Its files were written and checked by the previous test.
        prometheus = await startPrometheus({}, dir).catch((error: Error) => assert.fail(error.message));
        api = prometheus.api;
        const targets = (await axios.get(`${api}/api/v1/targets`)).data.data.activeTargets;
        assert.deepEqual(
            targets.map((target: { labels: Record<string, string> }) => target.labels),
            [{ environment: "local", pipeline: prefix, instance: connectMetricsTarget(), job: `${prefix}-kafka-connect` }],
        );
    });

    it("has the source's Debezium streaming series and the connectors' status series", async () => {
        const server = directionPrefix(prefix, "mysql-to-postgres");
        const connected = await eventually("debezium_metrics_connected = 1 for the source", 120_000, async () => {
            const result = await query(`debezium_metrics_connected{context="streaming", name="${server}"} == 1`);
            return result.length ? result : undefined;
        });
        assert.deepEqual(
            { ...connected[0].metric, instance: undefined },
            {
                __name__: "debezium_metrics_connected",
                context: "streaming",
                name: server,
                plugin: "mariadb",
                environment: "local",
                pipeline: prefix,
                job: `${prefix}-kafka-connect`,
                instance: undefined,
            },
        );
        // An event, so MilliSecondsBehindSource holds a measured value.
        await mysqlQuery(e2e.sandbox, `INSERT INTO \`${table}\` VALUES (1, 'metrics')`);
        const behind = await eventually("MilliSecondsBehindSource after an event", 60_000, async () => {
            const [events] = await query(`debezium_metrics_totalnumberofeventsseen{context="streaming", name="${server}"} > 0`);
            return events ? query(`debezium_metrics_millisecondsbehindsource{context="streaming", name="${server}"}`) : undefined;
        });
        assert.equal(behind.length, 1);
        assert.ok(Number(behind[0].value[1]) >= 0, `behind source: ${behind[0].value[1]}`);
        const connectors = [source, mysqlSink, postgresSink];
        const status = await eventually("the three connectors' status series", 30_000, async () => {
            const result = await query(`kafka_connect_connector_status{connector=~"${connectors.join("|")}", status="running"}`);
            return result.length === connectors.length ? result : undefined;
        });
        assert.deepEqual(status.map((series) => series.metric.connector).sort(), connectors.sort());
    });

    it("loads every rule and evaluates them without errors", async () => {
        type Rule = { name: string; health: string; lastError?: string };
        const groups = await eventually("every rule evaluated", 30_000, async () => {
            const result: { file: string; rules: Rule[] }[] = (await axios.get(`${api}/api/v1/rules`)).data.data.groups;
            return result.length === 2 && result.every((group) => group.rules.every((rule) => rule.health !== "unknown"))
                ? result
                : undefined;
        });
        const expected = alertRules({ pipeline: prefix }).groups[0].rules.map((rule) => rule.alert);
        for (const group of groups) {
            assert.deepEqual(
                group.rules.map((rule) => rule.name),
                expected,
                group.file,
            );
            for (const rule of group.rules) assert.equal(rule.health, "ok", `${group.file} ${rule.name}: ${rule.lastError}`);
        }
    });

    it("raises the alerts of a failed task and of dead-lettered records, and the probe alert, naming the connectors", async () => {
        type Alert = { labels: Record<string, string>; state: string };
        const expected = ["TandemConnectorTaskFailed", "TandemDeadLetters", "TandemBehindSource"];
        let active: Alert[] = [];
        const found = await eventually(expected.join(", "), 120_000, async () => {
            active = (await axios.get(`${api}/api/v1/alerts`)).data.data.alerts;
            const find = (name: string, connector: string) =>
                active.find((alert) => alert.labels.alertname === name && alert.labels.connector === connector);
            const [taskFailed, deadLetters, behind] = [
                find(expected[0], mysqlSink),
                find(expected[1], postgresSink),
                find(expected[2], source),
            ];
            return taskFailed && deadLetters && behind ? { taskFailed, deadLetters, behind, active } : undefined;
        }).catch((error) =>
            assert.fail(
                `${error.message}; alerts: ${JSON.stringify(active.map((alert) => [alert.labels.alertname, alert.labels.connector, alert.state]))}`,
            ),
        );
        const common = { environment: "local", pipeline: prefix, job: `${prefix}-kafka-connect`, instance: undefined };
        // "for: 5m" has not elapsed yet: pending.
        assert.equal(found.taskFailed.state, "pending");
        assert.deepEqual(
            { ...found.taskFailed.labels, instance: undefined },
            {
                ...common,
                alertname: "TandemConnectorTaskFailed",
                connector: mysqlSink,
                task: "0",
                status: "failed",
                severity: "critical",
            },
        );
        // "for: 0s": firing at once.
        assert.equal(found.deadLetters.state, "firing");
        assert.deepEqual(
            { ...found.deadLetters.labels, instance: undefined },
            { ...common, alertname: "TandemDeadLetters", connector: postgresSink, task: "0", severity: "critical" },
        );
        assert.equal(found.behind.labels.name, directionPrefix(prefix, "mysql-to-postgres"));
        // That record was (usually) dead-lettered before the first scrape, which only the rule's new-series
        // half catches; one more while Prometheus watches must show in its increase() half.
        await sendUnconvertible();
        await eventually("increase() of the sink's dead-letter count", 60_000, async () =>
            (await query(`increase(kafka_connect_task_error_deadletterqueue_produce_requests{connector="${postgresSink}"}[10m]) > 0`))
                .length
                ? true
                : undefined,
        );
        // Nothing else of this pipeline alerts: the source is healthy under the real thresholds.
        const others = found.active.filter((alert) => alert.labels.pipeline === prefix && !expected.includes(alert.labels.alertname));
        assert.deepEqual(others, []);
    });

    it("the Grafana dashboard's panels all query without error and show this pipeline's state", async () => {
        const panels = pipelineDashboard(prefix).panels;
        const results = new Map<string, { metric: Record<string, string>; value: [number, string] }[]>();
        for (const panel of panels) {
            // A PromQL error is an HTTP 400 from Prometheus: axios throws, naming the panel.
            const result = await query(panel.targets[0].expr).catch((error) =>
                assert.fail(`${panel.title}: ${error.response?.data?.error ?? error}`),
            );
            results.set(panel.title, result);
        }
        const value = (title: string) => Number(results.get(title)?.[0]?.value[1]);
        // Source and both sinks are RUNNING as connectors; the MariaDB sink's task is FAILED; one source streams.
        assert.equal(value("Connectors running"), 3);
        assert.equal(value("Failed connectors and tasks"), 1);
        assert.equal(value("Sources connected"), 1);
        assert.ok(value("Dead-lettered records") >= 1);
        const connectorsOf = (title: string) => (results.get(title) ?? []).map((series) => series.metric.connector).sort();
        assert.deepEqual(connectorsOf("Behind source"), [source]);
        assert.deepEqual(connectorsOf("Change events read"), [source]);
        assert.deepEqual(connectorsOf("Source queue free"), [source]);
        assert.ok(
            connectorsOf("Records written by the sinks").includes(postgresSink),
            JSON.stringify(connectorsOf("Records written by the sinks")),
        );
        assert.ok(connectorsOf("Record errors").includes(postgresSink), JSON.stringify(connectorsOf("Record errors")));
        // Exported by the health monitor, which is not part of this test: the query is valid and empty.
        assert.deepEqual(results.get("Replication slot WAL retained"), []);
    });
});
