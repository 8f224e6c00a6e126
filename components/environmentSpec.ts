// Pure: what differs between the dev and prod environments, as data a reviewer can read in one place. Stack
// config may override the sizing (tandem:kafkaBrokers, tandem:topicReplicationFactor, ...); everything else
// here is read by components/environment.ts. `local` uses existing services and has no spec.
import { KafkaSecurity } from "../core/vocabulary";

/** How big Kafka and Connect are: the part of a spec the stack config may override. */
export interface Sizing {
    brokers: number;
    replicationFactor: number;
    minInsyncReplicas: number;
    partitions: number;
    connectWorkers: number;
}

interface CommonSpec extends Sizing {
    /** How Kafka clients (workers, topic admin) authenticate. */
    kafkaSecurity: KafkaSecurity;
}

export interface DevSpec extends CommonSpec {
    /** Ports on 127.0.0.1 the containers publish; the n-th broker or worker uses the port + n - 1. */
    hostPorts: { kafka: number; connectRest: number; connectMetrics: number; prometheus: number; kafkaUi: number; grafana: number };
}

export interface ProdSpec extends CommonSpec {
    msk: { instanceType: string; kafkaVersion: string; volumeSizeGb: number };
    /** Requests (and memory limit) of each Connect worker pod. */
    connectWorkerResources: { cpu: string; memory: string };
    /** Requests (and memory limit) of the health monitor's pod. */
    healthMonitorResources: { cpu: string; memory: string };
}

export const ENVIRONMENT_SPECS: { dev: DevSpec; prod: ProdSpec } = {
    dev: {
        brokers: 1,
        replicationFactor: 1,
        minInsyncReplicas: 1,
        partitions: 3,
        connectWorkers: 1,
        kafkaSecurity: "plaintext",
        hostPorts: { kafka: 29092, connectRest: 28083, connectMetrics: 29404, prometheus: 29090, kafkaUi: 28080, grafana: 23000 },
    },
    prod: {
        brokers: 3,
        replicationFactor: 3,
        minInsyncReplicas: 2,
        partitions: 6,
        connectWorkers: 2,
        kafkaSecurity: "msk-iam",
        msk: { instanceType: "kafka.m7g.large", kafkaVersion: "3.9.x", volumeSizeGb: 500 },
        connectWorkerResources: { cpu: "500m", memory: "2Gi" },
        healthMonitorResources: { cpu: "100m", memory: "256Mi" },
    },
};

/** The spec of an environment with the stack's sizing overrides applied. */
export function environmentSpec<E extends keyof typeof ENVIRONMENT_SPECS>(
    environment: E,
    sizing: Partial<Sizing> = {},
): (typeof ENVIRONMENT_SPECS)[E] {
    return { ...ENVIRONMENT_SPECS[environment], ...sizing };
}
