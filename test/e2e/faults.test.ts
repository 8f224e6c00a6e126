// The fault suite's CI-sized cases (the whole matrix: bench/faults.ts, docs/reliability.md). On a stack of its
// own, with its health monitor (whose watchdog restarts failed connectors and tasks), three cheap faults, each
// under a steady bidirectional load with conflicts (`tandem loadtest --retry-writes` in the background, writes
// retried across a database restart as an application would) and with one poison row written right after it:
// the Connect worker `kill -9`ed, MariaDB `kill -9`ed, PostgreSQL stopped in immediate mode — each started again
// as a supervisor would (`sandbox/sandbox.sh up`). Each must end with the load converged and matching its
// writes (no row lost, none resurrected, no older version kept), `tandem reconcile` at 0 differences, the poison
// row in the quarantine, every connector and task RUNNING, PostgreSQL's replication slot kept — and no
// `pulumi up` since the stack's first. Recovery times are printed, not asserted.
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as path from "node:path";
import axios from "axios";
import { Stack } from "@pulumi/pulumi/automation";
import { injectPoisonRow, killAndRestart, postgresImmediateRestart, removePoisonRow, sleep } from "../../bench/faultInjection";
import { syncNames } from "../../core/model";
import { LOADTEST_TABLE, loadtestTableSql } from "../../loadtest/sql";
import { readStackTarget, StackTarget } from "../../ops/stackTarget";
import { e2eSuite } from "../support/e2eSuite";
import { freePort } from "../support/prometheus";
import { eventually, REPO_ROOT } from "../support/sandbox";
import { mysqlQuery, postgresQuery, removeSyncStack, syncStack } from "../support/syncStack";

/** Writes per second per direction, and seconds of writes: the fault lands ~5 s into them, with load on both sides of it. */
const RATE = 150;
const LOAD_SECONDS = 30;

interface Fault {
    name: string;
    what: string;
    inject(): Promise<void>;
}

const FAULTS: Fault[] = [
    { name: "connect-kill", what: "the Connect worker `kill -9`ed, started again", inject: () => killAndRestart("connect", 2000) },
    { name: "mariadb-kill", what: "MariaDB `kill -9`ed, restarted", inject: () => killAndRestart("mariadb", 2000) },
    {
        name: "postgres-immediate",
        what: "PostgreSQL stopped in immediate mode, restarted",
        inject: () => postgresImmediateRestart(2000),
    },
];

interface Run {
    status: number | null;
    stdout: string;
    stderr: string;
}

/** `bin/tandem <args>` in the background, without blocking the event loop (the health monitor is watched meanwhile). */
function startTandem(args: string[]): { done: Promise<Run>; stderr(): string } {
    const child = spawn(path.join(REPO_ROOT, "bin", "tandem"), args, { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    // Progress lines repeat on stderr: the tail holds the error, if any.
    child.stderr.on("data", (chunk) => (stderr = (stderr + chunk).slice(-6000)));
    const done = new Promise<Run>((resolve, reject) => {
        child.on("error", reject);
        child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
    return { done, stderr: () => stderr };
}

const tandem = (args: string[]) => startTandem(args).done;

/** The health monitor's verdicts, polled every second from the fault on: when it saw trouble, when it was ok for good. */
class HealthWatch {
    private stopped = false;
    private readonly done: Promise<void>;
    /** The verdicts other than `ok` seen. */
    readonly troubles = new Set<string>();
    private okSince: number | null = null;

    constructor(private readonly monitor: string) {
        this.done = this.loop();
    }

    private async loop(): Promise<void> {
        while (!this.stopped) {
            const status = await axios
                .get(`${this.monitor}/health`, { timeout: 2000, validateStatus: () => true })
                .then((response) => String(response.data?.status ?? `HTTP ${response.status}`))
                .catch(() => "unreachable");
            if (status === "ok") this.okSince ??= Date.now();
            else {
                this.troubles.add(status);
                this.okSince = null;
            }
            await sleep(1000);
        }
    }

    /** Since when the monitor has said `ok` without a break (null: it does not now). */
    get ok(): number | null {
        return this.okSince;
    }

    async stop(): Promise<void> {
        this.stopped = true;
        await this.done;
    }
}

e2eSuite("e2e: faults under load (Connect, MariaDB, PostgreSQL killed)", { timeout: 6 * 60 * 1000 }, (e2e) => {
    const suffix = `${Date.now().toString(36).slice(-5)}${Math.floor(Math.random() * 1e3)}`;
    const prefix = `flt-${suffix}`;
    /** The poison rows' table, shaped like scripts/demo.sh's demo_items (created_at NOT NULL on PostgreSQL). */
    const table = `flt_items_${suffix}`;
    let stack: Stack;
    let target: StackTarget;
    let monitor: string;
    let connectors: string[];
    let updates: number;
    /** Records the stack's quarantine holds for the poison rows' table: one more per fault. */
    let quarantinedRows = 0;
    /** The current test's watch of the monitor (stopped after each test, passed or not). */
    let watch: HealthWatch | undefined;

    /** Each connector's state and its tasks', and whether all of them run. */
    const connectorStates = async () => {
        const all = (await axios.get(`${e2e.sandbox.connectUrl}/connectors?expand=status`, { timeout: 5000 })).data as Record<
            string,
            { status: { connector: { state: string }; tasks: { id: number; state: string }[] } }
        >;
        const states = connectors.map((name) => all[name]?.status);
        return {
            running: states.every(
                (s) => s?.connector.state === "RUNNING" && s.tasks.length > 0 && s.tasks.every((t) => t.state === "RUNNING"),
            ),
            text: connectors
                .map(
                    (name, i) =>
                        `${name}: ${states[i] ? `${states[i].connector.state}, tasks ${JSON.stringify(states[i].tasks)}` : "ABSENT"}`,
                )
                .join("\n"),
        };
    };
    const healthOf = async () => (await axios.get(`${monitor}/health`, { timeout: 5000, validateStatus: () => true })).data;
    const quarantined = async (): Promise<number> => {
        const run = await tandem(["dlq", "list", "--stack", prefix, "-o", "json"]);
        assert.equal(run.status, 0, `tandem dlq list: ${run.stdout}\n${run.stderr}`);
        const groups = JSON.parse(run.stdout) as { direction: string; table: string; records: number }[];
        return groups
            .filter((group) => group.direction === "mysql-to-postgres" && group.table === table)
            .reduce((sum, group) => sum + group.records, 0);
    };

    before(async () => {
        await mysqlQuery(
            e2e.sandbox,
            `CREATE TABLE \`${table}\` (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL, price DECIMAL(10,2) NOT NULL, created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6))`,
        );
        await postgresQuery(
            e2e.sandbox,
            `CREATE TABLE public."${table}" (id integer GENERATED BY DEFAULT AS IDENTITY (START WITH 2 INCREMENT BY 2) PRIMARY KEY, name varchar(100) NOT NULL, price numeric(10,2) NOT NULL, created_at timestamp(6) NOT NULL DEFAULT localtimestamp)`,
        );
        // The load test's own table is synced from the first `pulumi up` (the command then runs none: --keep).
        await mysqlQuery(e2e.sandbox, `DROP TABLE IF EXISTS \`${LOADTEST_TABLE}\``);
        await postgresQuery(e2e.sandbox, `DROP TABLE IF EXISTS public."${LOADTEST_TABLE}"`);
        const own = loadtestTableSql("public");
        for (const statement of own.mysql) await mysqlQuery(e2e.sandbox, statement);
        for (const statement of own.postgres) await postgresQuery(e2e.sandbox, statement);
        const port = await freePort();
        stack = await syncStack(e2e.sandbox, prefix, [table, LOADTEST_TABLE], {
            "tandem:healthMonitor": "true",
            "tandem:healthMonitorPort": String(port),
            // Set from the start, so that removing the stack needs no update first.
            "tandem:teardownOnDestroy": "true",
        });
        const result = await stack.up({ onOutput: () => undefined });
        monitor = result.outputs.dashboards.value.healthMonitor;
        connectors = Object.values(result.outputs.connectors.value as Record<string, { name: string }>).map((c) => c.name);
        assert.ok(connectors.length >= 4, `the stack's connectors: ${connectors.join(", ")}`);
        target = readStackTarget(prefix);
        updates = (await stack.history()).length;
    });

    afterEach(async () => watch?.stop());
    // `tandem reconcile`'s bookkeeping tables outlive the stack's teardown: dropped with the suite's tables.
    after(async () => {
        const { reconcileRunsTable, reconcileRepairsTable } = syncNames(prefix);
        await removeSyncStack(e2e.sandbox, stack, [table, LOADTEST_TABLE, reconcileRunsTable, reconcileRepairsTable]);
    });

    for (const fault of FAULTS) {
        it(`${fault.what}, under load with conflicts: no row lost, reconcile clean, poison row quarantined, all RUNNING without pulumi up`, async () => {
            await eventually("the monitor's /health ok before the fault", 120_000, async () =>
                (await healthOf()).status === "ok" ? true : undefined,
            ).catch(async (error) => assert.fail(`${(error as Error).message}: ${JSON.stringify(await healthOf().catch(() => null))}`));

            const started = Date.now();
            const load = startTandem([
                "loadtest",
                "--stack",
                prefix,
                ...["--records", String(RATE * LOAD_SECONDS), "--rate", String(RATE), "--concurrent", "5", "--conflicts", "0.05"],
                ...["--retry-writes", "120", "--timeout", "180", "--keep", "-o", "json"],
            ]);
            let exited = false;
            void load.done.then(() => (exited = true));
            // The writers' first progress line comes after 5 s of writes (earlier phases are not retried: the
            // fault must not land in them).
            await eventually("the load's writers running", 120_000, async () =>
                exited || /\d+\/\d+ writes/.test(load.stderr()) ? true : undefined,
            );
            const health = new HealthWatch(monitor);
            watch = health;
            const faultAt = Date.now();
            let restoredAt = 0;
            let poison: number | undefined;
            // Whatever happens to the injection, the load ends before the test does (its writes retried meanwhile).
            const injected = exited
                ? undefined
                : await (async () => {
                      await fault.inject();
                      restoredAt = Date.now();
                      poison = await injectPoisonRow(target, table);
                  })().then(
                      () => undefined,
                      (error: Error) => error,
                  );
            const run = await load.done;
            if (injected) throw injected;
            const loadDone = Date.now();

            // The load: every write acknowledged is on both sides, as written last, deleted ones gone.
            assert.equal(run.status, 0, `tandem loadtest exited ${run.status}:\n${run.stdout.slice(-3000)}\n${run.stderr}`);
            assert.ok(poison !== undefined);
            const result = JSON.parse(run.stdout);
            assert.equal(result.differences.count, 0, JSON.stringify(result.differences));
            assert.deepEqual(
                { lost: result.planCheck.lost, resurrected: result.planCheck.resurrected, staleVersions: result.planCheck.staleVersions },
                { lost: 0, resurrected: 0, staleVersions: 0 },
                result.planCheck.sample.join("\n"),
            );
            assert.ok(result.convergedAfterMs !== null);
            assert.equal(result.ok, true);

            // Every connector and task RUNNING again, and the monitor ok: the watchdog's doing, nobody ran `pulumi up`.
            let states = "";
            await eventually("every connector and task RUNNING", 120_000, async () => {
                const now = await connectorStates();
                states = now.text;
                return now.running ? true : undefined;
            }).catch((error) => assert.fail(`${(error as Error).message}:\n${states}`));
            await eventually("the monitor's /health ok", 120_000, async () => health.ok ?? undefined).catch(async (error) =>
                assert.fail(`${(error as Error).message}: ${JSON.stringify(await healthOf().catch(() => null))}`),
            );
            const recoveredAt = health.ok!;
            await health.stop();
            const troubles = [...health.troubles];

            // The poison row set aside in the quarantine (it leaves MySQL, so both sides hold the same rows again),
            // reconcile finds nothing to repair, the replication slot is the one from before, no `pulumi up` ran.
            const settledAt = Date.now();
            await removePoisonRow(target, table, poison);
            const [reconcile, inQuarantine, history, slots] = await Promise.all([
                tandem(["reconcile", "--stack", prefix, "--settle", "3", "-o", "json"]),
                eventually("the poison row in the quarantine", 90_000, async () => {
                    const records = await quarantined();
                    return records > quarantinedRows ? records : undefined;
                }),
                stack.history(),
                postgresQuery(e2e.sandbox, "SELECT slot_name FROM pg_replication_slots WHERE slot_name = $1", [syncNames(prefix).slot]),
            ]);
            assert.equal(inQuarantine, quarantinedRows + 1, "exactly the poison row quarantined");
            quarantinedRows = inQuarantine;
            const report = JSON.parse(reconcile.stdout || "null") as { tables: { table: string; differences: unknown[] }[] } | null;
            assert.ok(report, `tandem reconcile printed no report (exit ${reconcile.status}): ${reconcile.stderr}`);
            assert.deepEqual(
                report.tables.map((t) => [t.table, t.differences.length]).sort(),
                [table, LOADTEST_TABLE].sort().map((name) => [name, 0]),
                JSON.stringify(report.tables.map((t) => t.differences.slice(0, 5))),
            );
            assert.equal(reconcile.status, 0);
            assert.equal(slots.length, 1, `replication slot ${syncNames(prefix).slot} kept`);
            assert.equal(history.length, updates, "no pulumi up since the stack's first");

            const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
            const writes = Object.values(result.directions as Record<string, { writes: Record<string, number>; retriedWrites: number }>);
            process.stdout.write(
                `      ${fault.name}: back up ${seconds(restoredAt - faultAt)} after the fault, monitor ok for good ` +
                    `${seconds(recoveredAt - faultAt)} after it (saw: ${troubles.join(", ") || "nothing"}); ` +
                    `${writes.reduce((sum, d) => sum + d.writes.insert + d.writes.update + d.writes.delete, 0)} writes ` +
                    `(${writes.reduce((sum, d) => sum + d.retriedWrites, 0)} retried), converged ${seconds(result.convergedAfterMs)} ` +
                    `after the last; load ${seconds(loadDone - started)}, all RUNNING and ok ${seconds(settledAt - loadDone)} ` +
                    `after it, quarantine and reconcile checked in ${seconds(Date.now() - settledAt)}\n`,
            );
        });
    }
});
