// How a client reaches Kafka with SCRAM-SHA-512 over TLS, in the terms of each client the pipeline runs: Kafka's
// Java clients (Connect's connectors) and kafkajs (pulumi's topics and ACLs, the monitor, the tools). Pure.
import { KafkaSecurity } from "./vocabulary";

export interface KafkaAccess {
    security: KafkaSecurity;
    /** SCRAM principal and password (sasl-scram). */
    username?: string;
    password?: string;
    /** PEM certificate(s) of the CA signing the brokers' certificates ("" or absent: the system's trust). */
    ca?: string;
}

/** kafkajs's `ssl`/`sasl` options (MSK IAM has its own signer: monitor/kafkaProbe.ts). */
export function kafkajsAccess(access: KafkaAccess | undefined): {
    ssl?: boolean | { ca: string[] };
    sasl?: { mechanism: "scram-sha-512"; username: string; password: string };
} {
    if (!access || access.security !== "sasl-scram") return {};
    return {
        ssl: access.ca ? { ca: [access.ca] } : true,
        sasl: { mechanism: "scram-sha-512", username: access.username ?? "", password: access.password ?? "" },
    };
}

/** The JAAS line of a SCRAM login (a secret: it holds the password). */
export function scramJaasConfig(username: string, password: string): string {
    const quote = (value: string) => `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
    return `org.apache.kafka.common.security.scram.ScramLoginModule required username=${quote(username)} password=${quote(password)};`;
}

/** Java client settings of a sasl-scram client, but the JAAS line (see scramJaasConfig). */
export function javaScramSettings(ca: string | undefined): Record<string, string> {
    return {
        "security.protocol": "SASL_SSL",
        "sasl.mechanism": "SCRAM-SHA-512",
        ...(ca ? { "ssl.truststore.type": "PEM", "ssl.truststore.certificates": ca } : {}),
    };
}
