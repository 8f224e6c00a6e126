// The Kafka Connect workers: containers built from docker/connect/Dockerfile (dev) or a Kubernetes Deployment
// of the same image pushed to ECR (prod); `local` uses existing workers and needs no component. The rest of
// the program reads `url` (the REST endpoint) and `ready`.
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { kafkaClientSecurity } from "../connectors/debeziumConfigs";
import { KafkaSecurity } from "../core/vocabulary";
import { buildOwnImage } from "./images";

export const WORKER_SECRETS_DIR = "/etc/kafka-connect/secrets";
/** Port of the Prometheus JMX exporter in the worker image (docker/connect/Dockerfile). */
export const WORKER_METRICS_PORT = 9404;
/** Port of the workers' REST API inside their container or pod. */
export const WORKER_REST_PORT = 8083;
/** The REST API's basic-auth user when auth is on (prod). */
export const REST_USER = "admin";

export interface WorkerSettings {
    bootstrapServers: string;
    groupId: string;
    /** Replication factor of Connect's config/offset/status topics. */
    replicationFactor: number;
    /** Kafka client security for MSK IAM (prod) or plaintext (dev). */
    security: KafkaSecurity;
    /** The folder the `dir` config provider may read (dev: the bind-mounted host folder). */
    secretsDir: string;
    /** Where connector secrets come from besides the `dir` folder: Kubernetes Secrets (prod). */
    secretsProvider?: "kubernetes";
    /** REST basic auth (BasicAuthSecurityRestExtension with a JAAS file). */
    restAuth: boolean;
}

/** Pure: the worker.properties of a distributed Connect worker. */
export function workerProperties(settings: WorkerSettings): string {
    const lines = [
        `bootstrap.servers=${settings.bootstrapServers}`,
        `group.id=${settings.groupId}`,
        `listeners=http://0.0.0.0:${WORKER_REST_PORT}`,
        `config.storage.topic=${settings.groupId}-configs`,
        `offset.storage.topic=${settings.groupId}-offsets`,
        `status.storage.topic=${settings.groupId}-status`,
        ...["config", "offset", "status"].map((kind) => `${kind}.storage.replication.factor=${settings.replicationFactor}`),
        "offset.flush.interval.ms=5000",
        "key.converter=org.apache.kafka.connect.json.JsonConverter",
        "value.converter=org.apache.kafka.connect.json.JsonConverter",
        "plugin.path=/opt/kafka-connect/plugins",
        "plugin.discovery=service_load",
        "connector.client.config.override.policy=All",
        // Connector secrets: ${dir:<secrets dir>/<connector>:<key>} only, never values in the config topic.
        // dir: connector secret files; env: worker settings from the environment (the pod IP in Kubernetes);
        // secrets: connector secrets as Kubernetes Secrets, ${secrets:<namespace>/<secret>:<key>} (prod).
        `config.providers=dir,env${settings.secretsProvider === "kubernetes" ? ",secrets" : ""}`,
        "config.providers.dir.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider",
        "config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider",
        `config.providers.dir.param.allowed.paths=${settings.secretsDir}`,
    ];
    const security = Object.entries(kafkaClientSecurity(settings.security)).map(([key, value]) => `${key}=${value}`);
    for (const prefix of ["", "producer.", "consumer.", "admin."]) lines.push(...security.map((line) => `${prefix}${line}`));
    if (settings.secretsProvider === "kubernetes")
        lines.push("config.providers.secrets.class=io.strimzi.kafka.KubernetesSecretConfigProvider");
    if (settings.restAuth) {
        lines.push("rest.extension.classes=org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension");
    }
    return `${lines.join("\n")}\n`;
}

interface Common {
    workers: number;
    worker: Omit<WorkerSettings, "restAuth" | "bootstrapServers" | "secretsDir"> & { bootstrapServers: pulumi.Input<string> };
}

function properties(worker: Common["worker"], secretsDir: string, restAuth: boolean): pulumi.Output<string> {
    return pulumi
        .output(worker.bootstrapServers)
        .apply((bootstrapServers) => workerProperties({ ...worker, bootstrapServers, secretsDir, restAuth }));
}

export type ConnectClusterArgs =
    | (Common & {
          kind: "docker";
          networkName: pulumi.Input<string>;
          /** Host ports (127.0.0.1) of the first worker's REST API and metrics; the next workers count up. */
          hostPort: number;
          metricsHostPort: number;
          /** Host folder bind-mounted at the same path in the workers: the Connector provider writes there. */
          hostSecretsDir: string;
      })
    | (Common & {
          kind: "kubernetes";
          provider: k8s.Provider;
          namespace: string;
          /** Basic-auth credentials of the REST API (a Pulumi secret). */
          restPassword: pulumi.Input<string>;
          /** IAM role the workers assume (EKS IRSA) for MSK IAM auth: annotated on their ServiceAccount. */
          iamRoleArn?: pulumi.Input<string>;
          /** Requests of each worker pod; memory is its limit too. */
          resources: { cpu: string; memory: string };
          /** Push the image here (ECR repository created by the component when omitted). */
          repositoryUrl?: pulumi.Input<string>;
      });

export class ConnectCluster extends pulumi.ComponentResource {
    readonly url: pulumi.Output<string>;
    readonly image?: pulumi.Output<string>;
    /** kubernetes: a DNS name resolving to every worker (headless Service), for scraping each one's metrics. */
    readonly workersDnsName?: string;
    /** Resolves once the workers exist (containers started, Deployment rolled out): connectors wait for it. */
    readonly ready: pulumi.Output<string[]>;

    constructor(name: string, args: ConnectClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tandem:index:ConnectCluster", name, {}, opts);
        const parent = { parent: this };

        if (args.kind === "docker") {
            const image = buildOwnImage(name, "connect", { kind: "local" }, this);
            const workerConfig = properties(args.worker, args.hostSecretsDir, false);
            const containers: docker.Container[] = [];
            for (let i = 0; i < args.workers; i++) {
                containers[i] = new docker.Container(
                    `${name}-${i + 1}`,
                    {
                        name: `${name}-${i + 1}`,
                        image,
                        networksAdvanced: [{ name: args.networkName }],
                        // Databases on the developer's machine are reached as host.docker.internal (Linux too).
                        hosts: [{ host: "host.docker.internal", ip: "host-gateway" }],
                        ports: [
                            { internal: WORKER_REST_PORT, external: args.hostPort + i, ip: "127.0.0.1" },
                            { internal: WORKER_METRICS_PORT, external: args.metricsHostPort + i, ip: "127.0.0.1" },
                        ],
                        uploads: [
                            {
                                file: "/etc/kafka-connect/worker.properties",
                                content: pulumi.interpolate`${workerConfig}rest.advertised.host.name=${name}-${i + 1}\n`,
                            },
                        ],
                        volumes: [{ hostPath: args.hostSecretsDir, containerPath: args.hostSecretsDir, readOnly: true }],
                        restart: "unless-stopped",
                    },
                    parent,
                );
            }
            this.ready = pulumi.all(containers.map((container) => container.id));
            this.url = this.ready.apply(() => `http://127.0.0.1:${args.hostPort}`);
            this.image = image;
        } else {
            const image = buildOwnImage(name, "connect", { kind: "ecr", repositoryUrl: args.repositoryUrl }, this);
            const labels = { app: name };
            const k8sOpts = { parent: this, provider: args.provider };
            const config = new k8s.core.v1.ConfigMap(
                `${name}-config`,
                {
                    metadata: { namespace: args.namespace },
                    // Workers forward requests to the leader at their advertised address: the pod IP.
                    data: {
                        "worker.properties": pulumi.interpolate`${properties({ ...args.worker, secretsProvider: "kubernetes" }, WORKER_SECRETS_DIR, true)}rest.advertised.host.name=\${env:POD_IP}\n`,
                    },
                },
                k8sOpts,
            );
            // REST basic auth: a JAAS file naming a credentials file (both mounted from this Secret).
            const restAuth = new k8s.core.v1.Secret(
                `${name}-rest-auth`,
                {
                    metadata: { namespace: args.namespace },
                    stringData: {
                        "jaas.conf": `KafkaConnect {\n  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required\n  file="/etc/kafka-connect/auth/credentials.properties";\n};\n`,
                        "credentials.properties": pulumi.interpolate`${REST_USER}: ${args.restPassword}\n`,
                    },
                },
                k8sOpts,
            );
            // The `secrets` config provider reads connector Secrets through the API: get on Secrets in this namespace.
            const account = new k8s.core.v1.ServiceAccount(
                `${name}-workers`,
                {
                    metadata: {
                        namespace: args.namespace,
                        labels,
                        annotations: args.iamRoleArn ? { "eks.amazonaws.com/role-arn": args.iamRoleArn } : undefined,
                    },
                },
                k8sOpts,
            );
            const role = new k8s.rbac.v1.Role(
                `${name}-read-secrets`,
                {
                    metadata: { namespace: args.namespace, labels },
                    rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }],
                },
                k8sOpts,
            );
            new k8s.rbac.v1.RoleBinding(
                `${name}-read-secrets`,
                {
                    metadata: { namespace: args.namespace, labels },
                    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
                    subjects: [{ kind: "ServiceAccount", name: account.metadata.name, namespace: args.namespace }],
                },
                k8sOpts,
            );
            const deployment = new k8s.apps.v1.Deployment(
                `${name}-workers`,
                {
                    metadata: { namespace: args.namespace, labels },
                    spec: {
                        replicas: args.workers,
                        selector: { matchLabels: labels },
                        template: {
                            metadata: {
                                labels,
                                annotations: { "prometheus.io/scrape": "true", "prometheus.io/port": String(WORKER_METRICS_PORT) },
                            },
                            spec: {
                                serviceAccountName: account.metadata.name,
                                containers: [
                                    {
                                        name: "connect",
                                        image,
                                        ports: [
                                            { name: "rest", containerPort: WORKER_REST_PORT },
                                            { name: "metrics", containerPort: WORKER_METRICS_PORT },
                                        ],
                                        env: [
                                            {
                                                name: "KAFKA_OPTS",
                                                value: "-Djava.security.auth.login.config=/etc/kafka-connect/auth/jaas.conf",
                                            },
                                            { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
                                        ],
                                        readinessProbe: { httpGet: { path: "/health", port: "rest" }, periodSeconds: 5 },
                                        resources: { requests: args.resources, limits: { memory: args.resources.memory } },
                                        volumeMounts: [
                                            {
                                                name: "config",
                                                mountPath: "/etc/kafka-connect/worker.properties",
                                                subPath: "worker.properties",
                                            },
                                            { name: "rest-auth", mountPath: "/etc/kafka-connect/auth", readOnly: true },
                                        ],
                                    },
                                ],
                                volumes: [
                                    { name: "config", configMap: { name: config.metadata.name } },
                                    { name: "rest-auth", secret: { secretName: restAuth.metadata.name } },
                                ],
                            },
                        },
                    },
                },
                k8sOpts,
            );
            // A fixed name: Prometheus scrapes and the REST load balancer targets <name>-rest.<namespace>.svc.
            const service = new k8s.core.v1.Service(
                `${name}-rest`,
                {
                    metadata: { namespace: args.namespace, name: `${name}-rest`, labels },
                    spec: {
                        selector: labels,
                        ports: [
                            { name: "rest", port: WORKER_REST_PORT, targetPort: "rest" },
                            { name: "metrics", port: WORKER_METRICS_PORT, targetPort: "metrics" },
                        ],
                    },
                },
                { ...k8sOpts, dependsOn: [deployment] },
            );
            // Headless: its DNS name resolves to every worker, so Prometheus scrapes each one (dns_sd_configs).
            const headless = new k8s.core.v1.Service(
                `${name}-workers`,
                {
                    metadata: { namespace: args.namespace, name: `${name}-workers`, labels },
                    spec: {
                        clusterIP: "None",
                        selector: labels,
                        ports: [{ name: "metrics", port: WORKER_METRICS_PORT, targetPort: "metrics" }],
                    },
                },
                k8sOpts,
            );
            this.workersDnsName = `${name}-workers.${args.namespace}.svc`;
            this.ready = pulumi.all([deployment.id, service.id, headless.id]);
            this.url = pulumi.interpolate`http://${service.metadata.name}.${args.namespace}.svc:${WORKER_REST_PORT}`;
            this.image = image;
        }
        this.registerOutputs({ url: this.url });
    }
}
