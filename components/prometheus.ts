// Prometheus for the pipeline, with the generated scrape config and alert rules
// (components/monitoring/prometheusConfig.ts): a container in dev, a Kubernetes Deployment in prod.
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { IMAGES } from "./images";
import { DASHBOARD_FOLDER, dashboardProvisioning, pipelineDashboard, PROMETHEUS_DATASOURCE } from "./monitoring/grafanaDashboard";
import { alertRules, scrapeConfig, ScrapeConfigOptions, toYaml } from "./monitoring/prometheusConfig";

const RULES_FILE = "/etc/prometheus/tandem-rules.yml";
/** Port Prometheus serves on inside its container or pod (the image's default). */
export const PROMETHEUS_PORT = 9090;

export interface PrometheusFiles {
    config: string;
    rules: string;
}

/** What else Prometheus watches besides the Connect workers. */
export interface PrometheusExtras {
    /** host:port of the health monitor, when the stack deploys one. */
    monitorTargets?: string[];
    /** The sync delay objective of the TandemSyncDelayHigh alert (tandem:syncDelayObjectiveSeconds). */
    syncDelayObjectiveSeconds?: number;
}

/** Pure: the two files Prometheus is started with. */
export function prometheusFiles(
    environment: string,
    pipeline: string,
    connectTargets: string[],
    connectDiscovery?: ScrapeConfigOptions["connectDiscovery"],
    extras: PrometheusExtras = {},
): PrometheusFiles {
    const { monitorTargets, syncDelayObjectiveSeconds } = extras;
    return {
        config: toYaml(scrapeConfig({ environment, pipeline, connectTargets, connectDiscovery, monitorTargets, ruleFiles: [RULES_FILE] })),
        rules: toYaml(alertRules({ pipeline, syncDelayObjectiveSeconds })),
    };
}

export type PrometheusArgs = PrometheusExtras & {
    environment: string;
    pipeline: string;
    connectTargets: string[];
    connectDiscovery?: ScrapeConfigOptions["connectDiscovery"];
} & (
        | { kind: "docker"; networkName: pulumi.Input<string>; hostPort: number }
        | { kind: "kubernetes"; provider: k8s.Provider; namespace: string }
    );

export class Prometheus extends pulumi.ComponentResource {
    /** Where Prometheus answers, as seen by whoever reads the stack outputs. */
    readonly url: pulumi.Output<string>;

    constructor(name: string, args: PrometheusArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tandem:index:Prometheus", name, {}, opts);
        const files = prometheusFiles(args.environment, args.pipeline, args.connectTargets, args.connectDiscovery, args);
        if (args.kind === "docker") {
            const image = new docker.RemoteImage(`${name}-image`, { name: IMAGES.prometheus, keepLocally: true }, { parent: this });
            new docker.Container(
                name,
                {
                    name,
                    image: image.imageId,
                    networksAdvanced: [{ name: args.networkName }],
                    ports: [{ internal: PROMETHEUS_PORT, external: args.hostPort, ip: "127.0.0.1" }],
                    uploads: [
                        { file: "/etc/prometheus/prometheus.yml", content: files.config },
                        { file: RULES_FILE, content: files.rules },
                    ],
                    restart: "unless-stopped",
                },
                { parent: this },
            );
            this.url = pulumi.output(`http://127.0.0.1:${args.hostPort}`);
        } else {
            const k8sOpts = { parent: this, provider: args.provider };
            const labels = { app: name };
            const config = new k8s.core.v1.ConfigMap(
                `${name}-config`,
                {
                    metadata: { namespace: args.namespace },
                    data: { "prometheus.yml": files.config, "tandem-rules.yml": files.rules },
                },
                k8sOpts,
            );
            new k8s.apps.v1.Deployment(
                name,
                {
                    metadata: { namespace: args.namespace, labels },
                    spec: {
                        replicas: 1,
                        selector: { matchLabels: labels },
                        template: {
                            metadata: { labels },
                            spec: {
                                containers: [
                                    {
                                        name: "prometheus",
                                        image: IMAGES.prometheus,
                                        args: ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.retention.time=15d"],
                                        ports: [{ name: "web", containerPort: PROMETHEUS_PORT }],
                                        volumeMounts: [{ name: "config", mountPath: "/etc/prometheus" }],
                                    },
                                ],
                                volumes: [{ name: "config", configMap: { name: config.metadata.name } }],
                            },
                        },
                    },
                },
                k8sOpts,
            );
            // A fixed name: dashboards and Grafana find Prometheus at <name>.<namespace>.svc.
            const service = new k8s.core.v1.Service(
                `${name}-web`,
                {
                    metadata: { namespace: args.namespace, name, labels },
                    spec: { selector: labels, ports: [{ name: "web", port: PROMETHEUS_PORT, targetPort: "web" }] },
                },
                k8sOpts,
            );
            this.url = pulumi.interpolate`http://${service.metadata.name}.${args.namespace}.svc:${PROMETHEUS_PORT}`;
        }
        this.registerOutputs({ url: this.url });
    }
}

export interface DevToolsArgs {
    networkName: pulumi.Input<string>;
    /** Kafka as the containers reach it. */
    bootstrapServers: pulumi.Input<string>;
    connectUrl: pulumi.Input<string>;
    prometheusUrl: pulumi.Input<string>;
    kafkaUiPort: number;
    grafanaPort: number;
    /** The pipeline whose dashboard Grafana provisions. */
    pipeline: string;
    /** The dashboard's sync delay objective (tandem:syncDelayObjectiveSeconds). */
    syncDelayObjectiveSeconds?: number;
}

/** dev extras: Kafka UI, and Grafana with Prometheus as its data source and the pipeline's dashboard. */
export class DevTools extends pulumi.ComponentResource {
    readonly kafkaUiUrl: pulumi.Output<string>;
    readonly grafanaUrl: pulumi.Output<string>;

    constructor(name: string, args: DevToolsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tandem:index:DevTools", name, {}, opts);
        const parent = { parent: this };
        const kafkaUi = new docker.RemoteImage(`${name}-kafka-ui-image`, { name: IMAGES.kafkaUi, keepLocally: true }, parent);
        new docker.Container(
            `${name}-kafka-ui`,
            {
                name: `${name}-kafka-ui`,
                image: kafkaUi.imageId,
                networksAdvanced: [{ name: args.networkName }],
                ports: [{ internal: 8080, external: args.kafkaUiPort, ip: "127.0.0.1" }],
                envs: [
                    "KAFKA_CLUSTERS_0_NAME=tandem",
                    pulumi.interpolate`KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS=${args.bootstrapServers}`,
                    "KAFKA_CLUSTERS_0_KAFKACONNECT_0_NAME=connect",
                    pulumi.interpolate`KAFKA_CLUSTERS_0_KAFKACONNECT_0_ADDRESS=${args.connectUrl}`,
                ],
                restart: "unless-stopped",
            },
            parent,
        );
        const grafana = new docker.RemoteImage(`${name}-grafana-image`, { name: IMAGES.grafana, keepLocally: true }, parent);
        const dashboard = pipelineDashboard(args.pipeline, { syncDelayObjectiveSeconds: args.syncDelayObjectiveSeconds });
        new docker.Container(
            `${name}-grafana`,
            {
                name: `${name}-grafana`,
                image: grafana.imageId,
                networksAdvanced: [{ name: args.networkName }],
                ports: [{ internal: 3000, external: args.grafanaPort, ip: "127.0.0.1" }],
                envs: ["GF_AUTH_ANONYMOUS_ENABLED=true", "GF_AUTH_ANONYMOUS_ORG_ROLE=Viewer"],
                uploads: [
                    {
                        file: "/etc/grafana/provisioning/datasources/prometheus.yml",
                        // The uid the dashboard's panels name (PROMETHEUS_DATASOURCE).
                        content: pulumi.interpolate`apiVersion: 1\ndatasources:\n  - name: Prometheus\n    uid: ${PROMETHEUS_DATASOURCE.uid}\n    type: ${PROMETHEUS_DATASOURCE.type}\n    url: ${args.prometheusUrl}\n    isDefault: true\n`,
                    },
                    { file: "/etc/grafana/provisioning/dashboards/tandem.yml", content: dashboardProvisioning() },
                    {
                        file: `${DASHBOARD_FOLDER}/${args.pipeline}.json`,
                        content: `${JSON.stringify(dashboard, null, 2)}\n`,
                    },
                ],
                restart: "unless-stopped",
            },
            parent,
        );
        this.kafkaUiUrl = pulumi.output(`http://127.0.0.1:${args.kafkaUiPort}`);
        this.grafanaUrl = pulumi.output(`http://127.0.0.1:${args.grafanaPort}`);
        this.registerOutputs({ kafkaUiUrl: this.kafkaUiUrl, grafanaUrl: this.grafanaUrl });
    }
}
