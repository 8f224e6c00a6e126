// Pure: what an earlier deployment (or another one) left where this stack is about to deploy, judged at preview.
// A replication slot of the stack's name decides where the PostgreSQL source starts: taken over when it is
// usable and idle, refused when it cannot be the sync's. (A slot in use, and connector offsets, are judged by
// the Connector resource, which knows whether the source is new to the stack: connectors/resumeCheck.ts.)
import { ReplicationSlotFacts } from "../core/positions";

export interface LeftoverInput {
    prefix: string;
    slotName: string;
    postgresDatabase: string;
    /** The slot of the stack's name, if there is one. */
    slot?: ReplicationSlotFacts;
    /** Whether the stack's PostgreSQL source exists on its Connect cluster (undefined: not known). */
    postgresSourceOnCluster?: boolean;
}

export interface LeftoverReport {
    /** What stops the deployment, each with its way out. */
    refusals: string[];
    /** What `up` will do about a leftover. */
    notes: string[];
}

function megabytes(bytes: number): string {
    return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function leftoverReport(input: LeftoverInput): LeftoverReport {
    const report: LeftoverReport = { refusals: [], notes: [] };
    const slot = input.slot;
    if (!slot) return report;
    const drop = `SELECT pg_drop_replication_slot('${slot.name.replace(/'/g, "''")}')`;
    const notOurs = (why: string) =>
        report.refusals.push(
            `replication slot ${slot.name} ${why}: it is not one this stack can use. Drop it (${drop}) if nothing needs it, or choose another tandem:topicPrefix`,
        );
    if (slot.slotType !== "logical") notOurs("is a physical slot");
    else if (slot.plugin !== "pgoutput") notOurs(`uses the output plugin ${slot.plugin} (the sync needs pgoutput)`);
    else if (slot.database !== input.postgresDatabase)
        notOurs(`decodes database ${slot.database} (the sync's is ${input.postgresDatabase})`);
    if (report.refusals.length > 0) return report;

    // In use: by this stack's source (on its cluster, or on the one it moves from) or by another deployment;
    // the Connector resource decides, knowing which (connectors/resumeCheck.ts: slotInUseReason).
    if (!slot.active && input.postgresSourceOnCluster === false) {
        report.notes.push(
            `replication slot ${slot.name} exists without this stack's PostgreSQL source (left by an earlier deployment; it holds ${megabytes(slot.retainedBytes)} of WAL): the source resumes from it, carrying the changes written since. To start afresh instead, drop it first (${drop})`,
        );
    }
    return report;
}
