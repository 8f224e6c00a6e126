// The health monitor's dev and prod deployments under Pulumi mocks (Docker, AWS and Kubernetes cannot run
// here): the image, where it listens and what it reaches, its passwords only inside secrets, the probes, and
// Prometheus scraping it in both environments.
import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { RawSettings } from "../../components/configValues";
import { devEnvironment, prodEnvironment } from "../../components/environment";
import {
    DevHealthMonitor,
    HealthMonitorArgs,
    healthMonitorFor,
    healthMonitorScrapeTarget,
    MonitorAccess,
    ProdHealthMonitor,
} from "../../components/healthMonitor";
import { validateSettings } from "../../components/settings";
import { MONITOR_ENV, MonitorSettings, parseMonitorSettings } from "../../core/monitorSettings";
import { DEV_ARGS, mock, of, PROD_ARGS, Registered, settle } from "../support/mocks";
import { plaintextOccurrences } from "../support/programStack";

const ACCESS: MonitorAccess = {
    mysql: { user: "tandem_monitor", password: "mysql-monitor-password" },
    postgres: { user: "tandem_monitor", password: "postgres-monitor-password" },
};
const REST_PASSWORD = "rest-password-value";

const ARGS: HealthMonitorArgs = {
    prefix: "tandem",
    mysql: { flavor: "mariadb", host: "host.docker.internal", port: 3306, database: "app" },
    postgres: { host: "host.docker.internal", port: 5432, database: "app", schema: "public" },
    kafkaBootstrapServers: "tandem-kafka-1:9092",
    kafkaSecurity: "plaintext",
    connectUrl: "http://tandem-connect-1:8083",
    access: pulumi.secret(ACCESS),
    port: 28084,
    delayObjectiveSeconds: 5,
    watchdog: true,
};

const { specialSigKey, specialSecretSig } = pulumi.runtime as unknown as { specialSigKey: string; specialSecretSig: string };

/** The value inside a Pulumi secret as a mock receives it; fails if it is not one. */
function secretValue<T>(input: unknown): T {
    const wrapped = input as Record<string, unknown>;
    assert.equal(wrapped?.[specialSigKey], specialSecretSig, `not a secret: ${JSON.stringify(input)}`);
    return wrapped.value as T;
}

const resolve = <T>(output: pulumi.Output<T>) => new Promise<T>((done) => output.apply(done));
const flush = async () => {
    for (let i = 0; i < 20; i++) await new Promise((done) => setImmediate(done));
};

function assertNoPlaintext(registered: Registered[], secrets: string[]): void {
    for (const secret of secrets) {
        const leaks = registered.flatMap((r) => plaintextOccurrences(r.inputs, secret).map((at) => `${r.type} ${r.name} ${at}`));
        assert.deepEqual(leaks, [], `${secret} reaches these inputs in plaintext`);
    }
}

/** The settings and secrets the monitor reads from an environment (what it would parse at start). */
const parsed = (env: Record<string, string>) => parseMonitorSettings(env);

describe("health monitor deployments (Pulumi mocks)", () => {
    it("scrape targets are known up front: the container on the Docker network, the Service in the namespace", () => {
        assert.equal(healthMonitorScrapeTarget("tandem", { kind: "docker" }), "tandem-health-monitor:8084");
        assert.equal(
            healthMonitorScrapeTarget("orders", { kind: "kubernetes", namespace: "sync", port: 9100 }),
            "orders-health-monitor.sync.svc:9100",
        );
    });

    it("dev: a container of the monitor's image on the network, published on 127.0.0.1, its env a secret", async () => {
        const registered = mock("dev");
        const monitor = new DevHealthMonitor("tandem-health-monitor", { ...ARGS, networkName: "tandem-net" });
        assert.equal(await resolve(monitor.url), "http://127.0.0.1:28084");
        await flush();
        assert.equal(monitor.scrapeTarget, "tandem-health-monitor:8084");

        const [image] = of(registered, "docker:index/image:Image");
        assert.match(String((image.inputs.build as { dockerfile: string }).dockerfile), /docker\/monitor\/Dockerfile$/);
        assert.equal(image.inputs.imageName, "tandem-health-monitor:tandem-health-monitor");
        assert.equal(image.inputs.skipPush, true);

        const [container] = of(registered, "docker:index/container:Container");
        assert.equal(container.inputs.name, "tandem-health-monitor");
        assert.equal(container.inputs.image, "tandem-health-monitor:tandem-health-monitor");
        assert.deepEqual(container.inputs.networksAdvanced, [{ name: "tandem-net" }]);
        assert.deepEqual(container.inputs.ports, [{ internal: 8084, external: 28084, ip: "127.0.0.1" }]);
        assert.deepEqual(container.inputs.hosts, [{ host: "host.docker.internal", ip: "host-gateway" }]);
        assert.equal(container.inputs.restart, "unless-stopped");

        // The whole env is a secret; inside it, the settings and both passwords, as the monitor parses them.
        const envs = secretValue<string[]>(container.inputs.envs);
        const env = Object.fromEntries(envs.map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
        assert.deepEqual(Object.keys(env).sort(), [MONITOR_ENV.mysqlPassword, MONITOR_ENV.postgresPassword, MONITOR_ENV.settings].sort());
        const { settings, secrets } = parsed(env);
        assert.deepEqual(settings.listen, { host: "0.0.0.0", port: 8084 });
        assert.deepEqual(
            [settings.mysql.host, settings.postgres.host, settings.kafka.bootstrapServers, settings.connect.url],
            ["host.docker.internal", "host.docker.internal", "tandem-kafka-1:9092", "http://tandem-connect-1:8083"],
        );
        assert.deepEqual(secrets, { mysqlPassword: ACCESS.mysql.password, postgresPassword: ACCESS.postgres.password });
        assertNoPlaintext(registered, [ACCESS.mysql.password, ACCESS.postgres.password]);
    });

    it("prod: a Secret with the env, a one-pod Deployment of the pushed image reading it, probes on /metrics, a Service", async () => {
        const registered = mock("prod");
        const provider = new k8s.Provider("k8s", { namespace: "tandem" });
        const monitor = new ProdHealthMonitor("tandem-health-monitor", {
            ...ARGS,
            mysql: { flavor: "mysql", host: "legacy.rds", port: 3306, database: "app" },
            postgres: { host: "app.rds", port: 5432, database: "app", schema: "public" },
            kafkaBootstrapServers: "b-1.msk:9098",
            kafkaSecurity: "msk-iam",
            connectUrl: "http://tandem-connect-rest.tandem.svc:8083",
            connectAuth: pulumi.secret({ username: "admin", password: REST_PASSWORD }),
            port: 8084,
            provider,
            namespace: "tandem",
            resources: { cpu: "100m", memory: "256Mi" },
        });
        assert.equal(await resolve(monitor.url), "http://tandem-health-monitor.tandem.svc:8084");
        await flush();
        assert.equal(monitor.scrapeTarget, "tandem-health-monitor.tandem.svc:8084");

        const image = of(registered, "docker:index/image:Image")[0];
        assert.match(String((image.inputs.build as { dockerfile: string }).dockerfile), /docker\/monitor\/Dockerfile$/);
        assert.equal(of(registered, "aws:ecr/repository:Repository")[0].name, "tandem-health-monitor-repo");

        const [secret] = of(registered, "kubernetes:core/v1:Secret");
        assert.equal((secret.inputs.metadata as { namespace: string }).namespace, "tandem");
        const env = secretValue<Record<string, string>>(secret.inputs.stringData);
        const { settings, secrets } = parsed(env);
        assert.deepEqual(secrets, {
            mysqlPassword: ACCESS.mysql.password,
            postgresPassword: ACCESS.postgres.password,
            connectPassword: REST_PASSWORD,
        });
        assert.deepEqual(
            [settings.listen, settings.connect, settings.kafka.security, settings.mysql.host],
            [
                { host: "0.0.0.0", port: 8084 },
                { url: "http://tandem-connect-rest.tandem.svc:8083", username: "admin" },
                "msk-iam",
                "legacy.rds",
            ],
        );

        const [deployment] = of(registered, "kubernetes:apps/v1:Deployment");
        type Container = {
            image: string;
            envFrom: { secretRef: { name: string } }[];
            env?: unknown;
            ports: { name: string; containerPort: number }[];
            livenessProbe: { httpGet: { path: string; port: string } };
            readinessProbe: { httpGet: { path: string; port: string } };
            resources: unknown;
        };
        const spec = deployment.inputs.spec as {
            replicas: number;
            strategy: { type: string };
            template: { spec: { containers: Container[]; securityContext: { runAsNonRoot: boolean } } };
        };
        assert.equal((deployment.inputs.metadata as { namespace: string }).namespace, "tandem");
        assert.equal(spec.replicas, 1);
        assert.equal(spec.strategy.type, "Recreate");
        assert.equal(spec.template.spec.securityContext.runAsNonRoot, true);
        const [container] = spec.template.spec.containers;
        assert.match(container.image, /:tandem-health-monitor@sha256:0{64}$/);
        assert.deepEqual(container.envFrom, [{ secretRef: { name: "tandem-health-monitor-env" } }]);
        assert.equal(container.env, undefined);
        assert.deepEqual(container.ports, [{ name: "http", containerPort: 8084 }]);
        // The process, not the pipeline: /health is 503 whenever the sync is failing.
        for (const probe of [container.livenessProbe, container.readinessProbe])
            assert.deepEqual(probe.httpGet, { path: "/metrics", port: "http" });
        assert.deepEqual(container.resources, { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "256Mi" } });

        const [service] = of(registered, "kubernetes:core/v1:Service");
        assert.deepEqual(service.inputs.metadata, {
            namespace: "tandem",
            name: "tandem-health-monitor",
            labels: { app: "tandem-health-monitor" },
        });
        assert.deepEqual((service.inputs.spec as { ports: unknown }).ports, [{ name: "http", port: 8084, targetPort: "http" }]);

        // The passwords reach Kubernetes in the Secret only, and only inside Pulumi secrets.
        assertNoPlaintext(registered, [ACCESS.mysql.password, ACCESS.postgres.password, REST_PASSWORD]);
        const holders = registered.filter((r) => JSON.stringify(r.inputs).includes(ACCESS.mysql.password)).map((r) => r.type);
        assert.deepEqual(holders, ["kubernetes:core/v1:Secret"]);
    });

    it("Prometheus scrapes the monitor in dev and prod, and leaves it out when the stack deploys none", async () => {
        const prometheusYml = (registered: Registered[]) => {
            const dev = of(registered, "docker:index/container:Container").find((c) => c.inputs.name === "tandem-prometheus");
            if (dev) return (dev.inputs.uploads as { file: string; content: string }[])[0].content;
            const config = of(registered, "kubernetes:core/v1:ConfigMap").find((c) => "prometheus.yml" in (c.inputs.data as object))!;
            return (config.inputs.data as Record<string, string>)["prometheus.yml"];
        };
        const rules = (registered: Registered[]) => {
            const dev = of(registered, "docker:index/container:Container").find((c) => c.inputs.name === "tandem-prometheus")!;
            return (dev.inputs.uploads as { file: string; content: string }[])[1].content;
        };
        const monitorJob = (target: string) =>
            new RegExp(`- job_name: tandem-monitor\\n\\s+static_configs:\\n\\s+- targets:\\n\\s+- ${target.replace(/\./g, "\\.")}\\n`);

        let registered = mock("dev");
        let environment = devEnvironment({ ...DEV_ARGS, healthMonitorPort: 28084, syncDelayObjectiveSeconds: 10 });
        await settle(environment);
        assert.match(prometheusYml(registered), monitorJob("tandem-health-monitor:8084"));
        assert.match(rules(registered), /expr: tandem_sync_delay_seconds\{pipeline="tandem"\} > 10\n/);
        assert.deepEqual(
            { ...environment.healthMonitorSite, networkName: undefined },
            {
                kind: "docker",
                networkName: undefined,
                connectUrl: "http://tandem-connect-1:8083",
            },
        );

        registered = mock("dev");
        await settle(devEnvironment(DEV_ARGS));
        assert.doesNotMatch(prometheusYml(registered), /tandem-monitor/);

        registered = mock("prod");
        environment = prodEnvironment({ ...PROD_ARGS, healthMonitorPort: 8084 });
        await settle(environment);
        assert.match(prometheusYml(registered), monitorJob("tandem-health-monitor.tandem.svc:8084"));
        const site = environment.healthMonitorSite as Extract<typeof environment.healthMonitorSite, { kind: "kubernetes" }>;
        assert.deepEqual([site.kind, site.namespace, site.resources], ["kubernetes", "tandem", { cpu: "100m", memory: "256Mi" }]);
        assert.equal(await resolve(pulumi.output(site.connectUrl)), "http://tandem-connect-rest.tandem.svc:8083");

        registered = mock("prod");
        await settle(prodEnvironment(PROD_ARGS));
        assert.doesNotMatch(prometheusYml(registered), /tandem-monitor/);
    });

    describe("healthMonitorFor: the variant a stack's settings ask for", () => {
        const devRaw: RawSettings = {
            environment: "dev",
            connectSecretsDir: "/var/lib/tandem/secrets",
            topicPrefix: "tandem",
            mysqlFlavor: "mariadb",
            mysqlHost: "host.docker.internal",
            mysqlPort: 3306,
            mysqlAdminHost: "127.0.0.1",
            mysqlDatabase: "app",
            mysqlUser: "tandem_admin",
            mysqlServerId: 184054,
            postgresHost: "host.docker.internal",
            postgresPort: 5432,
            postgresAdminHost: "127.0.0.1",
            postgresDatabase: "app",
            postgresSchema: "public",
            postgresUser: "tandem_admin",
            tables: '["orders"]',
            conflictPolicy: "last-writer-wins",
            tieWinner: "postgres",
            initialLoad: "snapshot",
            healthMonitorPort: 28084,
            syncDelayObjectiveSeconds: 3,
            watchdog: "false",
        };
        const sync = { monitorAccess: pulumi.secret(ACCESS), connectors: {} };

        it("dev: the container, reaching the databases where the workers do and Connect on the network", async () => {
            const registered = mock("dev");
            const settings = validateSettings(devRaw);
            const environment = devEnvironment({ ...DEV_ARGS, healthMonitorPort: settings.healthMonitor.port });
            const monitor = healthMonitorFor(settings, environment, sync);
            assert.ok(monitor instanceof DevHealthMonitor);
            assert.equal(await resolve(monitor.url), "http://127.0.0.1:28084");
            await settle(environment);
            const container = of(registered, "docker:index/container:Container").find((c) => c.inputs.name === "tandem-health-monitor")!;
            const envs = secretValue<string[]>(container.inputs.envs);
            const settingsLine = envs.find((line) => line.startsWith(`${MONITOR_ENV.settings}=`))!;
            const sent = JSON.parse(settingsLine.slice(MONITOR_ENV.settings.length + 1)) as MonitorSettings;
            assert.deepEqual(
                [sent.mysql.host, sent.postgres.host, sent.connect.url, sent.kafka.bootstrapServers],
                ["host.docker.internal", "host.docker.internal", "http://tandem-connect-1:8083", "tandem-kafka-1:9092"],
            );
            assert.deepEqual([sent.delayObjectiveSeconds, sent.watchdog.enabled], [3, false]);
        });

        it("none when tandem:healthMonitor is off", async () => {
            const registered = mock("dev");
            const settings = validateSettings({ ...devRaw, healthMonitor: "false" });
            const environment = devEnvironment(DEV_ARGS);
            assert.equal(healthMonitorFor(settings, environment, sync), undefined);
            await settle(environment);
            assert.equal(registered.filter((r) => r.name.includes("health-monitor")).length, 0);
        });
    });
});
