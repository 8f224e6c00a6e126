// Pure: what differs between the dev and prod environments by default, as data a reviewer can read. Stack
// config may override the sizing (tandem:kafkaBrokers, tandem:topicReplicationFactor, ...).

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

export type Sizing = Pick<EnvironmentSpec, "brokers" | "replicationFactor" | "minInsyncReplicas" | "partitions" | "connectWorkers">;

