// Database objects (users, grants, columns, triggers, tables, publications) created by idempotent SQL.
import * as pulumi from "@pulumi/pulumi";
import { Connection, Engine, sqlObjectsProvider } from "./sqlObjectsProvider";

export interface SqlObjectsArgs {
    engine: Engine;
    connection: pulumi.Input<{ host: string; port: number; user: string; password: pulumi.Input<string>; database: string }>;
    description: string;
    apply: string[];
    teardown: string[];
    /**
     * Whether `pulumi destroy` runs `teardown`. Off by default: the bookkeeping the sync keeps in the
     * databases lets a later `up` resume exactly where it stopped.
     */
    teardownOnDelete?: boolean;
    /** Values for `{{secret:name}}` placeholders (passwords); Pulumi secrets, never part of the SQL text. */
    secrets?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export class SqlObjects extends pulumi.dynamic.Resource {
    declare readonly description: pulumi.Output<string>;
    declare readonly connection: pulumi.Output<Connection>;

    constructor(name: string, args: SqlObjectsArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            sqlObjectsProvider,
            name,
            {
                engine: args.engine,
                connection: pulumi.secret(args.connection),
                description: args.description,
                apply: args.apply,
                teardown: args.teardown,
                teardownOnDelete: args.teardownOnDelete ?? false,
                secrets: args.secrets ? pulumi.secret(args.secrets) : {},
            },
            { ...opts, additionalSecretOutputs: ["connection", "secrets"] },
            "tandem",
            "SqlObjects",
        );
    }
}

export interface GeneratedPasswordArgs {
    length?: number;
}

/** A random password created once and kept in the state as a secret (no random provider plugin needed). */
export class GeneratedPassword extends pulumi.dynamic.Resource {
    declare readonly value: pulumi.Output<string>;

    constructor(name: string, args: GeneratedPasswordArgs = {}, opts?: pulumi.CustomResourceOptions) {
        super(
            {
                async create(inputs: { length: number }) {
                    const crypto: typeof import("crypto") = require("crypto");
                    const value = crypto.randomBytes(inputs.length).toString("base64url").slice(0, inputs.length);
                    return { id: crypto.randomUUID(), outs: { length: inputs.length, value } };
                },
                async diff(_id: string, olds: { length: number }, news: { length: number }) {
                    return { changes: olds.length !== news.length, replaces: olds.length !== news.length ? ["length"] : [] };
                },
            },
            name,
            { length: args.length ?? 24, value: undefined },
            { ...opts, additionalSecretOutputs: ["value"] },
            "tandem",
            "GeneratedPassword",
        );
    }
}
