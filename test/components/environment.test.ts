// dev and prod under Pulumi mocks (Docker, AWS and Kubernetes cannot run here): the resource graph, what
// differs per environment, pinned images, and reviewable snapshots of the generated configs.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { WORKER_SECRETS_DIR, workerProperties } from "../../components/connectCluster";
import { devEnvironment, prodEnvironment } from "../../components/environment";
import { ENVIRONMENT_SPECS } from "../../components/environmentSpec";
import { IMAGES } from "../../components/images";
import { prometheusFiles } from "../../components/prometheus";
import { topicPlan } from "../../components/topics";
import { DEV_ARGS, mock, of, PROD_ARGS, settle } from "../support/mocks";

describe("environments (Pulumi mocks)", () => {
    it("dev: KRaft and Connect containers from pinned images, topics with replication 1", async () => {
        const registered = mock("dev");
        const environment = devEnvironment(DEV_ARGS);
        await settle(environment);
        assert.deepEqual(
            of(registered, "docker:index/remoteImage:RemoteImage")
                .map((r) => r.inputs.name)
                .sort(),
            [IMAGES.grafana, IMAGES.kafka, IMAGES.kafkaUi, IMAGES.prometheus].sort(),
        );
        assert.ok(
            Object.values(IMAGES).every((image) => /:[\w.-]*\d[\w.-]*$/.test(image) && !image.endsWith(":latest")),
            "every image pinned to a version",
        );
        assert.deepEqual(
            of(registered, "docker:index/container:Container")
                .map((c) => c.inputs.name)
                .sort(),
            ["tandem-connect-1", "tandem-kafka-1", "tandem-prometheus", "tandem-tools-grafana", "tandem-tools-kafka-ui"],
        );
        const prometheus = of(registered, "docker:index/container:Container").find((c) => c.inputs.name === "tandem-prometheus")!;
        assert.match((prometheus.inputs.uploads as { content: string }[])[0].content, /tandem-connect-1:9404/);
        const grafana = of(registered, "docker:index/container:Container").find((c) => c.inputs.name === "tandem-tools-grafana")!;
        const uploads = Object.fromEntries((grafana.inputs.uploads as { file: string; content: string }[]).map((u) => [u.file, u.content]));
        assert.match(
            uploads["/etc/grafana/provisioning/datasources/prometheus.yml"],
            /uid: prometheus\n[\s\S]*url: http:\/\/tandem-prometheus:9090/,
        );
        assert.match(uploads["/etc/grafana/provisioning/dashboards/tandem.yml"], /path: \/var\/lib\/grafana\/dashboards/);
        assert.equal(JSON.parse(uploads["/var/lib/grafana/dashboards/tandem.json"]).uid, "tandem-tandem");
        assert.deepEqual(await new Promise((resolve) => pulumi.all(environment.urls).apply(resolve)), {
            connectMetrics: "http://127.0.0.1:29404/metrics",
            prometheus: "http://127.0.0.1:29090",
            grafana: "http://127.0.0.1:23000",
            kafkaUi: "http://127.0.0.1:28080",
        });
        const image = of(registered, "docker:index/image:Image")[0];
        assert.match(String((image.inputs.build as { dockerfile: string }).dockerfile), /docker\/connect\/Dockerfile$/);
        const topics = of(registered, "kafka:index/topic:Topic");
        assert.ok(topics.length > 0 && topics.every((t) => t.inputs.replicationFactor === 1));
        const connect = of(registered, "docker:index/container:Container").find((c) => String(c.inputs.name).includes("connect"))!;
        const upload = (connect.inputs.uploads as { content: string }[])[0].content;
        assert.match(upload, /bootstrap\.servers=tandem-kafka-1:9092/);
        // The `dir` config provider may read the bind-mounted host folder, where the Connector provider writes.
        assert.match(upload, new RegExp(`config\\.providers\\.dir\\.param\\.allowed\\.paths=${DEV_ARGS.hostSecretsDir}\n`));
        assert.deepEqual(
            (connect.inputs.volumes as { hostPath: string; containerPath: string }[]).map((v) => [v.hostPath, v.containerPath]),
            [[DEV_ARGS.hostSecretsDir, DEV_ARGS.hostSecretsDir]],
        );
        assert.equal(of(registered, "aws:msk/cluster:Cluster").length, 0);
    });

    it("prod: MSK with TLS and IAM, 3 brokers, RF 3 / min ISR 2, Connect on Kubernetes with REST auth, CDC parameter groups", async () => {
        const registered = mock("prod");
        const restPassword = "rest-password-value";
        const environment = prodEnvironment({ ...PROD_ARGS, connectRestPassword: pulumi.secret(restPassword) });
        await settle(environment);
        const [msk] = of(registered, "aws:msk/cluster:Cluster");
        assert.equal(msk.inputs.numberOfBrokerNodes, 3);
        assert.deepEqual(msk.inputs.encryptionInfo, { encryptionInTransit: { clientBroker: "TLS", inCluster: true } });
        assert.deepEqual((msk.inputs.clientAuthentication as { sasl: unknown }).sasl, { iam: true });
        assert.match(String(of(registered, "aws:msk/configuration:Configuration")[0].inputs.serverProperties), /min\.insync\.replicas=2/);
        assert.deepEqual(
            [msk.inputs.kafkaVersion, (msk.inputs.brokerNodeGroupInfo as { instanceType: string }).instanceType],
            ["3.9.x", "kafka.m7g.large"],
        );
        const topics = of(registered, "kafka:index/topic:Topic");
        assert.ok(
            topics.every(
                (t) => t.inputs.replicationFactor === 3 && (t.inputs.config as Record<string, string>)["min.insync.replicas"] === "2",
            ),
        );
        const deployment = of(registered, "kubernetes:apps/v1:Deployment").find((d) => d.name === "tandem-connect-workers")!;
        assert.equal((deployment.inputs.spec as { replicas: number }).replicas, 2);
        const [worker] = (deployment.inputs.spec as { template: { spec: { containers: { resources: unknown }[] } } }).template.spec
            .containers;
        assert.deepEqual(worker.resources, { requests: { cpu: "500m", memory: "2Gi" }, limits: { memory: "2Gi" } });
        const config = of(registered, "kubernetes:core/v1:ConfigMap").find((c) => "worker.properties" in (c.inputs.data as object))!;
        const promConfig = of(registered, "kubernetes:core/v1:ConfigMap").find((c) => "prometheus.yml" in (c.inputs.data as object))!;
        // Every worker scraped through the headless Service, not one behind the REST Service.
        assert.match(
            String((promConfig.inputs.data as Record<string, string>)["prometheus.yml"]),
            /dns_sd_configs:\n\s+- names:\n\s+- tandem-connect-workers\.tandem\.svc\n\s+type: A\n\s+port: 9404/,
        );
        const headless = of(registered, "kubernetes:core/v1:Service").find((svc) => svc.name === "tandem-connect-workers")!;
        assert.equal((headless.inputs.spec as { clusterIP: string }).clusterIP, "None");
        assert.match(String((config.inputs.data as Record<string, string>)["worker.properties"]), /BasicAuthSecurityRestExtension/);
        assert.match(String((config.inputs.data as Record<string, string>)["worker.properties"]), /sasl\.mechanism=AWS_MSK_IAM/);
        const groups = of(registered, "aws:rds/parameterGroup:ParameterGroup");
        assert.deepEqual(groups.map((g) => g.inputs.family).sort(), ["mysql8.0", "postgres15"]);
        const pg = groups.find((g) => g.inputs.family === "postgres15")!;
        assert.deepEqual(
            (pg.inputs.parameters as { name: string; applyMethod: string }[]).find((p) => p.name === "rds.logical_replication")
                ?.applyMethod,
            "pending-reboot",
        );
        // The REST password appears in one place only: the Kubernetes Secret holding the credentials file.
        const holders = registered.filter((r) => JSON.stringify(r.inputs).includes(restPassword)).map((r) => r.type);
        assert.deepEqual(holders, ["kubernetes:core/v1:Secret"]);
    });

    it("differs between environments only in the specs' data: sizing, Kafka security, ports, MSK and pod sizes", () => {
        const { dev, prod } = ENVIRONMENT_SPECS;
        assert.deepEqual([dev.brokers, dev.replicationFactor, dev.minInsyncReplicas, dev.partitions, dev.connectWorkers], [1, 1, 1, 3, 1]);
        assert.deepEqual(
            [prod.brokers, prod.replicationFactor, prod.minInsyncReplicas, prod.partitions, prod.connectWorkers],
            [3, 3, 2, 6, 2],
        );
        assert.deepEqual([dev.kafkaSecurity, prod.kafkaSecurity], ["plaintext", "msk-iam"]);
    });

    it("matches the reviewed snapshots of the generated worker config, Prometheus config and rules, and topic plan", () => {
        const snapshots = path.join(__dirname, "snapshots");
        const generated: Record<string, string> = {
            "worker-prod.properties": workerProperties({
                bootstrapServers: "b-1.msk:9098",
                groupId: "tandem-connect",
                replicationFactor: 3,
                security: "msk-iam",
                secretsDir: WORKER_SECRETS_DIR,
                restAuth: true,
                secretsProvider: "kubernetes",
            }),
            "prometheus-prod.yml": prometheusFiles(
                "prod",
                "tandem",
                [],
                { dnsName: "tandem-connect-workers.tandem.svc", port: 9404 },
                { monitorTargets: ["tandem-health-monitor.tandem.svc:8084"] },
            ).config,
            "alert-rules.yml": prometheusFiles("prod", "tandem", ["tandem-connect-rest.tandem.svc:9404"]).rules,
            "topics-prod.json": `${JSON.stringify(topicPlan({ prefix: "tandem", connectGroupId: "tandem-connect", mysqlDatabase: "app", postgresSchema: "public", tables: ["orders"], partitions: 6, replicationFactor: 3, minInsyncReplicas: 2, maxRowBytes: 8 * 1024 * 1024 }), null, 2)}\n`,
        };
        for (const [file, content] of Object.entries(generated)) {
            const target = path.join(snapshots, file);
            if (process.env.UPDATE_SNAPSHOTS === "1") fs.writeFileSync(target, content);
            assert.equal(content, fs.readFileSync(target, "utf8"), `${file} changed: review it and run with UPDATE_SNAPSHOTS=1`);
        }
    });
});
