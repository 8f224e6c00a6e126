// Effects: `tandem load` — the bulk initial load of a stack's synced tables, MySQL/MariaDB → PostgreSQL, while
// the stack streams (initialLoad=bulk: the source streams from its first start and never snapshots). Each table
// resumes where the last run stopped; a finished table is skipped until --restart.
import axios from "axios";
import { mysqlDriverOptions, postgresDriverOptions } from "../core/databaseTls";
import mysql from "mysql2/promise";
import { Client as PgClient } from "pg";
import { randomUUID } from "crypto";
import { syncNames, TableDef } from "../core/model";
import { tombstoneTable } from "../core/names";
import { readMysql, readPostgres } from "../database/catalog";
import { bulkPlan, BulkPlan, mysqlKeysCondition } from "../sql/bulkLoadSql";
import { mysqlIncrementalSnapshotSignal } from "../sql/mysqlSql";
import { qi } from "../sql/postgresSql";
import { DatabaseAddress } from "../ops/stackTarget";
import { ChunkCopier, chunksOf, LoadPhases, mysqlReader, postgresWriter, restoreKey, StoredKey } from "./copyTable";

export interface LoadTarget {
    stack: string;
    prefix: string;
    mysql: DatabaseAddress;
    /** The admin account (catalog reads); `writer` is the sink's account the merge runs as. */
    postgres: DatabaseAddress & { schema: string };
    writer: { user: string; password: string };
    connectUrl: string;
    syncedTables: string[];
}

export interface LoadOptions {
    /** Tables to load (default: every synced table not loaded yet). */
    tables?: string[];
    chunkRows: number;
    /** Copy again from the start, even tables loaded already. */
    restart: boolean;
    /** Stop a table after this many rows PostgreSQL refuses in bulk (they take the stream, which is slower). */
    maxRefusedRows: number;
}

export type TableOutcome = "loaded" | "already-loaded" | "refused" | "failed";

export interface TableLoadResult {
    table: string;
    outcome: TableOutcome;
    /** Rows merged by this run (a resumed table counts from where it resumed). */
    rows: number;
    /** Rows PostgreSQL refused in bulk, handed to the stream (incremental snapshot of those keys). */
    handedToStream: number;
    /** Their keys (the first 100), to look for in the quarantine. */
    handedToStreamKeys: StoredKey[];
    resumed: boolean;
    seconds: number;
    /** Where the time went, in seconds: waiting for MySQL, COPY into staging, the merge, commits. */
    phases?: LoadPhases;
    rowsPerSecond: number;
    error?: string;
}

export interface LoadReport {
    stack: string;
    tables: TableLoadResult[];
    ok: boolean;
}

export interface LoadProgress {
    table(name: string, estimatedRows: number, resumedRows: number): void;
    advance(rows: number): void;
    done(result: TableLoadResult): void;
}

/** The source must be streaming before anything is copied: every change made during the copy then reaches PostgreSQL. */
async function assertSourceStreaming(target: LoadTarget): Promise<void> {
    const name = `${target.prefix}-mysql-source`;
    const status = await axios
        .get(`${target.connectUrl}/connectors/${encodeURIComponent(name)}/status`, { timeout: 10_000 })
        .then((response) => response.data as { connector: { state: string }; tasks: { state: string }[] })
        .catch((error: Error) => {
            throw new Error(`cannot read connector ${name} from ${target.connectUrl}: ${error.message}`);
        });
    const states = [status.connector.state, ...status.tasks.map((task) => task.state)];
    if (status.tasks.length === 0 || states.some((state) => state !== "RUNNING")) {
        throw new Error(
            `connector ${name} is not streaming (${states.join(", ") || "no task"}): the copy must start after the stream; fix it and run again`,
        );
    }
}

interface Progress {
    lastKey: StoredKey | null;
    rowsCopied: number;
    finished: boolean;
    pendingKeys: StoredKey[];
}

async function readProgress(pg: PgClient, schema: string, table: string, progressTable: string): Promise<Progress | undefined> {
    const { rows } = await pg.query(
        `SELECT last_key, rows_copied, finished_at IS NOT NULL AS finished, pending_keys FROM ${qi(schema)}.${qi(progressTable)} WHERE table_name = $1`,
        [table],
    );
    if (rows.length === 0) return undefined;
    return {
        lastKey: rows[0].last_key,
        rowsCopied: Number(rows[0].rows_copied),
        finished: rows[0].finished,
        pendingKeys: rows[0].pending_keys ?? [],
    };
}

/** Signals incremental snapshots of the refused keys, in groups that fit Debezium's signal column. */
async function handKeysToStream(db: mysql.Connection, target: LoadTarget, plan: BulkPlan, keys: StoredKey[]): Promise<void> {
    const { signalTable } = syncNames(target.prefix);
    const literal = (value: unknown) => db.escape(value);
    let group: unknown[][] = [];
    const flush = async () => {
        if (group.length === 0) return;
        const condition = mysqlKeysCondition(plan, group, literal);
        await db.query(
            mysqlIncrementalSnapshotSignal(signalTable, target.mysql.database, [plan.table], `tandem-load-${randomUUID()}`, {
                [plan.table]: condition,
            }),
        );
        group = [];
    };
    for (const key of keys) {
        group.push(restoreKey(key));
        if (mysqlKeysCondition(plan, group, literal).length > 1500) await flush();
    }
    await flush();
}

async function loadTable(
    target: LoadTarget,
    plan: BulkPlan,
    options: LoadOptions,
    db: mysql.Connection,
    pg: PgClient,
    progress: LoadProgress,
): Promise<TableLoadResult> {
    const { progressTable } = syncNames(target.prefix);
    const { schema } = target.postgres;
    const started = Date.now();
    const copier = new ChunkCopier(pg, plan, { schema, tombstones: tombstoneTable(plan.table), progressTable });
    const result = (outcome: TableOutcome, rows: number, handed: StoredKey[], resumed: boolean, error?: string): TableLoadResult => {
        const seconds = (Date.now() - started) / 1000;
        return {
            table: plan.table,
            outcome,
            rows,
            handedToStream: handed.length,
            handedToStreamKeys: handed.slice(0, 100),
            resumed,
            seconds,
            phases: { ...copier.phases },
            rowsPerSecond: Math.round(rows / Math.max(seconds, 0.001)),
            error,
        };
    };
    if (options.restart) await pg.query(`DELETE FROM ${qi(schema)}.${qi(progressTable)} WHERE table_name = $1`, [plan.table]);
    let state = await readProgress(pg, schema, plan.table, progressTable);
    if (state?.finished) return result("already-loaded", 0, [], false);
    if (!state) {
        await pg.query(`INSERT INTO ${qi(schema)}.${qi(progressTable)} (table_name) VALUES ($1) ON CONFLICT DO NOTHING`, [plan.table]);
        state = { lastKey: null, rowsCopied: 0, finished: false, pendingKeys: [] };
    }
    const [estimate] = await db.query("SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?", [
        target.mysql.database,
        plan.table,
    ]);
    progress.table(plan.table, Number((estimate as unknown as string[][])[0]?.[0] ?? 0), state.rowsCopied);
    let rows = 0;
    let refused = state.pendingKeys.length;
    const chunks = chunksOf(db, target.mysql.database, plan, state.lastKey ? restoreKey(state.lastKey) : undefined, options.chunkRows);
    for (;;) {
        const started = performance.now();
        const next = await chunks.next();
        copier.phases.read += (performance.now() - started) / 1000;
        if (next.done) break;
        const chunk = next.value;
        const written = await copier.writeChunk(chunk);
        rows += written.rows;
        refused += written.refused;
        progress.advance(chunk.length);
        if (refused > options.maxRefusedRows) {
            return result(
                "refused",
                rows,
                [],
                state.lastKey !== null,
                `PostgreSQL refused ${refused} rows in bulk (more than --max-refused ${options.maxRefusedRows}): a column's values do not fit it (the reasons the quarantine lists, docs/bidirectional.md); fix the column and run tandem load again (it resumes; the rows refused so far are handed to the stream when the table is done), or raise --max-refused. ${VIA_SNAPSHOT}`,
            );
        }
    }
    const final = (await readProgress(pg, schema, plan.table, progressTable))!;
    // Handed over before the table is marked finished: a crash in between sends them again (harmless).
    await handKeysToStream(db, target, plan, final.pendingKeys);
    await pg.query(
        `UPDATE ${qi(schema)}.${qi(progressTable)} SET finished_at = clock_timestamp(), rows_to_stream = rows_to_stream + $2, pending_keys = NULL WHERE table_name = $1`,
        [plan.table, final.pendingKeys.length],
    );
    return result("loaded", rows, final.pendingKeys, state.lastKey !== null);
}

/** The other way to load a table that exists already: Debezium's incremental snapshot, which takes any value. */
const VIA_SNAPSHOT =
    "Or load it through the stream: remove it from tandem:tables (pulumi up), set tandem:initialLoad to incremental, add it back (pulumi up): a table added later is loaded by Debezium's incremental snapshot.";

function notLoaded(table: string, outcome: "refused" | "failed", error: string): TableLoadResult {
    return { table, outcome, rows: 0, handedToStream: 0, handedToStreamKeys: [], resumed: false, seconds: 0, rowsPerSecond: 0, error };
}

export async function runLoad(target: LoadTarget, options: LoadOptions, progress: LoadProgress): Promise<LoadReport> {
    const unknown = (options.tables ?? []).filter((table) => !target.syncedTables.includes(table));
    if (unknown.length > 0)
        throw new Error(`stack ${target.stack} does not sync ${unknown.join(", ")} (its tables: ${target.syncedTables.join(", ")})`);
    await assertSourceStreaming(target);
    const names = options.tables ?? target.syncedTables;
    const [mysqlFacts, postgresFacts] = await Promise.all([readMysql(target.mysql), readPostgres(target.postgres, target.postgres.schema)]);
    const find = (tables: TableDef[], name: string) => tables.find((table) => table.name === name);
    const db = await mysqlReader(mysqlDriverOptions(target.mysql));
    const pg = await postgresWriter(postgresDriverOptions({ ...target.postgres, ...target.writer }));
    const results: TableLoadResult[] = [];
    try {
        const progressTable = `${qi(target.postgres.schema)}.${qi(syncNames(target.prefix).progressTable)}`;
        const { rows } = await pg.query("SELECT to_regclass($1) IS NOT NULL AS present", [progressTable]);
        if (!rows[0].present)
            throw new Error(`${progressTable} is missing: run \`pulumi up --stack ${target.stack}\` with this version first`);
        for (const name of names) {
            const mysqlTable = find(mysqlFacts.tables, name);
            const postgresTable = find(postgresFacts.tables, name);
            const planned =
                mysqlTable && postgresTable
                    ? bulkPlan(mysqlTable, postgresTable)
                    : { refusals: [{ column: "", reason: "table missing on one side" }] };
            let outcome: TableLoadResult;
            if (!planned.plan) {
                const reasons = planned.refusals
                    .map((refusal) => `${name}${refusal.column ? `.${refusal.column}` : ""}: ${refusal.reason}`)
                    .join("; ");
                outcome = notLoaded(name, "refused", `${reasons}. ${VIA_SNAPSHOT}`);
            } else {
                try {
                    outcome = await loadTable(target, planned.plan, options, db, pg, progress);
                } catch (error) {
                    outcome = notLoaded(name, "failed", (error as Error).message);
                }
            }
            progress.done(outcome);
            results.push(outcome);
        }
    } finally {
        await db.end().catch(() => undefined);
        await pg.end().catch(() => undefined);
    }
    return {
        stack: target.stack,
        tables: results,
        ok: results.every((result) => result.outcome === "loaded" || result.outcome === "already-loaded"),
    };
}
