// The infrastructure under the sync, per environment: dev = Docker (KRaft containers, Connect containers
// from our image), prod = AWS MSK + Connect on Kubernetes + CDC parameter groups, local = existing
// services. What differs between environments is data in environmentSpec.ts and the stack config.
// The three environments stay side by side on purpose, so that a reviewer sees how they differ.
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CdcParameterGroups } from "./cdcParameterGroups";
import { ConnectorSecretStore } from "../connectors/secretStores";
import { TopicCreation } from "../connectors/syncConnectors";
import { KafkaTopic } from "../kafka/kafkaTopic";
import { TopicsTeardown } from "../kafka/topicsTeardown";
import { KafkaAcls } from "../kafka/kafkaAcls";
import { pipelineAcls } from "../kafka/pipelineAcls";
import { KafkaAccess, scramJaasConfig } from "../core/kafkaAccess";
import { ConnectCluster, REST_USER, WORKER_METRICS_PORT, WORKER_REST_PORT } from "./connectCluster";
import { KafkaCluster } from "./kafkaCluster";
import { DevTools, Prometheus, PROMETHEUS_PORT } from "./prometheus";
import { HealthMonitorSite, healthMonitorScrapeTarget } from "./healthMonitor";
import { environmentSpec, Sizing } from "./environmentSpec";
import { SecretSettings, Settings } from "./settings";
import { deadLetterTopicConfig, Topics } from "./topics";
import { DIRECTIONS, KafkaSecurity } from "../core/vocabulary";
import { deadLetterTopic } from "../core/topics";

export interface DevEnvironmentArgs {
    prefix: string;
    /** Largest row change the topics carry (tandem:maxRowBytes). */
    maxRowBytes: number;
    /** Overrides of the environment spec's sizing (stack config). */
    sizing?: Partial<Sizing>;
    tables: string[];
    mysqlDatabase: string;
    postgresSchema: string;
    /** Host folder bind-mounted into the workers, where the Connector provider writes connector secrets. */
    hostSecretsDir: string;
    /** The health monitor's port when the stack deploys one (tandem:healthMonitor): Prometheus scrapes it. */
    healthMonitorPort?: number;
    /** Objective of the TandemSyncDelayHigh alert and the dashboard's delay stat (tandem:syncDelayObjectiveSeconds). */
    syncDelayObjectiveSeconds?: number;
}

export interface ProdEnvironmentArgs extends Omit<DevEnvironmentArgs, "hostSecretsDir"> {
    subnetIds: pulumi.Input<string>[];
    securityGroupIds: pulumi.Input<string>[];
    /** The cluster running Connect and Prometheus (the ambient kubeconfig when absent). */
    kubeconfig?: pulumi.Input<string>;
    namespace: string;
    /** How the machine running `pulumi` reaches the workers' REST API (load balancer, ingress, port-forward). */
    connectUrl: string;
    connectRestPassword: pulumi.Input<string>;
    /** IAM role of the workers (IRSA) allowing MSK IAM auth on the cluster. */
    connectIamRoleArn: string;
    mysqlParameterFamily: string;
    postgresParameterFamily: string;
}

/** What the sync needs from an environment, and what dashboards read. */
export interface DeployedEnvironment {
    /** Kafka as the Connect workers reach it. */
    bootstrapServers: pulumi.Output<string>;
    kafkaSecurity: KafkaSecurity;
    /**
     * sasl-scram: how the Connect principal reaches Kafka (its connectors' own clients and the health monitor log in
     * as it; a secret); the admin's access is pulumi's own.
     */
    kafkaClientAccess?: pulumi.Output<KafkaAccess>;
    /** The same for the connectors' own Java clients: the brokers' CA and the JAAS line (secret). */
    kafkaClient?: { ca?: string; jaasConfig: pulumi.Output<string> };
    /** Connect's REST API as the machine running `pulumi` reaches it; resolves once the workers exist. */
    connectUrl: pulumi.Output<string>;
    connectAuth?: pulumi.Output<{ username: string; password: string }>;
    secretStore: ConnectorSecretStore;
    /** Rules for the topics the sources create themselves (connectors' topic.creation.default.*). */
    topicCreation?: TopicCreation;
    /** Topics created by the stack (@pulumi/kafka); the rest come from the connectors' topic.creation rules. */
    topics: string[];
    /** What the connectors must wait for (topics they must not create themselves). */
    dependencies: pulumi.Resource[];
    /** Dashboards read these (stack outputs). */
    urls: {
        prometheus?: pulumi.Output<string>;
        grafana?: pulumi.Output<string>;
        kafkaUi?: pulumi.Output<string>;
        connectMetrics?: pulumi.Output<string>;
    };
    /** Where the health monitor runs beside the environment's services (dev, prod); local runs it on this machine. */
    healthMonitorSite?: HealthMonitorSite;
}

/** The sources create undeclared topics with the environment's sizing, like the declared ones. */
function topicCreationOf(spec: Sizing): TopicCreation {
    return { replicationFactor: spec.replicationFactor, partitions: spec.partitions, minInsyncReplicas: spec.minInsyncReplicas };
}

function topicSettings(args: Omit<DevEnvironmentArgs, "hostSecretsDir">, spec: Sizing) {
    return {
        prefix: args.prefix,
        connectGroupId: `${args.prefix}-connect`,
        mysqlDatabase: args.mysqlDatabase,
        postgresSchema: args.postgresSchema,
        tables: args.tables,
        partitions: spec.partitions,
        replicationFactor: spec.replicationFactor,
        minInsyncReplicas: spec.minInsyncReplicas,
        maxRowBytes: args.maxRowBytes,
    };
}

/** What a Connect worker of the environment is told: its Kafka, group and the environment's replication and security. */
function workerOf(prefix: string, kafka: KafkaCluster, spec: Sizing & { kafkaSecurity: KafkaSecurity }) {
    return {
        bootstrapServers: kafka.bootstrapServers,
        groupId: `${prefix}-connect`,
        replicationFactor: spec.replicationFactor,
        security: spec.kafkaSecurity,
    };
}

export function devEnvironment(args: DevEnvironmentArgs, parent?: pulumi.Resource): DeployedEnvironment {
    const spec = environmentSpec("dev", args.sizing);
    const ports = spec.hostPorts;
    const opts = { parent };
    const network = new docker.Network(`${args.prefix}-net`, { name: `${args.prefix}-net` }, opts);
    const kafka = new KafkaCluster(
        `${args.prefix}-kafka`,
        { kind: "docker", networkName: network.name, brokers: spec.brokers, hostPort: ports.kafka },
        opts,
    );
    const topics = new Topics(
        `${args.prefix}-topics`,
        { settings: topicSettings(args, spec), bootstrapServers: kafka.adminBootstrapServers, security: spec.kafkaSecurity },
        opts,
    );
    const connect = new ConnectCluster(
        `${args.prefix}-connect`,
        {
            kind: "docker",
            workers: spec.connectWorkers,
            networkName: network.name,
            hostPort: ports.connectRest,
            metricsHostPort: ports.connectMetrics,
            hostSecretsDir: args.hostSecretsDir,
            worker: workerOf(args.prefix, kafka, spec),
        },
        { parent, dependsOn: [topics] },
    );
    const connectTargets = Array.from({ length: spec.connectWorkers }, (_, i) => `${args.prefix}-connect-${i + 1}:${WORKER_METRICS_PORT}`);
    const prometheus = new Prometheus(
        `${args.prefix}-prometheus`,
        {
            kind: "docker",
            environment: "dev",
            pipeline: args.prefix,
            connectTargets,
            monitorTargets: args.healthMonitorPort === undefined ? [] : [healthMonitorScrapeTarget(args.prefix, { kind: "docker" })],
            syncDelayObjectiveSeconds: args.syncDelayObjectiveSeconds,
            networkName: network.name,
            hostPort: ports.prometheus,
        },
        opts,
    );
    // Any worker forwards to the leader: the first one's REST API on the network, for the tools and the monitor.
    const connectNetworkUrl = `http://${args.prefix}-connect-1:${WORKER_REST_PORT}`;
    const tools = new DevTools(
        `${args.prefix}-tools`,
        {
            networkName: network.name,
            bootstrapServers: kafka.bootstrapServers,
            connectUrl: connectNetworkUrl,
            prometheusUrl: `http://${args.prefix}-prometheus:${PROMETHEUS_PORT}`,
            kafkaUiPort: ports.kafkaUi,
            pipeline: args.prefix,
            syncDelayObjectiveSeconds: args.syncDelayObjectiveSeconds,
            grafanaPort: ports.grafana,
        },
        opts,
    );
    return {
        bootstrapServers: kafka.bootstrapServers,
        kafkaSecurity: spec.kafkaSecurity,
        connectUrl: connect.url,
        topicCreation: topicCreationOf(spec),
        secretStore: { kind: "directory", dir: args.hostSecretsDir },
        topics: topics.names,
        dependencies: [topics],
        urls: {
            prometheus: prometheus.url,
            grafana: tools.grafanaUrl,
            kafkaUi: tools.kafkaUiUrl,
            connectMetrics: pulumi.output(`http://127.0.0.1:${ports.connectMetrics}/metrics`),
        },
        healthMonitorSite: { kind: "docker", networkName: network.name, connectUrl: connectNetworkUrl },
    };
}

export function prodEnvironment(args: ProdEnvironmentArgs, parent?: pulumi.Resource): DeployedEnvironment {
    const spec = environmentSpec("prod", args.sizing);
    const opts = { parent };
    const kafka = new KafkaCluster(
        `${args.prefix}-kafka`,
        {
            kind: "msk",
            brokers: spec.brokers,
            ...spec.msk,
            subnetIds: args.subnetIds,
            securityGroupIds: args.securityGroupIds,
            minInsyncReplicas: spec.minInsyncReplicas,
            defaultReplicationFactor: spec.replicationFactor,
        },
        opts,
    );
    const topics = new Topics(
        `${args.prefix}-topics`,
        { settings: topicSettings(args, spec), bootstrapServers: kafka.adminBootstrapServers, security: spec.kafkaSecurity },
        opts,
    );
    const provider = new k8s.Provider(`${args.prefix}-k8s`, { kubeconfig: args.kubeconfig, namespace: args.namespace }, opts);
    const connect = new ConnectCluster(
        `${args.prefix}-connect`,
        {
            kind: "kubernetes",
            provider,
            namespace: args.namespace,
            workers: spec.connectWorkers,
            restPassword: args.connectRestPassword,
            iamRoleArn: args.connectIamRoleArn,
            resources: spec.connectWorkerResources,
            worker: workerOf(args.prefix, kafka, spec),
        },
        { parent, dependsOn: [topics] },
    );
    const connectUrl = connect.ready.apply(() => args.connectUrl);
    new CdcParameterGroups(
        `${args.prefix}-cdc`,
        { mysqlFamily: args.mysqlParameterFamily, postgresFamily: args.postgresParameterFamily },
        opts,
    );
    const prometheus = new Prometheus(
        `${args.prefix}-prometheus`,
        {
            kind: "kubernetes",
            provider,
            namespace: args.namespace,
            environment: "prod",
            pipeline: args.prefix,
            connectTargets: [],
            // The headless Service of ConnectCluster: every worker, not one behind the REST Service.
            connectDiscovery: { dnsName: connect.workersDnsName!, port: WORKER_METRICS_PORT },
            monitorTargets:
                args.healthMonitorPort === undefined
                    ? []
                    : [
                          healthMonitorScrapeTarget(args.prefix, {
                              kind: "kubernetes",
                              namespace: args.namespace,
                              port: args.healthMonitorPort,
                          }),
                      ],
            syncDelayObjectiveSeconds: args.syncDelayObjectiveSeconds,
        },
        opts,
    );
    return {
        bootstrapServers: kafka.bootstrapServers,
        kafkaSecurity: spec.kafkaSecurity,
        connectUrl,
        topicCreation: topicCreationOf(spec),
        connectAuth: pulumi.secret(pulumi.output(args.connectRestPassword).apply((password) => ({ username: REST_USER, password }))),
        secretStore: { kind: "kubernetes", provider, namespace: args.namespace },
        topics: topics.names,
        dependencies: [topics],
        urls: {
            prometheus: prometheus.url,
            connectMetrics: pulumi.output(`http://${connect.workersDnsName}:${WORKER_METRICS_PORT}/metrics`),
        },
        healthMonitorSite: {
            kind: "kubernetes",
            provider,
            namespace: args.namespace,
            // The REST Service in the cluster (basic auth: connectAuth), not the address `pulumi` uses.
            connectUrl: connect.url,
            resources: spec.healthMonitorResources,
            iamRoleArn: args.connectIamRoleArn,
        },
    };
}

/**
 * local: existing Kafka and Connect (the sandbox by default). The change topics come from the sources'
 * topic.creation rules (pulumi-resource-kafka cannot be built here, docs/environments.md); the dead-letter
 * topics are created with a size limit that lets them hold any row the change topics carry.
 */
export function localEnvironment(
    settings: Pick<
        Settings,
        "kafkaBootstrapServers" | "connectUrl" | "connectSecretsDir" | "topicPrefix" | "maxRowBytes" | "kafka" | "teardownOnDestroy"
    >,
    secrets: Pick<SecretSettings, "kafkaPassword" | "kafkaConnectPassword"> = {},
    parent?: pulumi.Resource,
): DeployedEnvironment {
    const secured = settings.kafka.security === "sasl-scram";
    const accessOf = (username: string, password: pulumi.Output<string> | undefined) =>
        pulumi.secret(
            pulumi.output(password ?? "").apply((value): KafkaAccess => ({
                security: "sasl-scram",
                username,
                password: value,
                ...(settings.kafka.ca ? { ca: settings.kafka.ca } : {}),
            })),
        );
    const adminAccess = secured ? accessOf(settings.kafka.user, secrets.kafkaPassword) : undefined;
    const deadLetters = DIRECTIONS.map((direction) => deadLetterTopic(settings.topicPrefix, direction));
    const created: pulumi.Resource[] = deadLetters.map(
        (name) =>
            new KafkaTopic(
                name,
                {
                    bootstrapServers: settings.kafkaBootstrapServers,
                    ...(adminAccess ? { access: adminAccess } : {}),
                    name,
                    config: deadLetterTopicConfig(settings.maxRowBytes),
                },
                { parent },
            ),
    );
    // With the teardown, a destroy deletes the pipeline's topics once its connectors are gone: a later stack of the
    // same prefix must not replay the old changes (its sinks start from the topics' beginning).
    created.push(
        new TopicsTeardown(
            `${settings.topicPrefix}-topics-teardown`,
            {
                bootstrapServers: settings.kafkaBootstrapServers,
                ...(adminAccess ? { access: adminAccess } : {}),
                prefix: settings.topicPrefix,
                deleteOnDestroy: settings.teardownOnDestroy,
            },
            { parent },
        ),
    );
    if (adminAccess) {
        // The Connect principal gets the pipeline's topics and groups, before any connector starts.
        created.push(
            new KafkaAcls(
                `${settings.topicPrefix}-kafka-acls`,
                {
                    bootstrapServers: settings.kafkaBootstrapServers,
                    access: adminAccess,
                    acls: pipelineAcls(settings.topicPrefix, settings.kafka.connectUser),
                },
                { parent },
            ),
        );
    }
    return {
        bootstrapServers: pulumi.output(settings.kafkaBootstrapServers),
        kafkaSecurity: settings.kafka.security,
        ...(secured ? securedClients(settings.kafka, accessOf(settings.kafka.connectUser, secrets.kafkaConnectPassword)) : {}),
        connectUrl: pulumi.output(settings.connectUrl),
        secretStore: { kind: "directory", dir: settings.connectSecretsDir },
        topics: deadLetters,
        dependencies: created,
        urls: {},
    };
}

function securedClients(
    kafka: Settings["kafka"],
    access: pulumi.Output<KafkaAccess>,
): Pick<DeployedEnvironment, "kafkaClientAccess" | "kafkaClient"> {
    const jaasConfig = pulumi.secret(access.apply((value) => scramJaasConfig(value.username ?? "", value.password ?? "")));
    return { kafkaClientAccess: access, kafkaClient: { ...(kafka.ca ? { ca: kafka.ca } : {}), jaasConfig } };
}

/** The environment a stack's settings ask for. */
export function environmentFor(
    settings: Settings,
    secrets: SecretSettings,
    tables: string[],
    parent?: pulumi.Resource,
): DeployedEnvironment {
    const common = {
        prefix: settings.topicPrefix,
        maxRowBytes: settings.maxRowBytes,
        sizing: settings.sizing,
        tables,
        mysqlDatabase: settings.mysql.database,
        postgresSchema: settings.postgres.schema,
        healthMonitorPort: settings.healthMonitor.enabled ? settings.healthMonitor.port : undefined,
        syncDelayObjectiveSeconds: settings.healthMonitor.delayObjectiveSeconds,
    };
    switch (settings.environment) {
        case "local":
            return localEnvironment(settings, secrets, parent);
        case "dev":
            return devEnvironment({ ...common, hostSecretsDir: settings.connectSecretsDir }, parent);
        case "prod": {
            const prod = settings.prod!;
            return prodEnvironment(
                {
                    ...common,
                    subnetIds: prod.subnetIds,
                    securityGroupIds: prod.securityGroupIds,
                    namespace: prod.namespace,
                    kubeconfig: secrets.kubeconfig,
                    connectUrl: settings.connectUrl,
                    connectRestPassword: secrets.connectRestPassword!,
                    connectIamRoleArn: prod.connectIamRoleArn,
                    mysqlParameterFamily: prod.mysqlParameterFamily,
                    postgresParameterFamily: prod.postgresParameterFamily,
                },
                parent,
            );
        }
    }
}
