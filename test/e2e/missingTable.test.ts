// E2e: a sink that meets a table missing in its target never creates it (schema.evolution=none): the row goes to
// the dead-letter topic with the error naming the table, and teardown + destroy complete.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { Stack } from "@pulumi/pulumi/automation";
import { syncNames } from "../../core/model";
import { e2eSuite } from "../support/e2eSuite";
import { eventually, REPO_ROOT } from "../support/sandbox";
import { mysqlQuery, postgresQuery, removeSyncStack, syncStack, waitConverged } from "../support/syncStack";

const suffix = Date.now().toString(36).slice(-5);
const prefix = `mt${suffix}`;
const kept = `mt_kept_${suffix}`;
const dropped = `mt_gone_${suffix}`;

e2eSuite("a sink meeting a missing table creates nothing; teardown and destroy complete", { timeout: 600_000 }, (e2e) => {
    let stack: Stack | undefined;
    let destroyed = false;

    before(async () => {
        for (const table of [kept, dropped]) {
            await mysqlQuery(e2e.sandbox, `CREATE TABLE \`${table}\` (id BIGINT PRIMARY KEY, note VARCHAR(40))`);
            await postgresQuery(e2e.sandbox, `CREATE TABLE public."${table}" (id BIGINT PRIMARY KEY, note VARCHAR(40))`);
        }
        // Teardown from the start: the destroy below must complete without an up first (preflight would refuse
        // the missing table).
        stack = await syncStack(e2e.sandbox, prefix, [kept, dropped], { "tandem:teardownOnDestroy": "true" });
        await stack.up({ onOutput: () => undefined });
    });

    after(async () => {
        if (!destroyed) await removeSyncStack(e2e.sandbox, stack, [kept, dropped]);
        else for (const table of [kept, dropped]) await mysqlQuery(e2e.sandbox, `DROP TABLE IF EXISTS \`${table}\``);
    });

    it("a row for the table dropped in PostgreSQL goes to the dead-letter topic; the table is not created", async () => {
        await postgresQuery(e2e.sandbox, `DROP TABLE public."${dropped}"`);
        await mysqlQuery(e2e.sandbox, `INSERT INTO \`${dropped}\` (id, note) VALUES (1, 'nowhere to go')`);
        await mysqlQuery(e2e.sandbox, `INSERT INTO \`${kept}\` (id, note) VALUES (1, 'still flows')`);
        await waitConverged(e2e.sandbox, kept, ["id", "note"], 90_000);
        const listed = await eventually("the row in the dead-letter topic", 90_000, async () => {
            const run = spawnSync(path.join(REPO_ROOT, "bin", "tandem"), ["dlq", "list", "-o", "json", "--stack", prefix], {
                encoding: "utf8",
                timeout: 60_000,
            });
            const rows = run.status === 0 ? (JSON.parse(run.stdout) as { table: string; records: number; latestError: string }[]) : [];
            return rows.find((row) => row.table === dropped);
        });
        assert.equal(listed.records, 1);
        assert.match(listed.latestError, new RegExp(dropped));
        const [{ present }] = await postgresQuery<{ present: boolean }>(e2e.sandbox, "SELECT to_regclass($1) IS NOT NULL AS present", [
            `public."${dropped}"`,
        ]);
        assert.equal(present, false, "the sink created the table");
    });

    it("teardown and destroy complete, the sync's roles and accounts gone", async () => {
        await stack!.destroy({ onOutput: () => undefined });
        destroyed = true;
        await stack!.workspace.removeStack(stack!.name);
        const names = syncNames(prefix);
        const roles = await postgresQuery(e2e.sandbox, "SELECT rolname FROM pg_roles WHERE rolname = ANY($1)", [
            [names.syncUser, names.cdcUser],
        ]);
        assert.deepEqual(roles, []);
        const users = await mysqlQuery(e2e.sandbox, "SELECT user FROM mysql.user WHERE user IN (?, ?)", [names.syncUser, names.cdcUser]);
        assert.deepEqual(users, []);
    });
});
