// The infrastructure under the sync, per environment: dev = Docker (KRaft containers, Connect containers
// from our image), prod = AWS MSK + Connect on Kubernetes + CDC parameter groups, local = existing
// services. `environmentDefaults` holds what differs between environments, as data a reviewer can read.
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CdcParameterGroups } from "./cdcParameterGroups";
import { ConnectCluster } from "./connectCluster";
import { KafkaCluster } from "./kafkaCluster";
import { DevTools, Prometheus } from "./prometheus";
import { Topics } from "./topics";

export interface EnvironmentSpec {
    brokers: number;
    replicationFactor: number;
    minInsyncReplicas: number;
    partitions: number;
    connectWorkers: number;
    tls: boolean;
    restAuth: boolean;
}

/** Pure: the sizing and safety settings of each environment. */
export function environmentDefaults(environment: "dev" | "prod"): EnvironmentSpec {
    return environment === "prod"
        ? { brokers: 3, replicationFactor: 3, minInsyncReplicas: 2, partitions: 6, connectWorkers: 2, tls: true, restAuth: true }
        : { brokers: 1, replicationFactor: 1, minInsyncReplicas: 1, partitions: 3, connectWorkers: 1, tls: false, restAuth: false };
}

export interface DevEnvironmentArgs {
    prefix: string;
    tables: string[];
    mysqlDatabase: string;
    postgresSchema: string;
    hostSecretsDir: string;
}

export interface ProdEnvironmentArgs extends DevEnvironmentArgs {
    subnetIds: pulumi.Input<string>[];
    securityGroupIds: pulumi.Input<string>[];
    kubeconfig: pulumi.Input<string>;
    namespace: string;
    connectRestPassword: pulumi.Input<string>;
    mysqlParameterFamily: string;
    postgresParameterFamily: string;
}

export interface Environment {
    bootstrapServers: pulumi.Output<string>;
    connectUrl: pulumi.Output<string>;
    connectSecretsDir: pulumi.Output<string>;
    topics: string[];
    /** Dashboards read these (stack outputs). */
    urls: { prometheus: pulumi.Output<string>; grafana?: pulumi.Output<string>; kafkaUi?: pulumi.Output<string> };
}

function topicSettings(args: DevEnvironmentArgs, spec: EnvironmentSpec) {
    return {
        prefix: args.prefix,
        connectGroupId: `${args.prefix}-connect`,
        mysqlDatabase: args.mysqlDatabase,
        postgresSchema: args.postgresSchema,
        tables: args.tables,
        partitions: spec.partitions,
        replicationFactor: spec.replicationFactor,
        minInsyncReplicas: spec.minInsyncReplicas,
    };
}

export function devEnvironment(args: DevEnvironmentArgs, parent?: pulumi.Resource): Environment {
    const spec = environmentDefaults("dev");
    const opts = { parent };
    const network = new docker.Network(`${args.prefix}-net`, { name: `${args.prefix}-net` }, opts);
    const kafka = new KafkaCluster(`${args.prefix}-kafka`, { kind: "docker", networkName: network.name, brokers: spec.brokers, hostPort: 29092 }, opts);
    const topics = new Topics(`${args.prefix}-topics`, { settings: topicSettings(args, spec), bootstrapServers: kafka.adminBootstrapServers, security: "plaintext" }, opts);
    const connect = new ConnectCluster(`${args.prefix}-connect`, {
        kind: "docker",
        workers: spec.connectWorkers,
        networkName: network.name,
        hostPort: 28083,
        hostSecretsDir: args.hostSecretsDir,
        worker: { bootstrapServers: kafka.bootstrapServers, groupId: `${args.prefix}-connect`, replicationFactor: spec.replicationFactor, security: "plaintext" },
    }, { parent, dependsOn: [topics] });
    const connectTargets = Array.from({ length: spec.connectWorkers }, (_, i) => `${args.prefix}-connect-${i + 1}:9404`);
    const prometheus = new Prometheus(`${args.prefix}-prometheus`, { kind: "docker", environment: "dev", pipeline: args.prefix, connectTargets, networkName: network.name, hostPort: 29090 }, opts);
    const tools = new DevTools(`${args.prefix}-tools`, {
        networkName: network.name,
        bootstrapServers: kafka.bootstrapServers,
        connectUrl: `http://${args.prefix}-connect-1:8083`,
        prometheusUrl: `http://${args.prefix}-prometheus:9090`,
        kafkaUiPort: 28080,
        grafanaPort: 23000,
    }, opts);
    return {
        bootstrapServers: kafka.bootstrapServers,
        connectUrl: connect.url,
        connectSecretsDir: connect.secretsDir,
        topics: topics.names,
        urls: { prometheus: prometheus.url, grafana: tools.grafanaUrl, kafkaUi: tools.kafkaUiUrl },
    };
}

export function prodEnvironment(args: ProdEnvironmentArgs, parent?: pulumi.Resource): Environment {
    const spec = environmentDefaults("prod");
    const opts = { parent };
    const kafka = new KafkaCluster(`${args.prefix}-kafka`, {
        kind: "msk",
        brokers: spec.brokers,
        instanceType: "kafka.m7g.large",
        kafkaVersion: "3.9.x",
        subnetIds: args.subnetIds,
        securityGroupIds: args.securityGroupIds,
        volumeSizeGb: 500,
        minInsyncReplicas: spec.minInsyncReplicas,
        defaultReplicationFactor: spec.replicationFactor,
    }, opts);
    const topics = new Topics(`${args.prefix}-topics`, { settings: topicSettings(args, spec), bootstrapServers: kafka.adminBootstrapServers, security: "msk-iam" }, opts);
    const provider = new k8s.Provider(`${args.prefix}-k8s`, { kubeconfig: args.kubeconfig, namespace: args.namespace }, opts);
    const connect = new ConnectCluster(`${args.prefix}-connect`, {
        kind: "kubernetes",
        provider,
        namespace: args.namespace,
        workers: spec.connectWorkers,
        restPassword: args.connectRestPassword,
        worker: { bootstrapServers: kafka.bootstrapServers, groupId: `${args.prefix}-connect`, replicationFactor: spec.replicationFactor, security: "msk-iam" },
    }, { parent, dependsOn: [topics] });
    new CdcParameterGroups(`${args.prefix}-cdc`, { mysqlFamily: args.mysqlParameterFamily, postgresFamily: args.postgresParameterFamily }, opts);
    const prometheus = new Prometheus(`${args.prefix}-prometheus`, {
        kind: "kubernetes",
        provider,
        namespace: args.namespace,
        environment: "prod",
        pipeline: args.prefix,
        connectTargets: [`${args.prefix}-connect-rest.${args.namespace}.svc:9404`],
    }, opts);
    return { bootstrapServers: kafka.bootstrapServers, connectUrl: connect.url, connectSecretsDir: connect.secretsDir, topics: topics.names, urls: { prometheus: prometheus.url } };
}
