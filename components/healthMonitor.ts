// The health monitor of a stack (monitor/; docs/monitoring.md), one class per environment: local runs it as
// a process on the machine running `pulumi`, dev as a container, prod as a Kubernetes Deployment. Each starts
// the same program with the same settings (core/monitorSettings.ts), the passwords kept as secrets.
// Over ~300 lines on purpose: the three variants side by side, as in connectCluster.ts, and `healthMonitorFor`
// choosing among them, so that index.ts stays thin.
import { DatabaseTls } from "../core/databaseTls";
import { KafkaAccess } from "../core/kafkaAccess";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { LocalProcess } from "../host/localProcess";
import { HEALTH_MONITOR_PORT, MONITOR_DEFAULTS, MONITOR_ENV, monitorEnvironment, MonitorSettings } from "../core/monitorSettings";
import { KafkaSecurity, MysqlFlavor } from "../core/vocabulary";
import { buildOwnImage } from "./images";
import { Settings } from "./settings";
import { defaultLocalStateDir } from "./stackConfig";

export type MonitorAccess = { mysql: { user: string; password: string }; postgres: { user: string; password: string } };

export interface HealthMonitorArgs {
    prefix: string;
    /** The databases, Kafka and Connect as the monitor reaches them. */
    mysql: { flavor: MysqlFlavor; host: string; port: number; database: string; tls?: DatabaseTls };
    postgres: { host: string; port: number; database: string; schema: string; tls?: DatabaseTls };
    kafkaBootstrapServers: pulumi.Input<string>;
    kafkaSecurity: KafkaSecurity;
    /** sasl-scram: the Connect principal's access (secret), which the monitor logs in with. */
    kafkaAccess?: pulumi.Input<KafkaAccess>;
    connectUrl: pulumi.Input<string>;
    connectAuth?: pulumi.Input<{ username: pulumi.Input<string>; password: pulumi.Input<string> }>;
    /** The monitor's database accounts (BidirectionalSync.monitorAccess). */
    access: pulumi.Input<MonitorAccess>;
    port: number;
    delayObjectiveSeconds: number;
    watchdog: boolean;
    /** Resources it needs running first (the sync's connectors: its canary and accounts). */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** Pure: the monitor's settings for these args (what TANDEM_MONITOR_SETTINGS carries). */
export function healthMonitorSettings(
    args: Omit<HealthMonitorArgs, "access" | "kafkaBootstrapServers" | "kafkaAccess" | "connectUrl" | "connectAuth" | "dependsOn">,
    resolved: {
        listenHost: string;
        kafkaBootstrapServers: string;
        kafkaAccess?: KafkaAccess;
        connectUrl: string;
        connectUser?: string;
        access: MonitorAccess;
    },
): MonitorSettings {
    return {
        prefix: args.prefix,
        listen: { host: resolved.listenHost, port: args.port },
        mysql: { ...args.mysql, user: resolved.access.mysql.user },
        postgres: { ...args.postgres, user: resolved.access.postgres.user },
        kafka: {
            bootstrapServers: resolved.kafkaBootstrapServers,
            security: args.kafkaSecurity,
            ...(resolved.kafkaAccess?.username ? { username: resolved.kafkaAccess.username } : {}),
            ...(resolved.kafkaAccess?.ca ? { ca: resolved.kafkaAccess.ca } : {}),
        },
        connect: { url: resolved.connectUrl, ...(resolved.connectUser ? { username: resolved.connectUser } : {}) },
        intervalSeconds: MONITOR_DEFAULTS.intervalSeconds,
        delayObjectiveSeconds: args.delayObjectiveSeconds,
        probeTimeoutSeconds: MONITOR_DEFAULTS.probeTimeoutSeconds,
        watchdog: { ...MONITOR_DEFAULTS.watchdog, enabled: args.watchdog },
    };
}

/** The monitor's environment: the settings, and the passwords (secret). */
export function healthMonitorEnv(args: HealthMonitorArgs, listenHost: string): pulumi.Output<Record<string, string>> {
    return pulumi
        .all([args.access, args.kafkaBootstrapServers, args.connectUrl, pulumi.output(args.connectAuth), pulumi.output(args.kafkaAccess)])
        .apply(([access, kafkaBootstrapServers, connectUrl, auth, kafkaAccess]): Record<string, string> => {
            const settings = healthMonitorSettings(args, {
                listenHost,
                kafkaBootstrapServers,
                kafkaAccess,
                connectUrl,
                connectUser: auth?.username,
                access,
            });
            return {
                ...monitorEnvironment(settings),
                [MONITOR_ENV.mysqlPassword]: access.mysql.password,
                [MONITOR_ENV.postgresPassword]: access.postgres.password,
                ...(auth ? { [MONITOR_ENV.connectPassword]: auth.password } : {}),
                ...(kafkaAccess?.password ? { [MONITOR_ENV.kafkaPassword]: kafkaAccess.password } : {}),
            };
        });
}

/** A hash of the monitor's code as checked out: a new version restarts the local process on `up`. */
function sourceRevision(projectDir: string): string {
    const hash = crypto.createHash("sha256");
    const visit = (dir: string) => {
        for (const entry of fs
            .readdirSync(path.join(projectDir, dir), { withFileTypes: true })
            .sort((a, b) => a.name.localeCompare(b.name))) {
            const relative = path.join(dir, entry.name);
            if (entry.isDirectory()) visit(relative);
            else if (entry.name.endsWith(".ts")) hash.update(relative).update(fs.readFileSync(path.join(projectDir, relative)));
        }
    };
    for (const dir of ["monitor", "core", "sql", "connectors"]) visit(dir);
    hash.update(fs.readFileSync(path.join(projectDir, "package-lock.json")));
    return hash.digest("hex").slice(0, 16);
}

/** local: a process on 127.0.0.1 beside the sandbox, its pid and log in the sandbox's state folder. */
export class LocalHealthMonitor extends pulumi.ComponentResource {
    readonly url: pulumi.Output<string>;
    readonly logFile: pulumi.Output<string>;

    constructor(name: string, args: HealthMonitorArgs & { projectDir: string; stateDir: string }, opts?: pulumi.ComponentResourceOptions) {
        super("tandem:index:LocalHealthMonitor", name, {}, opts);
        const url = `http://127.0.0.1:${args.port}`;
        const process = new LocalProcess(
            `${name}-process`,
            {
                command: [path.join(args.projectDir, "bin", "tandem"), "health-monitor"],
                // bin/tandem execs node on cli/tandem.ts
                match: [path.join(args.projectDir, "cli", "tandem.ts"), "health-monitor"],
                cwd: args.projectDir,
                env: healthMonitorEnv(args, "127.0.0.1"),
                name: `${args.prefix} health monitor`,
                pidFile: path.join(args.stateDir, "run", `${args.prefix}-health-monitor.pid`),
                logFile: path.join(args.stateDir, "logs", `${args.prefix}-health-monitor.log`),
                readyUrl: `${url}/health`,
                revision: sourceRevision(args.projectDir),
            },
            { parent: this, dependsOn: args.dependsOn },
        );
        this.url = pulumi.output(url);
        this.logFile = process.logFile;
        this.registerOutputs({ url: this.url, logFile: this.logFile });
    }
}

/** The monitor's name: its container (dev), its Service (prod), its process (local). */
export const healthMonitorName = (prefix: string) => `${prefix}-health-monitor`;

/** Where the monitor runs beside an environment's services (DeployedEnvironment.healthMonitorSite); local has none. */
export type HealthMonitorSite =
    | {
          kind: "docker";
          networkName: pulumi.Input<string>;
          /** Connect's REST API on the Docker network. */
          connectUrl: string;
      }
    | {
          kind: "kubernetes";
          provider: k8s.Provider;
          namespace: string;
          /** Connect's REST Service in the cluster. */
          connectUrl: pulumi.Input<string>;
          /** Requests of the pod; memory is its limit too. */
          resources: { cpu: string; memory: string };
          /** IAM role for MSK IAM auth (EKS IRSA), annotated on the monitor's own ServiceAccount. */
          iamRoleArn?: string;
      };

/**
 * Pure: the host:port Prometheus scrapes the monitor at, known before the monitor exists (the environment,
 * Prometheus included, is built before the sync). docker: its container on the Docker network, listening on
 * the image's port whatever port the host publishes; kubernetes: its Service, on the configured port.
 */
export function healthMonitorScrapeTarget(
    prefix: string,
    where: { kind: "docker" } | { kind: "kubernetes"; namespace: string; port: number },
): string {
    const name = healthMonitorName(prefix);
    return where.kind === "docker" ? `${name}:${HEALTH_MONITOR_PORT}` : `${name}.${where.namespace}.svc:${where.port}`;
}

/** dev: a container on the environment's Docker network, published on 127.0.0.1:<port>, scraped by Prometheus there. */
export class DevHealthMonitor extends pulumi.ComponentResource {
    readonly url: pulumi.Output<string>;
    /** host:port on the Docker network (healthMonitorScrapeTarget). */
    readonly scrapeTarget: string;
    readonly image: pulumi.Output<string>;

    constructor(name: string, args: HealthMonitorArgs & { networkName: pulumi.Input<string> }, opts?: pulumi.ComponentResourceOptions) {
        super("tandem:index:DevHealthMonitor", name, {}, opts);
        this.image = buildOwnImage(name, "monitor", { kind: "local" }, this);
        // Inside its container it listens on the image's port, on every interface; the host sees args.port.
        const env = pulumi.secret(healthMonitorEnv({ ...args, port: HEALTH_MONITOR_PORT }, "0.0.0.0"));
        const container = new docker.Container(
            name,
            {
                name: healthMonitorName(args.prefix),
                image: this.image,
                networksAdvanced: [{ name: args.networkName }],
                // Databases on the developer's machine are reached as host.docker.internal (Linux too), as by the workers.
                hosts: [{ host: "host.docker.internal", ip: "host-gateway" }],
                ports: [{ internal: HEALTH_MONITOR_PORT, external: args.port, ip: "127.0.0.1" }],
                envs: env.apply((vars) => Object.entries(vars).map(([key, value]) => `${key}=${value}`)),
                restart: "unless-stopped",
            },
            { parent: this, dependsOn: args.dependsOn },
        );
        this.url = container.id.apply(() => `http://127.0.0.1:${args.port}`);
        this.scrapeTarget = healthMonitorScrapeTarget(args.prefix, { kind: "docker" });
        this.registerOutputs({ url: this.url });
    }
}

/**
 * prod: a Deployment of one pod (never two: both would write canaries and restart connectors) in the stack's
 * namespace, its settings and passwords in a Secret, behind a Service Prometheus scrapes. The probes check
 * the process (/metrics answers while every dependency is down), never /health, which is the pipeline's.
 * Kafka: MSK IAM through the pod's own ServiceAccount, annotated with the workers' IAM role (IRSA; the role's
 * trust policy must name this ServiceAccount too). It holds no Kubernetes permission.
 */
export class ProdHealthMonitor extends pulumi.ComponentResource {
    /** In the cluster: http://<service>.<namespace>.svc:<port>. */
    readonly url: pulumi.Output<string>;
    /** The Service's host:port (healthMonitorScrapeTarget). */
    readonly scrapeTarget: string;
    readonly image: pulumi.Output<string>;

    constructor(
        name: string,
        args: HealthMonitorArgs & {
            provider: k8s.Provider;
            namespace: string;
            resources: { cpu: string; memory: string };
            /** Push the image here (an ECR repository is created when omitted). */
            repositoryUrl?: pulumi.Input<string>;
            iamRoleArn?: string;
        },
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("tandem:index:ProdHealthMonitor", name, {}, opts);
        this.image = buildOwnImage(name, "monitor", { kind: "ecr", repositoryUrl: args.repositoryUrl }, this);
        const service = healthMonitorName(args.prefix);
        const labels = { app: service };
        const k8sOpts = { parent: this, provider: args.provider };
        // Named by Pulumi: a changed value replaces the Secret, and the Deployment naming the new one rolls the pod.
        const env = new k8s.core.v1.Secret(
            `${name}-env`,
            { metadata: { namespace: args.namespace, labels }, stringData: pulumi.secret(healthMonitorEnv(args, "0.0.0.0")) },
            k8sOpts,
        );
        const account = new k8s.core.v1.ServiceAccount(
            `${name}-account`,
            {
                metadata: {
                    namespace: args.namespace,
                    labels,
                    annotations: args.iamRoleArn ? { "eks.amazonaws.com/role-arn": args.iamRoleArn } : undefined,
                },
                automountServiceAccountToken: false,
            },
            k8sOpts,
        );
        const probe = { httpGet: { path: "/metrics", port: "http" }, timeoutSeconds: 5 };
        const deployment = new k8s.apps.v1.Deployment(
            name,
            {
                metadata: { namespace: args.namespace, labels },
                spec: {
                    replicas: 1,
                    strategy: { type: "Recreate" },
                    selector: { matchLabels: labels },
                    template: {
                        metadata: { labels },
                        spec: {
                            // No Kubernetes API token; IRSA's web identity token is projected by EKS regardless.
                            serviceAccountName: account.metadata.name,
                            automountServiceAccountToken: false,
                            securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000 },
                            containers: [
                                {
                                    name: "health-monitor",
                                    image: this.image,
                                    envFrom: [{ secretRef: { name: env.metadata.name } }],
                                    ports: [{ name: "http", containerPort: args.port }],
                                    livenessProbe: { ...probe, initialDelaySeconds: 10, periodSeconds: 20, failureThreshold: 3 },
                                    readinessProbe: { ...probe, periodSeconds: 10 },
                                    resources: { requests: args.resources, limits: { memory: args.resources.memory } },
                                    securityContext: {
                                        allowPrivilegeEscalation: false,
                                        readOnlyRootFilesystem: true,
                                        capabilities: { drop: ["ALL"] },
                                    },
                                },
                            ],
                        },
                    },
                },
            },
            { ...k8sOpts, dependsOn: args.dependsOn },
        );
        // A fixed name: Prometheus scrapes <name>.<namespace>.svc (known before the monitor exists).
        const svc = new k8s.core.v1.Service(
            `${name}-http`,
            {
                metadata: { namespace: args.namespace, name: service, labels },
                spec: { selector: labels, ports: [{ name: "http", port: args.port, targetPort: "http" }] },
            },
            { ...k8sOpts, dependsOn: [deployment] },
        );
        this.url = pulumi.interpolate`http://${svc.metadata.name}.${args.namespace}.svc:${args.port}`;
        this.scrapeTarget = healthMonitorScrapeTarget(args.prefix, { kind: "kubernetes", namespace: args.namespace, port: args.port });
        this.registerOutputs({ url: this.url });
    }
}

/** What the monitor needs of the environment (components/environment.ts DeployedEnvironment). */
export interface MonitoredEnvironment {
    bootstrapServers: pulumi.Input<string>;
    kafkaSecurity: KafkaSecurity;
    kafkaClientAccess?: pulumi.Input<KafkaAccess>;
    /** Connect's REST API as the machine running `pulumi` reaches it (local's monitor runs there). */
    connectUrl: pulumi.Input<string>;
    connectAuth?: pulumi.Input<{ username: string; password: string }>;
    healthMonitorSite?: HealthMonitorSite;
}

/**
 * The health monitor a stack's settings ask for, on its environment (none when tandem:healthMonitor is off):
 * local's process reaches the databases where `pulumi` does (the admin addresses), dev's container and prod's
 * pod where the workers do.
 */
export function healthMonitorFor(
    settings: Settings,
    environment: MonitoredEnvironment,
    sync: { monitorAccess: pulumi.Input<MonitorAccess>; connectors: Record<string, pulumi.Resource> },
): LocalHealthMonitor | DevHealthMonitor | ProdHealthMonitor | undefined {
    if (!settings.healthMonitor.enabled) return undefined;
    const { mysql, postgres, healthMonitor } = settings;
    const name = healthMonitorName(settings.topicPrefix);
    const common = {
        prefix: settings.topicPrefix,
        kafkaBootstrapServers: environment.bootstrapServers,
        kafkaSecurity: environment.kafkaSecurity,
        kafkaAccess: environment.kafkaClientAccess,
        connectAuth: environment.connectAuth,
        access: sync.monitorAccess,
        port: healthMonitor.port,
        delayObjectiveSeconds: healthMonitor.delayObjectiveSeconds,
        watchdog: healthMonitor.watchdog,
        dependsOn: Object.values(sync.connectors),
    };
    const site = environment.healthMonitorSite;
    if (!site) {
        return new LocalHealthMonitor(name, {
            ...common,
            mysql: { flavor: mysql.flavor, ...mysql.admin, database: mysql.database, tls: mysql.tls },
            postgres: { ...postgres.admin, database: postgres.database, schema: postgres.schema, tls: postgres.tls },
            connectUrl: environment.connectUrl,
            projectDir: process.cwd(),
            stateDir: defaultLocalStateDir(),
        });
    }
    const beside = {
        ...common,
        mysql: { flavor: mysql.flavor, host: mysql.host, port: mysql.port, database: mysql.database, tls: mysql.tls },
        postgres: { host: postgres.host, port: postgres.port, database: postgres.database, schema: postgres.schema, tls: postgres.tls },
        connectUrl: site.connectUrl,
    };
    return site.kind === "docker"
        ? new DevHealthMonitor(name, { ...beside, networkName: site.networkName })
        : new ProdHealthMonitor(name, {
              ...beside,
              provider: site.provider,
              namespace: site.namespace,
              resources: site.resources,
              iamRoleArn: site.iamRoleArn,
          });
}
