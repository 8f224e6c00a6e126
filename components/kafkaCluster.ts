// The Kafka cluster the pipeline runs on: KRaft containers (dev) or AWS MSK (prod); `local` uses an existing
// cluster and needs no component. One component, the variant chosen by `kind`; the rest of the program only
// reads `bootstrapServers` and `adminBootstrapServers`.
import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { IMAGES } from "./images";

export type KafkaClusterArgs =
    | {
          kind: "docker";
          /** Docker network the containers join (Connect and Prometheus use it too). */
          networkName: pulumi.Input<string>;
          brokers: number;
          /** Host port of the first broker's client listener (127.0.0.1 only). */
          hostPort: number;
      }
    | {
          kind: "msk";
          brokers: number;
          instanceType: string;
          kafkaVersion: string;
          subnetIds: pulumi.Input<string>[];
          securityGroupIds: pulumi.Input<string>[];
          volumeSizeGb: number;
          minInsyncReplicas: number;
          defaultReplicationFactor: number;
      };

export class KafkaCluster extends pulumi.ComponentResource {
    /** Bootstrap servers as the Connect workers reach them. */
    readonly bootstrapServers: pulumi.Output<string>;
    /** Bootstrap servers as the machine running `pulumi` reaches them (topics are created from there). */
    readonly adminBootstrapServers: pulumi.Output<string>;

    constructor(name: string, args: KafkaClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tandem:index:KafkaCluster", name, {}, opts);
        const parent = { parent: this };
        switch (args.kind) {
            case "docker": {
                const image = new docker.RemoteImage(`${name}-image`, { name: IMAGES.kafka, keepLocally: true }, parent);
                const voters = Array.from({ length: args.brokers }, (_, i) => `${i + 1}@${name}-${i + 1}:9093`).join(",");
                const containers = Array.from({ length: args.brokers }, (_, i) => {
                    const id = i + 1;
                    return new docker.Container(
                        `${name}-${id}`,
                        {
                            name: `${name}-${id}`,
                            image: image.imageId,
                            hostname: `${name}-${id}`,
                            networksAdvanced: [{ name: args.networkName, aliases: [`${name}-${id}`] }],
                            ports: [{ internal: 19092, external: args.hostPort + i, ip: "127.0.0.1" }],
                            envs: [
                                `KAFKA_NODE_ID=${id}`,
                                "KAFKA_PROCESS_ROLES=broker,controller",
                                `KAFKA_CONTROLLER_QUORUM_VOTERS=${voters}`,
                                "KAFKA_LISTENERS=INTERNAL://:9092,HOST://:19092,CONTROLLER://:9093",
                                `KAFKA_ADVERTISED_LISTENERS=INTERNAL://${name}-${id}:9092,HOST://127.0.0.1:${args.hostPort + i}`,
                                "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP=INTERNAL:PLAINTEXT,HOST:PLAINTEXT,CONTROLLER:PLAINTEXT",
                                "KAFKA_INTER_BROKER_LISTENER_NAME=INTERNAL",
                                "KAFKA_CONTROLLER_LISTENER_NAMES=CONTROLLER",
                                `KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR=${Math.min(3, args.brokers)}`,
                                `KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR=${Math.min(3, args.brokers)}`,
                                `KAFKA_TRANSACTION_STATE_LOG_MIN_ISR=${Math.min(2, args.brokers)}`,
                                "CLUSTER_ID=tandem-dev-kraft-cluster1",
                            ],
                            restart: "unless-stopped",
                        },
                        parent,
                    );
                });
                this.bootstrapServers = pulumi.all(containers.map((c) => c.name)).apply((names) => names.map((n) => `${n}:9092`).join(","));
                this.adminBootstrapServers = pulumi.output(
                    Array.from({ length: args.brokers }, (_, i) => `127.0.0.1:${args.hostPort + i}`).join(","),
                );
                break;
            }
            case "msk": {
                // Broker settings that keep CDC topics safe: no unclean election, replicated internal topics.
                const configuration = new aws.msk.Configuration(
                    `${name}-config`,
                    {
                        kafkaVersions: [args.kafkaVersion],
                        serverProperties: [
                            "auto.create.topics.enable=false",
                            `default.replication.factor=${args.defaultReplicationFactor}`,
                            `min.insync.replicas=${args.minInsyncReplicas}`,
                            "unclean.leader.election.enable=false",
                            "num.partitions=6",
                        ].join("\n"),
                    },
                    parent,
                );
                const cluster = new aws.msk.Cluster(
                    name,
                    {
                        clusterName: name,
                        kafkaVersion: args.kafkaVersion,
                        numberOfBrokerNodes: args.brokers,
                        brokerNodeGroupInfo: {
                            instanceType: args.instanceType,
                            clientSubnets: args.subnetIds,
                            securityGroups: args.securityGroupIds,
                            storageInfo: { ebsStorageInfo: { volumeSize: args.volumeSizeGb } },
                        },
                        configurationInfo: { arn: configuration.arn, revision: configuration.latestRevision },
                        clientAuthentication: { sasl: { iam: true }, unauthenticated: false },
                        encryptionInfo: { encryptionInTransit: { clientBroker: "TLS", inCluster: true } },
                        openMonitoring: { prometheus: { jmxExporter: { enabledInBroker: true }, nodeExporter: { enabledInBroker: true } } },
                    },
                    parent,
                );
                this.bootstrapServers = cluster.bootstrapBrokersSaslIam;
                this.adminBootstrapServers = cluster.bootstrapBrokersSaslIam;
                break;
            }
        }
        this.registerOutputs({ bootstrapServers: this.bootstrapServers });
    }
}
