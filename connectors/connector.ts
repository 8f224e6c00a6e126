// A Kafka Connect connector managed through the Connect REST API (see connectorProvider.ts).
import * as pulumi from "@pulumi/pulumi";
import { connectorProvider } from "./connectorProvider";
import { DesiredState, TaskState } from "./connectorModel";
import { ResumeCheck } from "./resumeCheck";

export interface ConnectorArgs {
    /** Kafka Connect REST endpoint. Changing it moves the connector to that cluster with its offsets (same Kafka). */
    connectUrl: pulumi.Input<string>;
    /** Basic auth for the REST API, when the workers enable BasicAuthSecurityRestExtension. */
    auth?: pulumi.Input<{ username: pulumi.Input<string>; password: pulumi.Input<string> }>;
    /** Connector name (defaults to the resource name). Changing it replaces the connector. */
    name?: pulumi.Input<string>;
    /** `connector.class`. Changing it replaces the connector. */
    connectorClass: pulumi.Input<string>;
    /** Connector config, without `connector.class` and `name`. */
    config: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /**
     * Secret config values (passwords). They are Pulumi secrets, kept in the state as salted hashes only, and
     * reach Connect as `${dir:...}` references to files written in `secretsDir` (see workerSecrets.ts).
     */
    sensitiveConfig?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Folder on the worker served by its `dir` config provider; the provider writes the secret files there. */
    secretsDir?: pulumi.Input<string>;
    /** Files the config names by path (CA certificate, trust store), base64 by name: written beside the secrets. */
    files?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Instead of secretsDir: `<namespace>/<name>` of a Kubernetes Secret holding the values (see secretStores.ts). */
    kubernetesSecret?: pulumi.Input<string>;
    /** running (default), paused or stopped. */
    state?: pulumi.Input<DesiredState>;
    /** Seconds to wait for the connector and its tasks to reach the state (default 180). */
    timeoutSeconds?: pulumi.Input<number>;
    /** How long the connector and its tasks must stay in the desired state before success (default 10 s). */
    settleSeconds?: pulumi.Input<number>;
    /** Delete its offsets with it (a source whose position dies with it, e.g. a dropped slot). */
    resetOffsetsOnDelete?: pulumi.Input<boolean>;
    /** A source's position facts: offsets found under its name when it is new to the stack are checked against them. */
    resumeCheck?: pulumi.Input<ResumeCheck>;
    /** Who deploys it, marked in its config (default `<project>/<stack>`): another stack's connector is not taken over. */
    owner?: pulumi.Input<string>;
}

export class Connector extends pulumi.dynamic.Resource {
    declare readonly name: pulumi.Output<string>;
    declare readonly connectUrl: pulumi.Output<string>;
    declare readonly connectorClass: pulumi.Output<string>;
    declare readonly config: pulumi.Output<Record<string, string>>;
    /** The desired state recorded at the last update or refresh. */
    declare readonly state: pulumi.Output<DesiredState>;
    /** The connector's state as Connect reports it: RUNNING, PAUSED, STOPPED, FAILED, UNASSIGNED. */
    declare readonly connectorState: pulumi.Output<string>;
    declare readonly tasks: pulumi.Output<TaskState[]>;
    declare readonly workerId: pulumi.Output<string>;
    declare readonly connectorType: pulumi.Output<string>;
    /** Topics the connector has read or written, as Connect tracks them. */
    declare readonly topics: pulumi.Output<string[]>;

    constructor(name: string, args: ConnectorArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            connectorProvider,
            name,
            {
                connectUrl: args.connectUrl,
                auth: args.auth ? pulumi.secret(args.auth) : undefined,
                name: args.name ?? name,
                connectorClass: args.connectorClass,
                config: args.config,
                sensitiveConfig: args.sensitiveConfig ? pulumi.secret(args.sensitiveConfig) : undefined,
                secretsDir: args.secretsDir,
                files: args.files,
                kubernetesSecret: args.kubernetesSecret,
                state: args.state,
                resetOffsetsOnDelete: args.resetOffsetsOnDelete,
                resumeCheck: args.resumeCheck,
                owner: args.owner ?? `${pulumi.getProject()}/${pulumi.getStack()}`,
                timeoutSeconds: args.timeoutSeconds,
                settleSeconds: args.settleSeconds,
                // outputs
                sensitiveHashes: undefined,
                sensitiveSalt: undefined,
                connectorState: undefined,
                tasks: undefined,
                workerId: undefined,
                connectorType: undefined,
                topics: undefined,
            },
            { ...opts, additionalSecretOutputs: ["auth", "sensitiveHashes"] },
            "tandem",
            "Connector",
        );
    }
}
