// E2e: the pipeline on MariaDB and PostgreSQL that refuse plaintext (sandbox.sh tls-required on), every
// connection verifying the sandbox's CA and host name (tandem:mysqlTls / postgresTls = verify-full): pulumi's
// preflight and SQL, the four connectors, the health monitor and the tools; then teardown and destroy.
import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as path from "node:path";
import axios from "axios";
import mysql from "mysql2/promise";
import { Client as PgClient } from "pg";
import { Stack } from "@pulumi/pulumi/automation";
import { syncNames } from "../../core/model";
import { e2eSuite } from "../support/e2eSuite";
import { freePort } from "../support/prometheus";
import { eventually, REPO_ROOT, Sandbox } from "../support/sandbox";
import { mysqlQuery, postgresQuery, removeSyncStack, syncStack, waitConverged } from "../support/syncStack";

const suffix = Date.now().toString(36).slice(-5);
const prefix = `tls${suffix}`;
const table = `tls_items_${suffix}`;

function tlsRequired(on: boolean): void {
    execFileSync("bash", [path.join(REPO_ROOT, "sandbox", "sandbox.sh"), "tls-required", on ? "on" : "off"], { stdio: "pipe" });
}

async function plaintextRefusal(sandbox: Sandbox): Promise<{ mysql: string; postgres: string }> {
    const mysqlError = await mysql
        .createConnection({ ...sandbox.mariadb })
        .then(async (db) => {
            await db.end();
            return "connected";
        })
        .catch((error: Error) => error.message);
    const pg = new PgClient({ ...sandbox.postgres, ssl: false });
    const postgresError = await pg
        .connect()
        .then(async () => {
            await pg.end();
            return "connected";
        })
        .catch((error: Error) => error.message);
    return { mysql: mysqlError, postgres: postgresError };
}

e2eSuite("database TLS: the pipeline on servers that refuse plaintext", { timeout: 600_000 }, (e2e) => {
    let stack: Stack | undefined;
    let monitor = "";
    const names = syncNames(prefix);

    before(async () => {
        assert.ok(e2e.sandbox.tlsCa, "the sandbox has no TLS CA (TANDEM_DATABASE_TLS_CA in sandbox.env): run sandbox/sandbox.sh up");
        await mysqlQuery(e2e.sandbox, `CREATE TABLE \`${table}\` (id BIGINT PRIMARY KEY, note VARCHAR(40))`);
        await postgresQuery(e2e.sandbox, `CREATE TABLE public."${table}" (id BIGINT PRIMARY KEY, note VARCHAR(40))`);
        tlsRequired(true);
    });

    after(async () => {
        try {
            await removeSyncStack(e2e.sandbox, stack, [table]);
        } finally {
            tlsRequired(false);
        }
    });

    it("both servers refuse a plaintext connection, and accept the same account over TLS", async () => {
        const refused = await plaintextRefusal(e2e.sandbox);
        assert.match(refused.mysql, /Access denied|secure transport/i);
        assert.match(refused.postgres, /no encryption/);
        assert.deepEqual(await mysqlQuery(e2e.sandbox, "SELECT 1 AS one"), [{ one: 1 }]);
        assert.deepEqual(await postgresQuery(e2e.sandbox, "SELECT 1 AS one"), [{ one: 1 }]);
    });

    it("pulumi up with verify-full on both sides prepares the databases and runs the four connectors", async () => {
        const port = await freePort();
        const ca = e2e.sandbox.tlsCa!;
        stack = await syncStack(e2e.sandbox, prefix, [table], {
            "tandem:mysqlTls": "verify-full",
            "tandem:mysqlTlsCa": ca,
            "tandem:postgresTls": "verify-full",
            "tandem:postgresTlsCa": ca,
            "tandem:healthMonitor": "true",
            "tandem:healthMonitorPort": String(port),
        });
        const result = await stack.up({ onOutput: () => undefined });
        assert.equal(result.summary.result, "succeeded");
        const connectors = result.outputs.connectors.value as Record<string, { state: string; tasks: { state: string }[] }>;
        for (const [role, connector] of Object.entries(connectors)) {
            assert.equal(connector.state, "RUNNING", role);
            assert.ok(connector.tasks.length > 0 && connector.tasks.every((task) => task.state === "RUNNING"), role);
        }
        monitor = result.outputs.dashboards.value.healthMonitor;
    });

    it("rows travel both ways", async () => {
        await mysqlQuery(e2e.sandbox, `INSERT INTO \`${table}\` (id, note) VALUES (1, 'from mariadb'), (3, 'mariadb again')`);
        await postgresQuery(e2e.sandbox, `INSERT INTO public."${table}" (id, note) VALUES (2, 'from postgres')`);
        assert.equal((await waitConverged(e2e.sandbox, table, ["id", "note"], 90_000)).length, 3);
        await postgresQuery(e2e.sandbox, `UPDATE public."${table}" SET note = 'changed in postgres' WHERE id = 1`);
        const rows = await eventually("the update back in MariaDB", 60_000, async () => {
            const converged = await waitConverged(e2e.sandbox, table, ["id", "note"], 60_000);
            return converged[0].note === "changed in postgres" ? converged : undefined;
        });
        assert.deepEqual(
            rows.map((row) => row.note),
            ["changed in postgres", "from postgres", "mariadb again"],
        );
    });

    it("every PostgreSQL session of the pipeline is encrypted (replication, sink, monitor)", async () => {
        const sessions = await eventually("the pipeline's PostgreSQL sessions", 30_000, async () => {
            const rows = await postgresQuery<{ usename: string; ssl: boolean; backend_type: string }>(
                e2e.sandbox,
                `SELECT a.usename, s.ssl, a.backend_type FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid)
                 WHERE a.usename = ANY($1)`,
                [[names.cdcUser, names.syncUser, names.monitorUser]],
            );
            const users = new Set(rows.map((row) => row.usename));
            return users.size === 3 ? rows : undefined;
        });
        assert.ok(
            sessions.some((row) => row.backend_type === "walsender"),
            "the source's replication session",
        );
        assert.deepEqual(
            sessions.filter((row) => !row.ssl),
            [],
        );
    });

    it("the health monitor probes both databases over TLS", async () => {
        await eventually("tandem_probe_up 1 for both databases", 60_000, async () => {
            const text = (await axios.get(`${monitor}/metrics`, { timeout: 5000 })).data as string;
            const up = (target: string) => new RegExp(`^tandem_probe_up\\{target="${target}"\\} 1$`, "m").test(text);
            return up("mysql") && up("postgres") ? true : undefined;
        });
    });

    it("the tools reach the databases with the stack's TLS settings (tandem reconcile: 0 differences)", () => {
        const run = spawnSync(path.join(REPO_ROOT, "bin", "tandem"), ["reconcile", "--settle", "0", "-o", "json", "--stack", prefix], {
            cwd: REPO_ROOT,
            encoding: "utf8",
            timeout: 180_000,
        });
        assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
        const report = JSON.parse(run.stdout) as { tables: { table: string; differences: unknown[] }[] };
        assert.ok(report.tables.length > 0);
        for (const entry of report.tables) assert.deepEqual(entry.differences, [], entry.table);
    });
});
