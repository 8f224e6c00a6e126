import * as assert from "node:assert/strict";
import { postgresAccountGrants, postgresRoles, postgresRolesTeardown } from "../../sql/postgresAccounts";
import { pgOptions } from "./fixtures";

const secretsUsed = (statements: string[]) => [
    ...new Set(statements.flatMap((s) => [...s.matchAll(/\{\{secret:([^}:]*)(?::[^}]*)?\}\}/g)].map((m) => m[1]))),
];

/** The teardown of one role, exactly as every existing stack holds it (its whitespace included). */
const revokeBlock = (
    rolname: string,
    schema: string,
    role: string,
) => `DO $do$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${rolname}) THEN
                   EXECUTE 'REVOKE ALL ON ALL TABLES IN SCHEMA ${schema} FROM ${role}';
                   EXECUTE 'REVOKE ALL ON SCHEMA ${schema} FROM ${role}';
                   IF current_setting('server_version_num')::int >= 150000 THEN
                     EXECUTE 'REVOKE SET ON PARAMETER session_replication_role FROM ${role}';
                   END IF;
                 END IF; END $do$`;

describe("PostgreSQL role builders", () => {
    it("creates both roles if missing, sets their passwords on every run, then grants what every table shares", () => {
        assert.deepEqual(postgresRoles(pgOptions), [
            `DO $do$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tandem_cdc') THEN CREATE ROLE "tandem_cdc" LOGIN; END IF; END $do$`,
            `DO $do$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tandem_sync') THEN CREATE ROLE "tandem_sync" LOGIN; END IF; END $do$`,
            `ALTER ROLE "tandem_cdc" PASSWORD {{secret:cdc:postgres-scram}}`,
            `ALTER ROLE "tandem_sync" PASSWORD {{secret:sync:postgres-scram}}`,
            ...postgresAccountGrants(pgOptions),
        ]);
        assert.deepEqual(secretsUsed(postgresRoles(pgOptions)), ["cdc", "sync"]);
    });

    it("revokes what each role holds and hands what it owns to the admin, naming it, before dropping it", () => {
        const handOver = (literal: string, role: string) =>
            [
                `DO $do$ DECLARE owned text; BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${literal}) THEN`,
                `  SELECT string_agg(what, ', ' ORDER BY what) INTO owned FROM (`,
                `    SELECT 'relation ' || c.oid::regclass::text AS what FROM pg_class c WHERE c.relowner = (SELECT oid FROM pg_roles WHERE rolname = ${literal}) AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')`,
                `    UNION ALL SELECT 'function ' || p.oid::regprocedure::text FROM pg_proc p WHERE p.proowner = (SELECT oid FROM pg_roles WHERE rolname = ${literal})`,
                `    UNION ALL SELECT 'schema ' || quote_ident(n.nspname) FROM pg_namespace n WHERE n.nspowner = (SELECT oid FROM pg_roles WHERE rolname = ${literal})`,
                `    UNION ALL SELECT 'type ' || t.oid::regtype::text FROM pg_type t WHERE t.typowner = (SELECT oid FROM pg_roles WHERE rolname = ${literal}) AND t.typtype IN ('e', 'd')`,
                `  ) AS objects;`,
                `  IF owned IS NOT NULL THEN RAISE NOTICE 'tandem: role % owned %; handed to %', ${literal}, owned, current_user; END IF;`,
                `  EXECUTE 'REASSIGN OWNED BY ${role} TO CURRENT_USER';`,
                `  EXECUTE 'DROP OWNED BY ${role}';`,
                "END IF; END $do$",
            ].join("\n");
        assert.deepEqual(postgresRolesTeardown(pgOptions), [
            revokeBlock("'tandem_cdc'", '"public"', '"tandem_cdc"'),
            handOver("'tandem_cdc'", '"tandem_cdc"'),
            `DROP ROLE IF EXISTS "tandem_cdc"`,
            revokeBlock("'tandem_sync'", '"public"', '"tandem_sync"'),
            handOver("'tandem_sync'", '"tandem_sync"'),
            `DROP ROLE IF EXISTS "tandem_sync"`,
        ]);
        assert.deepEqual(secretsUsed(postgresRolesTeardown(pgOptions)), []);
    });

    it("quotes schema and role names, twice inside a dynamic EXECUTE", () => {
        const odd = { ...pgOptions, schema: `sales-eu$2 'q"`, cdcUser: "o'c", syncUser: 'we"ird' };
        const [create] = postgresRoles(odd);
        assert.equal(
            create,
            `DO $do$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'o''c') THEN CREATE ROLE "o'c" LOGIN; END IF; END $do$`,
        );
        assert.equal(postgresRoles(odd)[3], `ALTER ROLE "we""ird" PASSWORD {{secret:sync:postgres-scram}}`);
        assert.match(postgresRoles(odd).join("\n"), /GRANT USAGE ON SCHEMA "sales-eu\$2 'q""" TO "o'c", "we""ird"/);
        const [cdcBlock, , dropCdc, syncBlock] = postgresRolesTeardown(odd);
        assert.equal(cdcBlock, revokeBlock("'o''c'", `"sales-eu$2 ''q"""`, `"o''c"`));
        assert.equal(dropCdc, `DROP ROLE IF EXISTS "o'c"`);
        assert.equal(syncBlock, revokeBlock(`'we"ird'`, `"sales-eu$2 ''q"""`, `"we""ird"`));
    });

    it("lets the sync role set session_replication_role (PostgreSQL 15+)", () => {
        assert.match(postgresAccountGrants(pgOptions).join("\n"), /GRANT SET ON PARAMETER session_replication_role TO "tandem_sync"/);
    });
});
