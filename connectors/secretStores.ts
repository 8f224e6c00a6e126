// Where connector secrets live, per environment. Connect's config topic only ever holds references:
// - directory: files written by the Connector provider into a folder the workers serve through Kafka's
//   DirectoryConfigProvider (`${dir:...}`): the sandbox (local) and the bind-mounted folder of dev's containers;
// - kubernetes: one Kubernetes Secret per connector, read by the workers through Strimzi's
//   KubernetesSecretConfigProvider (`${secrets:<namespace>/<name>:<key>}`; prod). The Secret is an ordinary
//   Pulumi resource, so its values are Pulumi secrets in the state and the connector waits for it.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ConnectorArgs } from "./connector";

export type ConnectorSecretStore =
    { kind: "directory"; dir: pulumi.Input<string> } | { kind: "kubernetes"; provider: k8s.Provider; namespace: string };

export interface ConnectorSecrets {
    args: Pick<ConnectorArgs, "sensitiveConfig" | "secretsDir" | "kubernetesSecret">;
    /** Resources the connector must wait for (the Kubernetes Secret). */
    dependsOn: pulumi.Resource[];
}

/** The name of the Kubernetes Secret holding one connector's sensitive values. */
export function kubernetesSecretName(connectorName: string): string {
    return `${connectorName}-secrets`;
}

export function connectorSecrets(
    store: ConnectorSecretStore,
    connectorName: string,
    values: Record<string, pulumi.Input<string>>,
    parent: pulumi.Resource,
): ConnectorSecrets {
    if (store.kind === "directory") return { args: { sensitiveConfig: values, secretsDir: store.dir }, dependsOn: [] };
    const name = kubernetesSecretName(connectorName);
    const secret = new k8s.core.v1.Secret(
        name,
        {
            metadata: {
                namespace: store.namespace,
                name,
                labels: { "app.kubernetes.io/part-of": "tandem", "tandem/connector": connectorName },
            },
            type: "Opaque",
            stringData: Object.fromEntries(Object.entries(values).map(([key, value]) => [key, pulumi.secret(value)])),
        },
        { parent, provider: store.provider },
    );
    return { args: { sensitiveConfig: values, kubernetesSecret: `${store.namespace}/${name}` }, dependsOn: [secret] };
}
