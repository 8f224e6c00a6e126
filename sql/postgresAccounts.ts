// Pure builders: the PostgreSQL roles of the sync (the replication reader and the sync writer) and their
// privileges, as SQL. Tables, triggers and the publication are in postgresSql.ts.
import { pgLiteral, PostgresSyncOptions, qi } from "./postgresSql";

/** An identifier quoted for the string literal of a dynamic EXECUTE. */
function inExecute(identifier: string): string {
    return qi(identifier).replace(/'/g, "''");
}

/**
 * The reader's and the writer's roles, then what every table shares. The password is set on every run, not only
 * on creation: a role left by an earlier stack gets the one the connectors use. Passwords are the
 * `{{secret:cdc:postgres-scram}}` and `{{secret:sync:postgres-scram}}` placeholders, bound by SqlObjects to its
 * `secrets` as SCRAM verifiers (no plaintext password in the server's statement log).
 */
export function postgresRoles(options: PostgresSyncOptions): string[] {
    const create = (user: string) =>
        `DO $do$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${pgLiteral(user)}) THEN CREATE ROLE ${qi(user)} LOGIN; END IF; END $do$`;
    return [
        create(options.cdcUser),
        create(options.syncUser),
        `ALTER ROLE ${qi(options.cdcUser)} PASSWORD {{secret:cdc:postgres-scram}}`,
        `ALTER ROLE ${qi(options.syncUser)} PASSWORD {{secret:sync:postgres-scram}}`,
        ...postgresAccountGrants(options),
    ];
}

/**
 * Drops both roles, first revoking what they hold and handing what they own to the admin (a role that still
 * holds privileges or owns objects cannot be dropped).
 * The block keeps the indentation it always had: other whitespace would update every existing stack's resource.
 */
export function postgresRolesTeardown(options: Pick<PostgresSyncOptions, "schema" | "cdcUser" | "syncUser">): string[] {
    const schema = inExecute(options.schema);
    return [options.cdcUser, options.syncUser].flatMap((user) => [
        [
            `DO $do$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${pgLiteral(user)}) THEN`,
            `                   EXECUTE 'REVOKE ALL ON ALL TABLES IN SCHEMA ${schema} FROM ${inExecute(user)}';`,
            `                   EXECUTE 'REVOKE ALL ON SCHEMA ${schema} FROM ${inExecute(user)}';`,
            "                   IF current_setting('server_version_num')::int >= 150000 THEN",
            `                     EXECUTE 'REVOKE SET ON PARAMETER session_replication_role FROM ${inExecute(user)}';`,
            "                   END IF;",
            "                 END IF; END $do$",
        ].join("\n"),
        // What the role came to own (e.g. a table an older sink created through schema evolution) goes to the
        // admin running the teardown, data kept, and is named in the update's output (a `tandem:` notice); then
        // its remaining privileges anywhere in this database.
        [
            `DO $do$ DECLARE owned text; BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${pgLiteral(user)}) THEN`,
            ownedObjects(user),
            `  IF owned IS NOT NULL THEN RAISE NOTICE 'tandem: role % owned %; handed to %', ${pgLiteral(user)}, owned, current_user; END IF;`,
            `  EXECUTE 'REASSIGN OWNED BY ${inExecute(user)} TO CURRENT_USER';`,
            `  EXECUTE 'DROP OWNED BY ${inExecute(user)}';`,
            "END IF; END $do$",
        ].join("\n"),
        `DROP ROLE IF EXISTS ${qi(user)}`,
    ]);
}

/** PL/pgSQL: the relations, functions, schemas and types the role owns in this database, listed into `owned`. */
function ownedObjects(user: string): string {
    const role = `(SELECT oid FROM pg_roles WHERE rolname = ${pgLiteral(user)})`;
    return [
        `  SELECT string_agg(what, ', ' ORDER BY what) INTO owned FROM (`,
        `    SELECT 'relation ' || c.oid::regclass::text AS what FROM pg_class c WHERE c.relowner = ${role} AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')`,
        `    UNION ALL SELECT 'function ' || p.oid::regprocedure::text FROM pg_proc p WHERE p.proowner = ${role}`,
        `    UNION ALL SELECT 'schema ' || quote_ident(n.nspname) FROM pg_namespace n WHERE n.nspowner = ${role}`,
        `    UNION ALL SELECT 'type ' || t.oid::regtype::text FROM pg_type t WHERE t.typowner = ${role} AND t.typtype IN ('e', 'd')`,
        `  ) AS objects;`,
    ].join("\n");
}

/**
 * A role of this name left by someone else may hold more than the sync's: each attribute it should not have is
 * taken away, one at a time (only a superuser may touch SUPERUSER, so an attribute already off is left alone),
 * and so is its membership of other roles (the sync's roles are members of none).
 */
function withoutExtraAttributes(user: string, dropReplication: boolean): string {
    const attributes: [string, string][] = [
        ["rolsuper", "NOSUPERUSER"],
        ["rolcreatedb", "NOCREATEDB"],
        ["rolcreaterole", "NOCREATEROLE"],
        ["rolbypassrls", "NOBYPASSRLS"],
        ...(dropReplication ? ([["rolreplication", "NOREPLICATION"]] as [string, string][]) : []),
    ];
    const steps = attributes.map(
        ([column, off]) =>
            `  IF (SELECT ${column} FROM pg_roles WHERE rolname = ${pgLiteral(user)}) THEN EXECUTE 'ALTER ROLE ${inExecute(user)} ${off}'; END IF;`,
    );
    const memberships = [
        `  FOR granted IN SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid`,
        `    WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = ${pgLiteral(user)}) LOOP`,
        `    EXECUTE format('REVOKE %I FROM %I', granted, ${pgLiteral(user)});`,
        `  END LOOP;`,
    ];
    return [`DO $do$ DECLARE granted name; BEGIN`, ...steps, ...memberships, `END $do$`].join("\n");
}

/** The two roles' access to what every table shares. Per-table grants come with postgresTableSetup. */
export function postgresAccountGrants(options: PostgresSyncOptions): string[] {
    const s = qi(options.schema);
    return [
        `ALTER ROLE ${qi(options.cdcUser)} WITH LOGIN REPLICATION`,
        ...[options.cdcUser, options.syncUser].map((user) => withoutExtraAttributes(user, user === options.syncUser)),
        `GRANT USAGE ON SCHEMA ${s} TO ${qi(options.cdcUser)}, ${qi(options.syncUser)}`,
        `GRANT SELECT, INSERT, UPDATE ON ${s}.${qi(options.heartbeatTable)} TO ${qi(options.cdcUser)}`,
        ...(options.progressTable
            ? [`GRANT SELECT, INSERT, UPDATE, DELETE ON ${s}.${qi(options.progressTable)} TO ${qi(options.syncUser)}`]
            : []),
        // The sinks create and alter nothing (schema.evolution=none); stacks deployed before held CREATE.
        `REVOKE CREATE ON SCHEMA ${s} FROM ${qi(options.syncUser)}`,
        // The sink's sessions run with session_replication_role = replica (see postgresSql.ts); PostgreSQL 15 lets a
        // superuser grant that setting (older servers: the sync role must be allowed to set it, e.g. rds_superuser).
        `DO $do$ BEGIN
  IF current_setting('server_version_num')::int >= 150000 THEN
    EXECUTE 'GRANT SET ON PARAMETER session_replication_role TO ${inExecute(options.syncUser)}';
  END IF;
END $do$`,
    ];
}
