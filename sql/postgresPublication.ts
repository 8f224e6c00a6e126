// Pure builders: what the PostgreSQL source replicates (the publication) and the teardown of its replication
// slot, as SQL. Tables and triggers are in postgresSql.ts.
import { pgLiteral, PostgresSyncOptions, qi } from "./postgresSql";

/**
 * The publication the PostgreSQL source reads: exactly the synced tables and the heartbeat table, every kind of
 * change, published as the tables themselves. A publication of that name left with other settings (other tables,
 * fewer operations, published via a partition root, or FOR ALL TABLES) is brought to these.
 */
export function postgresPublication(tables: string[], options: PostgresSyncOptions): string[] {
    const s = qi(options.schema);
    const list = [...tables, options.heartbeatTable].map((table) => `${s}.${qi(table)}`).join(", ");
    const name = qi(options.publication);
    const settings = `publish = 'insert, update, delete, truncate', publish_via_partition_root = false`;
    return [
        `DO $do$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_publication WHERE pubname = ${pgLiteral(options.publication)} AND puballtables) THEN
    DROP PUBLICATION ${name};
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = ${pgLiteral(options.publication)}) THEN
    CREATE PUBLICATION ${name} FOR TABLE ${list} WITH (${settings});
  ELSE
    ALTER PUBLICATION ${name} SET TABLE ${list};
    ALTER PUBLICATION ${name} SET (${settings});
  END IF;
END $do$`,
    ];
}

/**
 * Drops the publication and the source's replication slot. Connect stops a deleted connector's task
 * asynchronously, so its walsender may still hold the slot for a while: wait for it, end it if it lingers,
 * and fail rather than leave a slot behind that retains WAL forever.
 */
export function postgresPublicationTeardown(publication: string, slot: string): string[] {
    const name = pgLiteral(slot);
    return [
        `DO $do$ DECLARE holder int; BEGIN
  FOR attempt IN 1..60 LOOP
    SELECT active_pid INTO holder FROM pg_replication_slots WHERE slot_name = ${name};
    EXIT WHEN holder IS NULL;
    IF attempt = 40 THEN PERFORM pg_terminate_backend(holder); END IF;
    PERFORM pg_sleep(0.5);
  END LOOP;
  IF holder IS NOT NULL THEN
    RAISE EXCEPTION 'replication slot % is still in use by process %', ${name}, holder;
  END IF;
  PERFORM pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ${name};
END $do$`,
        `DROP PUBLICATION IF EXISTS ${qi(publication)}`,
    ];
}
