// A long-running process on the machine running `pulumi`, as a resource of the stack (see
// localProcessProvider.ts): the `local` stack's health monitor.
import * as pulumi from "@pulumi/pulumi";
import { localProcessProvider } from "./localProcessProvider";

export interface LocalProcessArgs {
    command: pulumi.Input<string[]>;
    match?: pulumi.Input<string[]>;
    cwd: pulumi.Input<string>;
    env: pulumi.Input<Record<string, pulumi.Input<string>>>;
    name: pulumi.Input<string>;
    pidFile: pulumi.Input<string>;
    logFile: pulumi.Input<string>;
    readyUrl: pulumi.Input<string>;
    readyTimeoutSeconds?: pulumi.Input<number>;
    revision?: pulumi.Input<string>;
}

export class LocalProcess extends pulumi.dynamic.Resource {
    declare readonly pid: pulumi.Output<number>;
    declare readonly logFile: pulumi.Output<string>;

    constructor(name: string, args: LocalProcessArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            localProcessProvider,
            name,
            { ...args, env: pulumi.secret(args.env), pid: undefined, startedAt: undefined },
            { ...opts, additionalSecretOutputs: ["env"] },
            "tandem",
            "LocalProcess",
        );
    }
}
