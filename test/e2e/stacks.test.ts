// The shipped dev and prod stacks, whole program (index.ts): Pulumi.yaml + Pulumi.<stack>.yaml as shipped,
// Docker/AWS/Kubernetes under Pulumi mocks (they cannot run here), while the catalog read and preflight run
// for real against the sandbox's databases (the "as seen by pulumi" addresses point there).
import * as assert from "node:assert/strict";
import * as os from "node:os";
import * as path from "node:path";
import { violations } from "../../policy/rules";
import { generatedPassword, of, Registered } from "../support/mocks";
import { plaintextOccurrences, ProgramRun, runProgram } from "../support/programStack";
import { readSandbox, Sandbox } from "../support/sandbox";

type Inputs = Record<string, unknown>;
const CONNECTOR = "pulumi-nodejs:dynamic/tandem:Connector";
const SQL_OBJECTS = "pulumi-nodejs:dynamic/tandem:SqlObjects";

function databaseOverrides(sandbox: Sandbox): { plain: Record<string, string>; secret: Record<string, string> } {
    return {
        plain: {
            "tandem:mysqlAdminHost": sandbox.mariadb.host,
            "tandem:mysqlAdminPort": String(sandbox.mariadb.port),
            "tandem:postgresAdminHost": sandbox.postgres.host,
            "tandem:postgresAdminPort": String(sandbox.postgres.port),
        },
        secret: { "tandem:mysqlPassword": sandbox.mariadb.password, "tandem:postgresPassword": sandbox.postgres.password },
    };
}

const connectors = (run: ProgramRun) => of(run.registered, CONNECTOR);
const configOf = (connector: Registered) => connector.inputs.config as Record<string, string>;
const sqlObjects = (run: ProgramRun, suffix: string) => of(run.registered, SQL_OBJECTS).find((r) => r.name.endsWith(suffix))!;

/** Every secret value of the stack must reach resources only inside Pulumi secrets. */
function assertSecretsWrapped(run: ProgramRun, values: string[]): void {
    for (const value of values) {
        const leaks = run.registered.flatMap((r) => plaintextOccurrences(r.inputs, value).map((at) => `${r.type} ${r.name} ${at}`));
        assert.deepEqual(leaks, [], `a secret reaches these inputs in plaintext`);
    }
}

describe("e2e: the shipped dev and prod stacks (whole program, Pulumi mocks for Docker/AWS/Kubernetes)", function () {
    this.timeout(120_000);
    let sandbox: Sandbox;

    before(() => {
        sandbox = readSandbox();
    });

    describe("dev", () => {
        let run: ProgramRun;
        before(async () => {
            const db = databaseOverrides(sandbox);
            run = await runProgram("dev", db.plain, db.secret);
        });

        it("manages connectors through the Connect container's published port, with secrets in the bind-mounted folder", () => {
            assert.equal(connectors(run).length, 4);
            const secretsDir = path.join(os.homedir(), ".tandem", "dev", "connect-secrets");
            for (const connector of connectors(run)) {
                assert.equal(connector.inputs.connectUrl, "http://127.0.0.1:28083");
                assert.equal(connector.inputs.secretsDir, secretsDir);
                assert.equal(connector.inputs.kubernetesSecret, undefined);
            }
            const container = of(run.registered, "docker:index/container:Container").find((c) => c.name === "tandem-connect-1")!;
            assert.deepEqual(container.inputs.volumes, [{ hostPath: secretsDir, containerPath: secretsDir, readOnly: true }]);
            assert.deepEqual(container.inputs.hosts, [{ host: "host.docker.internal", ip: "host-gateway" }]);
        });

        it("points the workers at host.docker.internal and pulumi's SQL at the admin address", () => {
            const source = connectors(run).find((c) => c.name === "tandem-mysql-source")!;
            assert.equal(configOf(source)["database.hostname"], "host.docker.internal");
            assert.equal(configOf(source)["schema.history.internal.kafka.bootstrap.servers"], "tandem-kafka-1:9092");
            assert.equal(configOf(source)["schema.history.internal.producer.security.protocol"], undefined);
            const sink = connectors(run).find((c) => c.name === "tandem-postgres-sink")!;
            assert.equal(configOf(sink)["connection.url"], "jdbc:postgresql://host.docker.internal:5432/app?stringtype=unspecified");
            // The connection is a Pulumi secret as a whole (it carries the admin password).
            const connection = (sqlObjects(run, "-mysql-objects").inputs.connection as { value: Inputs }).value;
            assert.deepEqual({ host: connection.host, port: connection.port }, { host: sandbox.mariadb.host, port: sandbox.mariadb.port });
        });

        it("raises the binlog retention with SET GLOBAL (self-managed MariaDB), to the stack's 72 h", () => {
            assert.deepEqual(sqlObjects(run, "-binlog-retention").inputs.apply, [
                "SET GLOBAL binlog_expire_logs_seconds = IF(@@GLOBAL.binlog_expire_logs_seconds = 0 OR @@GLOBAL.binlog_expire_logs_seconds >= 259200, @@GLOBAL.binlog_expire_logs_seconds, 259200)",
            ]);
        });

        it("exports the addresses dashboards read", () => {
            assert.equal(run.outputs.environment, "dev");
            assert.equal(run.outputs.kafkaBootstrapServers, "tandem-kafka-1:9092");
            assert.equal(run.outputs.connectUrl, "http://127.0.0.1:28083");
            assert.deepEqual(run.outputs.dashboards, {
                prometheus: "http://127.0.0.1:29090",
                grafana: "http://127.0.0.1:23000",
                kafkaUi: "http://127.0.0.1:28080",
                connectMetrics: "http://127.0.0.1:29404/metrics",
            });
            assert.ok(((run.outputs.topics as { managed: string[] }).managed).includes("tandem.mysql-to-postgres.app.demo_items"));
        });

        it("keeps every password inside Pulumi secrets", () => {
            const generated = of(run.registered, "pulumi-nodejs:dynamic/tandem:GeneratedPassword").map((r) => generatedPassword(r.name));
            assert.equal(generated.length, 4);
            assertSecretsWrapped(run, [sandbox.mariadb.password, sandbox.postgres.password, ...generated]);
        });
    });

    describe("prod", () => {
        const restPassword = "rest-password-for-the-test";
        let run: ProgramRun;
        before(async () => {
            const db = databaseOverrides(sandbox);
            run = await runProgram("prod", db.plain, { ...db.secret, "tandem:connectRestPassword": restPassword });
        });

        it("manages connectors through the configured REST URL with basic auth, secrets in per-connector Kubernetes Secrets", () => {
            const secrets = of(run.registered, "kubernetes:core/v1:Secret").filter((s) => s.name.endsWith("-secrets"));
            assert.deepEqual(secrets.map((s) => s.name).sort(), ["tandem-mysql-sink-secrets", "tandem-mysql-source-secrets", "tandem-postgres-sink-secrets", "tandem-postgres-source-secrets"]);
            for (const connector of connectors(run)) {
                assert.equal(connector.inputs.connectUrl, "https://connect.tandem.internal");
                assert.equal(connector.inputs.secretsDir, undefined);
                assert.equal(connector.inputs.kubernetesSecret, `tandem/${connector.name}-secrets`);
            }
            const config = of(run.registered, "kubernetes:core/v1:ConfigMap").find((c) => "worker.properties" in (c.inputs.data as object))!;
            const worker = (config.inputs.data as Record<string, string>)["worker.properties"];
            assert.match(worker, /^config\.providers=dir,env,secrets$/m);
            assert.match(worker, /^config\.providers\.secrets\.class=io\.strimzi\.kafka\.KubernetesSecretConfigProvider$/m);
            assert.match(worker, /^rest\.advertised\.host\.name=\$\{env:POD_IP\}$/m);
            const role = of(run.registered, "kubernetes:rbac.authorization.k8s.io/v1:Role")[0];
            assert.deepEqual(role.inputs.rules, [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }]);
        });

        it("gives the MySQL source's schema history clients MSK IAM auth, and the MSK bootstrap servers", () => {
            const source = connectors(run).find((c) => c.name === "tandem-mysql-source")!;
            assert.equal(configOf(source)["schema.history.internal.kafka.bootstrap.servers"], "b-1.msk:9098,b-2.msk:9098,b-3.msk:9098");
            for (const client of ["producer", "consumer"]) {
                assert.equal(configOf(source)[`schema.history.internal.${client}.sasl.mechanism`], "AWS_MSK_IAM");
                assert.equal(configOf(source)[`schema.history.internal.${client}.security.protocol`], "SASL_SSL");
            }
            assert.equal(configOf(source)["database.hostname"], "legacy.cluster-xxxx.eu-west-1.rds.amazonaws.com");
        });

        it("sets the binlog retention through RDS's stored procedure", () => {
            assert.deepEqual(sqlObjects(run, "-binlog-retention").inputs.apply, ["CALL mysql.rds_set_configuration('binlog retention hours', 168)"]);
        });

        it("is accepted by the prod policy pack", () => {
            const resources = run.registered.map((r) => ({ type: r.type, name: r.name, props: r.inputs }));
            assert.ok(resources.length > 30, `${resources.length} resources`);
            assert.deepEqual(violations(resources), []);
        });

        it("uses the stack's sizing: 3 brokers, RF 3, min ISR 2, 6 partitions, 2 workers", () => {
            const [msk] = of(run.registered, "aws:msk/cluster:Cluster");
            assert.equal(msk.inputs.numberOfBrokerNodes, 3);
            const topics = of(run.registered, "kafka:index/topic:Topic");
            assert.ok(topics.length > 5 && topics.every((t) => t.inputs.replicationFactor === 3 && (t.inputs.config as Record<string, string>)["min.insync.replicas"] === "2"));
            assert.equal(topics.find((t) => t.name === "tandem.mysql-to-postgres.app.demo_items")?.inputs.partitions, 6);
            // Topics not declared (a table added later, heartbeats): the sources create them with the same rules.
            for (const name of ["tandem-mysql-source", "tandem-postgres-source"]) {
                const config = configOf(connectors(run).find((c) => c.name === name)!);
                assert.deepEqual([config["topic.creation.default.replication.factor"], config["topic.creation.default.partitions"], config["topic.creation.default.min.insync.replicas"]], ["3", "6", "2"], name);
            }
            assert.equal(configOf(connectors(run).find((c) => c.name === "tandem-postgres-sink")!)["topic.creation.default.partitions"], undefined);
            const deployment = of(run.registered, "kubernetes:apps/v1:Deployment").find((d) => d.name === "tandem-connect-workers")!;
            assert.equal((deployment.inputs.spec as { replicas: number }).replicas, 2);
        });

        it("exports the addresses dashboards read", () => {
            assert.equal(run.outputs.environment, "prod");
            assert.equal(run.outputs.kafkaBootstrapServers, "b-1.msk:9098,b-2.msk:9098,b-3.msk:9098");
            assert.equal(run.outputs.connectUrl, "https://connect.tandem.internal");
            assert.deepEqual(run.outputs.dashboards, {
                prometheus: "http://tandem-prometheus.tandem.svc:9090",
                connectMetrics: "http://tandem-connect-rest.tandem.svc:9404/metrics",
            });
        });

        it("keeps every password inside Pulumi secrets (database admins, generated accounts, REST auth)", () => {
            const generated = of(run.registered, "pulumi-nodejs:dynamic/tandem:GeneratedPassword").map((r) => generatedPassword(r.name));
            assertSecretsWrapped(run, [sandbox.mariadb.password, sandbox.postgres.password, restPassword, ...generated]);
            // The generated account passwords reach Kubernetes only in the connectors' Secrets.
            const holders = run.registered.filter((r) => JSON.stringify(r.inputs).includes(generated[0])).map((r) => r.type).sort();
            assert.ok(holders.includes("kubernetes:core/v1:Secret"), holders.join(", "));
        });
    });
});
