// Pure builders: the PostgreSQL roles of the sync (the replication reader and the sync writer) and their
// privileges, as SQL. Tables, triggers and the publication are in postgresSql.ts.
import { PostgresSyncOptions, qi } from "./postgresSql";

/** The two roles' access to what every table shares. Per-table grants come with postgresTableSetup. */
export function postgresAccountGrants(options: PostgresSyncOptions): string[] {
    const s = qi(options.schema);
    return [
        `ALTER ROLE ${qi(options.cdcUser)} WITH LOGIN REPLICATION`,
        `GRANT USAGE ON SCHEMA ${s} TO ${qi(options.cdcUser)}, ${qi(options.syncUser)}`,
        `GRANT SELECT, INSERT, UPDATE ON ${s}.${qi(options.heartbeatTable)} TO ${qi(options.cdcUser)}`,
        // Schema evolution of the sink adds columns; it must own nothing else.
        `GRANT CREATE ON SCHEMA ${s} TO ${qi(options.syncUser)}`,
        // The sink's sessions run with session_replication_role = replica (see postgresSql.ts); PostgreSQL 15 lets a
        // superuser grant that setting (older servers: the sync role must be allowed to set it, e.g. rds_superuser).
        `DO $do$ BEGIN
  IF current_setting('server_version_num')::int >= 150000 THEN
    EXECUTE 'GRANT SET ON PARAMETER session_replication_role TO ${qi(options.syncUser).replace(/'/g, "''")}';
  END IF;
END $do$`,
    ];
}
