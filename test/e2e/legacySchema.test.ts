// A generated legacy-style schema of 46 table pairs declared in one stack (test/support/legacyCorpus.ts):
// preflight lists every problem of a broken variant at preview; the sync deploys on the rest; rows written on
// both sides — concurrently on parents and children — end identical as each database renders them, or in the
// quarantine for the documented reasons, with every connector RUNNING; quarantined rows replay once fixed.
import * as assert from "node:assert/strict";
import axios from "axios";
import { Stack } from "@pulumi/pulumi/automation";
import { execFile } from "child_process";
import * as path from "path";
import { promisify } from "util";
import { QuarantinedRecord } from "../../ops/quarantine";
import { createCorpus, dropCorpus, quarantinedKey, quarantineOf, runWrites, waitCorpusConverged } from "../support/corpusChecks";
import { brokenTables, corpusPrelude, CorpusTable, legacyCorpus } from "../support/legacyCorpus";
import { eventually, REPO_ROOT } from "../support/sandbox";
import { e2eSuite } from "../support/e2eSuite";
import { postgresQuery, removeSyncStack, setListConfig, syncStack } from "../support/syncStack";

e2eSuite("e2e: a legacy schema of 46 table pairs", { timeout: 45 * 60 * 1000 }, (e2e) => {
    const suffix = `${Date.now().toString(36).slice(-5)}${Math.floor(Math.random() * 1e3)}`;
    const prefix = `legacy-${suffix}`;
    const corpus = legacyCorpus(suffix);
    const broken = brokenTables(suffix);
    // Rows larger than Kafka's default message are carried up to this; larger ones are quarantined.
    const maxRowBytes = 4 * 1024 * 1024;
    let stack: Stack;

    const expectedQuarantine = (table: CorpusTable) => (table.quarantined ?? []).map((entry) => entry.key);
    const connectorNames = ["mysql-source", "postgres-source", "postgres-sink", "mysql-sink"].map((key) => `${prefix}-${key}`);

    async function allRunning(): Promise<void> {
        for (const name of connectorNames) {
            const status = (await axios.get(`${e2e.sandbox.connectUrl}/connectors/${encodeURIComponent(name)}/status`)).data;
            assert.equal(status.connector.state, "RUNNING", `${name}: ${JSON.stringify(status)}`);
            for (const task of status.tasks) assert.equal(task.state, "RUNNING", `${name} task ${task.id}: ${task.trace ?? ""}`);
        }
    }

    before(async () => {
        assert.ok(corpus.length >= 40, `the corpus has ${corpus.length} tables`);
        await createCorpus(e2e.sandbox, [...corpus, ...broken], corpusPrelude(suffix));
        stack = await syncStack(
            e2e.sandbox,
            prefix,
            [...corpus, ...broken].map((table) => table.name),
            { "tandem:maxRowBytes": String(maxRowBytes) },
        );
    });

    after(async () => {
        if (process.env.TANDEM_KEEP_STACK === "1") return; // debugging: leave the stack and tables as they are
        await removeSyncStack(e2e.sandbox, stack, []);
        await dropCorpus(
            e2e.sandbox,
            [...corpus, ...broken].reverse().map((table) => table.name),
            [`DROP TYPE IF EXISTS mood_${suffix}`, `DROP COLLATION IF EXISTS tandem_ci_${suffix}`],
        );
    });

    it("preflight at preview lists every schema problem at once, each naming table.column, and creates nothing", async () => {
        const error = await stack.preview().then(
            () => assert.fail("preview succeeded"),
            (failure: Error) => failure.message,
        );
        for (const table of broken) assert.match(error, table.expect, `missing ${table.expect} in:\n${error}`);
        const listed = error.split("\n").filter((line) => /^\s+- /.test(line) && !line.includes("warning"));
        const corpusNames = corpus.map((table) => table.name);
        for (const line of listed) {
            assert.ok(
                !corpusNames.some((name) => line.includes(` ${name}.`) || line.includes(`- ${name}.`) || line.includes(`- ${name}:`)),
                `a corpus table refused: ${line}`,
            );
        }
        assert.deepEqual(
            await postgresQuery(e2e.sandbox, "SELECT 1 FROM pg_publication WHERE pubname = $1", [`${prefix.replace(/-/g, "_")}_pub`]),
            [],
        );
    });

    it("pulumi up syncs every table of the corpus, warning about what will be mapped or quarantined; a second up changes nothing", async () => {
        await setListConfig(
            stack,
            "tandem:tables",
            corpus.map((table) => table.name),
        );
        let output = "";
        const result = await stack.up({ onOutput: (text) => (output += text) });
        assert.equal(result.summary.result, "succeeded");
        for (const kind of [
            "zero-dates",
            "time-range",
            "enum-values",
            "boolean-values",
            "key-collation-approximate",
            "row-size",
            "unique-one-side",
        ]) {
            assert.match(output, new RegExp(`\\((mapped|quarantined); ${kind}\\)`), `no ${kind} warning in:\n${output.slice(0, 3000)}`);
        }
        const again = await stack.preview();
        assert.deepEqual(Object.keys(again.changeSummary), ["same"], JSON.stringify(again.changeSummary));
        await allRunning();
    });

    it("rows written on both sides end identical, or in the quarantine for their documented reason; every connector keeps RUNNING", async () => {
        await runWrites(e2e.sandbox, {
            mysql: corpus.flatMap((table) => table.writes.mysql),
            postgres: corpus.flatMap((table) => table.writes.postgres),
        });
        // Good rows after the bad ones, on the same tables: they must arrive.
        await runWrites(e2e.sandbox, {
            mysql: corpus.flatMap((table) => table.after?.mysql ?? []),
            postgres: corpus.flatMap((table) => table.after?.postgres ?? []),
        });
        await waitCorpusConverged(e2e.sandbox, corpus, expectedQuarantine, 240_000);
        // Parents and children changed concurrently on both sides: cascades, cross-side references, updates.
        // (Each side first writes a child of the other side's parent, then deletes its own parent.)
        await runWrites(e2e.sandbox, {
            mysql: [...corpusCrossWrites(suffix).mysql, ...corpus.flatMap((table) => table.changes?.mysql ?? [])],
            postgres: [...corpusCrossWrites(suffix).postgres, ...corpus.flatMap((table) => table.changes?.postgres ?? [])],
        });
        await waitCorpusConverged(e2e.sandbox, corpus, expectedQuarantine, 240_000);

        const expected = corpus.flatMap((table) => (table.quarantined ?? []).map((entry) => ({ table: table.name, ...entry })));
        let records: QuarantinedRecord[] = [];
        await eventually("every expected row in the quarantine", 60_000, async () => {
            records = await quarantineOf(e2e.sandbox, prefix);
            return records.length >= expected.length ? true : undefined;
        }).catch(() => undefined);
        const quarantined = { records, expected };
        const missing = quarantined.expected.filter(
            (entry) =>
                !quarantined.records.some(
                    (record) =>
                        record.table === entry.table &&
                        record.direction === entry.direction &&
                        JSON.stringify(quarantinedKey(record)) === JSON.stringify(entry.key) &&
                        entry.reason.test(record.error),
                ),
        );
        assert.deepEqual(
            missing.map((entry) => `${entry.table} ${entry.key}`),
            [],
            `not quarantined as expected; the quarantine holds:\n${quarantined.records.map((r) => `${r.table} ${quarantinedKey(r)}: ${r.error}`).join("\n")}`,
        );
        const unexpected = quarantined.records.filter(
            (record) =>
                !quarantined.expected.some(
                    (entry) => record.table === entry.table && JSON.stringify(quarantinedKey(record)) === JSON.stringify(entry.key),
                ),
        );
        assert.deepEqual(
            unexpected.map((record) => `${record.table} ${quarantinedKey(record)}: ${record.error}`),
            [],
        );
        await allRunning();
    });

    it("quarantined rows replay once their cause is fixed (the documented way)", async () => {
        const check = corpus.find((table) => table.name.startsWith("t_check_pg"))!;
        const notNull = corpus.find((table) => table.name.startsWith("t_not_null_pg"))!;
        await postgresQuery(e2e.sandbox, `ALTER TABLE "${check.name}" DROP CONSTRAINT IF EXISTS "${check.name}_qty_check"`);
        await postgresQuery(e2e.sandbox, `ALTER TABLE "${notNull.name}" ALTER COLUMN name DROP NOT NULL`);
        // The documented commands, on the stack's outputs.
        const dlq = (...args: string[]) =>
            promisify(execFile)(path.join(REPO_ROOT, "bin", "tandem"), ["dlq", ...args, "--stack", prefix, "-o", "json"], {
                maxBuffer: 64 * 1024 * 1024,
            });
        const listed = JSON.parse((await dlq("show", "--table", check.name)).stdout) as {
            table: string;
            error: string;
            replayable: boolean;
        }[];
        assert.deepEqual(
            listed.map((record) => [record.table, record.replayable]),
            [[check.name, true]],
        );
        assert.match(listed[0].error, /violates check constraint/);
        for (const table of [check.name, notNull.name]) {
            assert.equal(JSON.parse((await dlq("replay", "--table", table, "--yes")).stdout).replayed, 1);
        }
        const fixed = new Set([check.name, notNull.name]);
        await waitCorpusConverged(
            e2e.sandbox,
            corpus.filter((table) => fixed.has(table.name)),
            () => [],
            120_000,
        );
        assert.deepEqual(await postgresQuery(e2e.sandbox, `SELECT qty FROM "${check.name}" WHERE id = 3`), [{ qty: -1 }]);
        assert.deepEqual(await postgresQuery(e2e.sandbox, `SELECT name FROM "${notNull.name}" WHERE id = 3`), [{ name: null }]);
        await allRunning();
    });
});

/** Writes across sides once both hold the first rows: children of the other side's parents, while parents go. */
function corpusCrossWrites(suffix: string): { mysql: string[]; postgres: string[] } {
    const lines = `order_lines_${suffix}`;
    return {
        // A line of PostgreSQL's order 12, while PostgreSQL deletes customer 2 (and with it order 12).
        mysql: [`INSERT INTO \`${lines}\` (id, order_id, qty) VALUES (105, 12, 5)`],
        // A line of MariaDB's order 11, while MariaDB deletes customer 1 (its cascade never reaches the binlog).
        postgres: [`INSERT INTO "${lines}" (id, order_id, qty) VALUES (106, 11, 6)`],
    };
}
