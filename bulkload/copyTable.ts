// Effects: the bulk copy of one table MySQL/MariaDB → PostgreSQL. Chunks are read in key order on MySQL while
// the previous one is written: COPY into a staging table, then the version-aware merge (sql/bulkLoadSql.ts),
// with the resume position, in one transaction per chunk — a crash loses at most the chunk in flight, and
// copying a chunk twice is harmless (an old version arriving again is ignored). Rows PostgreSQL refuses are
// found by halving the chunk (savepoints) and handed to the stream: an incremental snapshot of just those keys,
// so they reach PostgreSQL, or the quarantine, exactly as the streaming path would take them.
import type { ConnectionOptions } from "tls";
import mysql from "mysql2/promise";
import { Client as PgClient } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { pipeline } from "stream/promises";
import { Readable } from "stream";
import {
    BulkPlan,
    keyValues,
    mysqlChunkQuery,
    postgresCopySql,
    postgresLockTombstonesSql,
    postgresMergeSql,
    postgresStagingSql,
} from "../sql/bulkLoadSql";
import { qi } from "../sql/postgresSql";

/** A key position as JSON: strings as they are, bytes as `{ hex }`. */
export type StoredKey = (string | { hex: string } | null)[];
type Row = unknown[];

export interface CopyTableOptions {
    schema: string;
    /** The table's tombstones (`_tandem_del__<t>`): what the stream deleted meanwhile. */
    tombstones: string;
    progressTable: string;
}

export interface ChunkProgress {
    rows: number;
    refused: number;
}

export function storeKey(values: unknown[]): StoredKey {
    return values.map((value) => (Buffer.isBuffer(value) ? { hex: value.toString("hex") } : value === null ? null : String(value)));
}

export function restoreKey(stored: StoredKey): unknown[] {
    return stored.map((value) => (value !== null && typeof value === "object" ? Buffer.from(value.hex, "hex") : value));
}

/** MySQL session for reading: every value as text, TIMESTAMPs in UTC. */
export async function mysqlReader(address: mysql.ConnectionOptions): Promise<mysql.Connection> {
    const db = await mysql.createConnection({
        ...address,
        rowsAsArray: true,
        supportBigNumbers: true,
        bigNumberStrings: true,
        dateStrings: true,
        // Every value as MySQL's text (bulkPlan renders binary columns as hex): COPY reads text.
        typeCast: (field) => field.string(),
    });
    // UTC TIMESTAMPs; backslashes in literals are escapes, CHAR values without their padding, whatever the server's sql_mode.
    await db.query("SET time_zone = '+00:00', sql_mode = 'NO_ENGINE_SUBSTITUTION'");
    return db;
}

/** PostgreSQL session for writing, set as the sink's: the sync writer, replica role (no FK checks), UTC. */
export async function postgresWriter(address: {
    host: string;
    port: number;
    user: string;
    password: string;
    database: string;
    ssl?: ConnectionOptions;
}): Promise<PgClient> {
    const db = new PgClient({ ...address, application_name: "tandem-load" });
    await db.connect();
    await db.query("SET TimeZone = 'UTC'");
    await db.query("SET session_replication_role = replica");
    await db.query("SET synchronous_commit = off");
    // The staging table lives in temp buffers: big enough for a chunk, it never touches the disk (set before first use).
    await db.query("SET temp_buffers = '256MB'");
    return db;
}

/** Seconds spent per phase (where a load's time goes: reported with its result). */
export interface LoadPhases {
    /** Waiting for MySQL's next chunk (reads overlap the previous chunk's write). */
    read: number;
    copy: number;
    merge: number;
    commit: number;
}

async function timed<T>(phases: LoadPhases, phase: keyof LoadPhases, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
        return await work();
    } finally {
        phases[phase] += (performance.now() - started) / 1000;
    }
}

export class ChunkCopier {
    private readonly stage: string;
    private staged = false;
    readonly phases: LoadPhases = { read: 0, copy: 0, merge: 0, commit: 0 };

    constructor(
        private readonly pg: PgClient,
        private readonly plan: BulkPlan,
        private readonly options: CopyTableOptions,
    ) {
        this.stage = `tandem_load_stage`;
    }

    /** MySQL wrote each row's COPY line (bulkPlan): the loader only joins them. */
    private copyText(rows: Row[]): string {
        let text = "";
        for (const row of rows) text += `${row[0] as string}\n`;
        return text;
    }

    private async copyAndMerge(rows: Row[]): Promise<void> {
        await timed(this.phases, "copy", () =>
            pipeline(Readable.from([this.copyText(rows)]), this.pg.query(copyFrom(postgresCopySql(this.plan, this.stage)))),
        );
        await timed(this.phases, "merge", async () => {
            await this.pg.query(postgresMergeSql(this.options.schema, this.plan, this.stage, this.options.tombstones));
            await this.pg.query(`TRUNCATE ${qi(this.stage)}`);
        });
    }

    /** Writes rows in one savepoint, halving on refusal; returns the keys of the rows refused alone. */
    private async writeOrSplit(rows: Row[]): Promise<Row[]> {
        await this.pg.query("SAVEPOINT part");
        try {
            await this.copyAndMerge(rows);
            await this.pg.query("RELEASE SAVEPOINT part");
            return [];
        } catch (error) {
            await this.pg.query("ROLLBACK TO SAVEPOINT part");
            if (isConnectionFailure(error)) throw error;
            if (rows.length === 1) return [this.keyOf(rows[0])];
            const half = Math.ceil(rows.length / 2);
            const refused = await this.writeOrSplit(rows.slice(0, half));
            return [...refused, ...(await this.writeOrSplit(rows.slice(half)))];
        }
    }

    keyOf(row: Row): Row {
        return keyValues(this.plan, row);
    }

    /**
     * One chunk in one transaction: staged, merged under the tombstones' lock, and the resume position moved
     * past it with the keys PostgreSQL refused (they are handed to the stream when the table is done).
     */
    async writeChunk(rows: Row[]): Promise<ChunkProgress> {
        const { schema, progressTable } = this.options;
        await this.pg.query("BEGIN");
        try {
            if (!this.staged) {
                await this.pg.query(postgresStagingSql(schema, this.plan, this.stage));
                this.staged = true;
            }
            await this.pg.query(postgresLockTombstonesSql(schema, this.options.tombstones));
            const refused = await this.writeOrSplit(rows);
            await this.pg.query(
                `UPDATE ${qi(schema)}.${qi(progressTable)}
                    SET last_key = $2::jsonb, rows_copied = rows_copied + $3, updated_at = clock_timestamp(),
                        pending_keys = coalesce(pending_keys, '[]'::jsonb) || $4::jsonb
                  WHERE table_name = $1`,
                [
                    this.plan.table,
                    JSON.stringify(storeKey(this.keyOf(rows[rows.length - 1]))),
                    rows.length - refused.length,
                    JSON.stringify(refused.map(storeKey)),
                ],
            );
            await timed(this.phases, "commit", () => this.pg.query("COMMIT"));
            return { rows: rows.length - refused.length, refused: refused.length };
        } catch (error) {
            await this.pg.query("ROLLBACK").catch(() => undefined);
            this.staged = false; // a failed CREATE leaves nothing behind
            throw error;
        }
    }
}

/** Reads the table in key order from `after`, one chunk ahead of the writer. */
export async function* chunksOf(
    db: mysql.Connection,
    database: string,
    plan: BulkPlan,
    after: unknown[] | undefined,
    limit: number,
): AsyncGenerator<Row[]> {
    const read = async (from: unknown[] | undefined) => {
        const query = mysqlChunkQuery(database, plan, from, limit);
        const [rows] = await db.query({ sql: query.sql, values: query.params, rowsAsArray: true });
        return rows as unknown as Row[];
    };
    let next = read(after);
    for (;;) {
        const rows = await next;
        if (rows.length === 0) return;
        const last = keyValues(plan, rows[rows.length - 1]);
        next = rows.length < limit ? Promise.resolve([]) : read(last);
        next.catch(() => undefined); // awaited on the next turn; never an unhandled rejection meanwhile
        yield rows;
    }
}

/** Connection-level failures are retried by running the command again, never taken for a refused row. */
function isConnectionFailure(error: unknown): boolean {
    const code = (error as { code?: string }).code ?? "";
    return /^(08|57P|53)/.test(code) || /ECONNRESET|ECONNREFUSED|EPIPE/.test(code);
}
