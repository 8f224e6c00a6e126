// A Kafka Connect connector managed through the Connect REST API.
import * as pulumi from "@pulumi/pulumi";
import { connectorProvider } from "./connectorProvider";
import { TaskState } from "./connectorModel";

export interface ConnectorArgs {
    /** Kafka Connect REST endpoint. */
    connectUrl: pulumi.Input<string>;
    /** Connector name (defaults to the resource name). Changing it replaces the connector. */
    name?: pulumi.Input<string>;
    /** Connector config, including `connector.class`. */
    config: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Secret config values; they reach Connect only as `${dir:...}` references (see workerSecrets.ts). */
    secrets?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Folder on the worker served by its `dir` config provider. Required with `secrets`. */
    secretsDir?: pulumi.Input<string>;
    /** Seconds to wait for the connector and its tasks to be RUNNING (default 180). */
    timeoutSeconds?: pulumi.Input<number>;
}

export class Connector extends pulumi.dynamic.Resource {
    declare readonly name: pulumi.Output<string>;
    declare readonly connectUrl: pulumi.Output<string>;
    declare readonly config: pulumi.Output<Record<string, string>>;
    declare readonly state: pulumi.Output<string>;
    declare readonly workerId: pulumi.Output<string>;
    declare readonly connectorType: pulumi.Output<string>;
    declare readonly tasks: pulumi.Output<TaskState[]>;

    constructor(name: string, args: ConnectorArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            connectorProvider,
            name,
            {
                connectUrl: args.connectUrl,
                name: args.name ?? name,
                config: args.config,
                secrets: args.secrets ? pulumi.secret(args.secrets) : undefined,
                secretsDir: args.secretsDir,
                timeoutSeconds: args.timeoutSeconds,
                state: undefined,
                workerId: undefined,
                connectorType: undefined,
                tasks: undefined,
            },
            { ...opts, additionalSecretOutputs: ["secrets"] },
            "tandem",
            "Connector",
        );
    }
}
