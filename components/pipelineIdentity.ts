// What a pipeline is named after and where it lives, recorded in the state so that a later preview can refuse
// changes the pipeline cannot follow in place. The prefix names its connectors, slot, publication, accounts,
// triggers and topics: a new prefix would deploy a second pipeline beside the first (both sets of triggers on
// the application's tables). The synced database and schema are the pipeline's data. Hosts, ports and the MySQL
// server id may change (a failover, a new replica id: the offsets are keyed by the prefix, not the server id).
import * as pulumi from "@pulumi/pulumi";

export interface PipelineIdentityInputs {
    prefix: string;
    mysqlDatabase: string;
    postgresDatabase: string;
    postgresSchema: string;
}

const FIELDS: { key: keyof PipelineIdentityInputs; setting: string }[] = [
    { key: "prefix", setting: "tandem:topicPrefix" },
    { key: "mysqlDatabase", setting: "tandem:mysqlDatabase" },
    { key: "postgresDatabase", setting: "tandem:postgresDatabase" },
    { key: "postgresSchema", setting: "tandem:postgresSchema" },
];

/** Pure: each identity field that differs from the deployed one, refused with the way out. */
export function identityChanges(
    olds: Partial<PipelineIdentityInputs>,
    news: PipelineIdentityInputs,
): { property: string; reason: string }[] {
    return FIELDS.filter(({ key }) => olds[key] !== undefined && olds[key] !== news[key]).map(({ key, setting }) => ({
        property: key,
        reason: `${setting} changed from "${olds[key]}" to "${news[key]}" on a deployed stack: the pipeline cannot follow in place (its connectors, replication slot, offsets, accounts, triggers and topics belong to the old one). Set it back; or remove the pipeline first (tandem:teardownOnDestroy true, pulumi up, pulumi destroy) and deploy again with the new value, its initial load as tandem:initialLoad says (docs/lifecycle.md)`,
    }));
}

const provider: pulumi.dynamic.ResourceProvider<PipelineIdentityInputs, PipelineIdentityInputs> = {
    async check(olds, news) {
        return { inputs: news, failures: identityChanges(olds, news) };
    },
    async diff(_id, olds, news) {
        return { changes: FIELDS.some(({ key }) => olds[key] !== news[key]) };
    },
    async create(inputs) {
        return { id: inputs.prefix, outs: inputs };
    },
    async update(_id, _olds, news) {
        return { outs: news };
    },
};

export class PipelineIdentity extends pulumi.dynamic.Resource {
    constructor(name: string, args: PipelineIdentityInputs, opts?: pulumi.CustomResourceOptions) {
        super(provider, name, { ...args }, opts, "tandem", "PipelineIdentity");
    }
}
