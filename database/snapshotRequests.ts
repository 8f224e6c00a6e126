// Loads the existing rows of tables added to a running stack (and, with initialLoad=incremental, of the first
// tables): an incremental snapshot of just those tables, signalled through Debezium's signaling table, while
// the other tables keep streaming and are not copied again.
import * as pulumi from "@pulumi/pulumi";
import { Connection } from "./sqlObjectsProvider";
import { snapshotRequestsProvider } from "./snapshotRequestsProvider";
import { InitialLoad } from "../core/vocabulary";

export interface SnapshotRequestsArgs {
    connection: pulumi.Input<{ host: string; port: number; user: string; password: pulumi.Input<string>; database: string }>;
    database: string;
    signalTable: string;
    tables: string[];
    initialLoad: InitialLoad;
}

export class SnapshotRequests extends pulumi.dynamic.Resource {
    declare readonly requested: pulumi.Output<string[]>;
    declare readonly connection: pulumi.Output<Connection>;

    constructor(name: string, args: SnapshotRequestsArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            snapshotRequestsProvider,
            name,
            { ...args, connection: pulumi.secret(args.connection), requested: undefined },
            { ...opts, additionalSecretOutputs: ["connection"] },
            "tandem",
            "SnapshotRequests",
        );
    }
}
