// Pure: whether the offsets a source connector finds under its name (left by an earlier deployment, or by a
// connector of the same name on this Connect cluster) can be resumed from, given what the databases and Kafka
// hold now (read at preview). Offsets that cannot are reset before the connector first starts: resuming from
// them would fail its task (Debezium: "The connector is trying to read change stream starting at …").

/** The facts a source's offsets are checked against; `undefined` members were not read (not checked). */
export type ResumeCheck =
    | {
          kind: "postgres-slot";
          slot: string;
          exists: boolean;
          /** The slot's restart_lsn (`0/1A13C50`), when it has one. */
          restartLsn?: string;
          /** Who holds the slot (`process 4242 (10.0.0.9 Debezium Streaming)`), when it is in use. */
          heldBy?: string;
      }
    | {
          kind: "mysql-binlog";
          /** The binlog files the server still has (SHOW BINARY LOGS). */
          binlogFiles?: string[];
          /** The schema history topic, and whether it exists in Kafka. */
          historyTopic?: { name: string; exists: boolean };
      };

export interface SourceOffset {
    partition: Record<string, unknown>;
    offset: Record<string, unknown>;
}

/** PostgreSQL's textual LSN (`hi/lo`, hexadecimal) as the number Debezium stores in its offsets. */
export function lsnValue(lsn: string): bigint {
    const match = /^([0-9A-Fa-f]+)\/([0-9A-Fa-f]+)$/.exec(lsn);
    if (!match) throw new Error(`not a PostgreSQL LSN: ${lsn}`);
    return (BigInt(`0x${match[1]}`) << 32n) + BigInt(`0x${match[2]}`);
}

function lsnText(value: bigint): string {
    return `${(value >> 32n).toString(16).toUpperCase()}/${(value & 0xffffffffn).toString(16).toUpperCase()}`;
}

function storedLsn(offset: Record<string, unknown>): bigint | undefined {
    const value = offset["lsn_proc"] ?? offset["lsn"];
    return typeof value === "number" || typeof value === "string" ? BigInt(value) : undefined;
}

/** Where the offsets stand, for messages: `lsn 0/1A13C50`, `mysql-bin.000003:1234`. */
export function describeOffsets(offsets: SourceOffset[]): string {
    return offsets
        .map(({ offset }) => {
            const lsn = storedLsn(offset);
            if (lsn !== undefined) return `lsn ${lsnText(lsn)}`;
            if (typeof offset["file"] === "string") return `${offset["file"]}:${String(offset["pos"] ?? 0)}`;
            return JSON.stringify(offset);
        })
        .join(", ");
}

/** Why the offsets cannot be resumed from, or undefined when they can (or there are none). */
export function staleOffsetsReason(check: ResumeCheck, offsets: SourceOffset[]): string | undefined {
    if (offsets.length === 0) return undefined;
    if (check.kind === "postgres-slot") {
        if (!check.exists) return `replication slot ${check.slot} they point into no longer exists`;
        if (check.restartLsn === undefined) return undefined;
        const restart = lsnValue(check.restartLsn);
        const behind = offsets.map(({ offset }) => storedLsn(offset)).find((lsn) => lsn !== undefined && lsn < restart);
        return behind === undefined
            ? undefined
            : `replication slot ${check.slot} starts at ${check.restartLsn}, after their position ${lsnText(behind)}`;
    }
    if (check.historyTopic && !check.historyTopic.exists) return `schema history topic ${check.historyTopic.name} is missing`;
    if (check.binlogFiles) {
        const files = new Set(check.binlogFiles);
        const purged = offsets.map(({ offset }) => offset["file"]).find((file) => typeof file === "string" && !files.has(file));
        if (purged !== undefined) return `binlog file ${String(purged)} is no longer on the server`;
    }
    return undefined;
}

/**
 * Why a source new to the stack must not start: its slot is held while no connector of its name is on the
 * cluster, so another deployment of the same names is streaming from it. Undefined when it may start. (A
 * connector of its name on the cluster is the holder, taken over; a source moving between clusters is an update
 * and is not asked.)
 */
export function slotInUseReason(check: ResumeCheck, connector: string, onCluster: boolean, connectUrl: string): string | undefined {
    if (check.kind !== "postgres-slot" || !check.heldBy || onCluster) return undefined;
    return `replication slot ${check.slot} is in use by ${check.heldBy}, and connector ${connector} is not on ${connectUrl}: another deployment with the same names is streaming from it. Two deployments must not share a topic prefix: stop the other one, or choose another tandem:topicPrefix`;
}
