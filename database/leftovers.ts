// Effects at preview: what the databases hold of a source's position (a replication slot, the binlog files),
// for the leftover checks (preflight/leftovers.ts) and the connectors' resume checks.
import mysql from "mysql2/promise";
import { Client as PgClient } from "pg";
import { mysqlDriverOptions, postgresDriverOptions } from "../core/databaseTls";
import { ReplicationSlotFacts } from "../core/positions";
import { Connection } from "./sqlObjectsProvider";

/** The slot of that name, or undefined. */
export async function readReplicationSlot(connection: Connection, slot: string): Promise<ReplicationSlotFacts | undefined> {
    const db = new PgClient(postgresDriverOptions(connection));
    await db.connect();
    try {
        const answer = await db.query(
            `SELECT s.slot_name AS name, coalesce(s.plugin, '') AS plugin, s.slot_type AS "slotType", coalesce(s.database, '') AS database,
                    s.active, s.active_pid AS "activePid", s.restart_lsn::text AS "restartLsn",
                    coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), s.restart_lsn), 0)::bigint AS "retainedBytes",
                    (SELECT concat_ws(' ', r.client_addr::text, r.application_name) FROM pg_stat_replication r WHERE r.pid = s.active_pid) AS client
             FROM pg_replication_slots s WHERE s.slot_name = $1`,
            [slot],
        );
        const row = answer.rows[0];
        if (!row) return undefined;
        return {
            name: row.name,
            plugin: row.plugin,
            slotType: row.slotType,
            database: row.database,
            active: row.active,
            ...(row.activePid !== null ? { activePid: Number(row.activePid) } : {}),
            ...(row.client ? { client: row.client } : {}),
            ...(row.restartLsn ? { restartLsn: row.restartLsn } : {}),
            retainedBytes: Number(row.retainedBytes),
        };
    } finally {
        await db.end();
    }
}

/** The binlog files the server still has (SHOW BINARY LOGS), oldest first. */
export async function readBinlogFiles(connection: Connection): Promise<string[]> {
    const db = await mysql.createConnection(mysqlDriverOptions(connection));
    try {
        const [rows] = await db.query("SHOW BINARY LOGS");
        return (rows as { Log_name: string }[]).map((row) => row.Log_name);
    } finally {
        await db.end();
    }
}
