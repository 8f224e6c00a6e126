// Domain: what a database holds of a CDC source's position, as read at preview (database/leftovers.ts) and
// judged against a stack's expectations (preflight/leftovers.ts).

/** A PostgreSQL replication slot (pg_replication_slots). */
export interface ReplicationSlotFacts {
    name: string;
    /** Output plugin (the sync needs pgoutput); empty for a physical slot. */
    plugin: string;
    slotType: "logical" | "physical";
    /** The database a logical slot decodes. */
    database: string;
    active: boolean;
    activePid?: number;
    /** The holder's address and application name (pg_stat_replication), when active. */
    client?: string;
    /** `0/1A13C50`; absent on a slot never used. */
    restartLsn?: string;
    /** WAL the slot keeps from being recycled, in bytes. */
    retainedBytes: number;
}
