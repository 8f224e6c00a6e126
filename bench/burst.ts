// Benchmark 3: the sustained apply rate of each direction. A burst of rows is written on one side as fast as
// multi-row INSERTs go, and the time until the last one is in the other database gives rows/s applied; the
// anchor, in the same run, is the receiving database's batched-upsert rate from a plain client (batches of
// 500, INSERT … ON CONFLICT / ON DUPLICATE KEY UPDATE) into a table of the same shape without the sync.
import mysql from "mysql2/promise";
import { Pool } from "pg";
import { keyBase } from "../loadtest/rows";
import { LOADTEST_TABLE, loadtestTableSql } from "../loadtest/sql";
import { applyStackTables, mysqlAddress, readStackTarget, saveStackConfigFile, StackTarget, upStack } from "../ops/stackTarget";
import { log, saveResult, STACK } from "./lib";

const ROWS = Number(process.env.BENCH_BURST_ROWS ?? 200_000);
const INSERT_BATCH = 2000;
const UPSERT_BATCH = 500;
const ANCHOR_TABLE = "tandem_bench_anchor";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function rowValues(id: number, side: string): [number, string, number, string, string] {
    return [id, side, id % 1_000_000, `${side} burst ${id} `.padEnd(60, "·"), ((id % 100_000) / 100).toFixed(2)];
}

async function burst(db: { my: mysql.Pool; pg: Pool }, target: StackTarget, from: "mysql" | "postgres", base: number): Promise<number> {
    const to = from === "mysql" ? "postgres" : "mysql";
    const count = async () =>
        to === "postgres"
            ? Number(
                  (await db.pg.query(`SELECT count(*) AS n FROM ${target.postgres.schema}.${LOADTEST_TABLE} WHERE id >= $1`, [base]))
                      .rows[0].n,
              )
            : Number(((await db.my.query(`SELECT count(*) AS n FROM ${LOADTEST_TABLE} WHERE id >= ?`, [base]))[0] as { n: number }[])[0].n);
    log(`burst of ${ROWS} rows written in ${from}`);
    const started = Date.now();
    for (let offset = 0; offset < ROWS; offset += INSERT_BATCH) {
        const rows = Array.from({ length: Math.min(INSERT_BATCH, ROWS - offset) }, (_, i) => rowValues(base + offset + i, from));
        if (from === "mysql") {
            await db.my.query(
                `INSERT INTO ${LOADTEST_TABLE} (id, side, seq, payload, amount, updated_at) VALUES ${rows.map(() => "(?, ?, ?, ?, ?, NOW(6))").join(", ")}`,
                rows.flat(),
            );
        } else {
            await db.pg.query(
                `INSERT INTO ${target.postgres.schema}.${LOADTEST_TABLE} (id, side, seq, payload, amount, updated_at) VALUES ${rows
                    .map((_, r) => `($${r * 5 + 1}, $${r * 5 + 2}, $${r * 5 + 3}, $${r * 5 + 4}, $${r * 5 + 5}, localtimestamp)`)
                    .join(", ")}`,
                rows.flat(),
            );
        }
    }
    const written = (Date.now() - started) / 1000;
    log(`written in ${written.toFixed(1)} s; waiting for ${to}`);
    let arrived: number;
    while ((arrived = await count()) < ROWS) {
        if (Date.now() - started > 30 * 60 * 1000) throw new Error(`only ${arrived} of ${ROWS} rows arrived in 30 minutes`);
        await sleep(200);
    }
    const seconds = (Date.now() - started) / 1000;
    log(`${ROWS} rows in ${to} after ${seconds.toFixed(1)} s: ${Math.round(ROWS / seconds)} rows/s`);
    return seconds;
}

async function upsertCeiling(db: { my: mysql.Pool; pg: Pool }, target: StackTarget, into: "mysql" | "postgres"): Promise<number> {
    const started = Date.now();
    for (let offset = 0; offset < ROWS; offset += UPSERT_BATCH) {
        const rows = Array.from({ length: Math.min(UPSERT_BATCH, ROWS - offset) }, (_, i) => rowValues(offset + i, into));
        if (into === "mysql") {
            await db.my.query(
                `INSERT INTO ${ANCHOR_TABLE} (id, side, seq, payload, amount, updated_at) VALUES ${rows.map(() => "(?, ?, ?, ?, ?, NOW(6))").join(", ")}
                 ON DUPLICATE KEY UPDATE side = VALUES(side), seq = VALUES(seq), payload = VALUES(payload), amount = VALUES(amount), updated_at = VALUES(updated_at)`,
                rows.flat(),
            );
        } else {
            await db.pg.query(
                `INSERT INTO ${target.postgres.schema}.${ANCHOR_TABLE} (id, side, seq, payload, amount, updated_at) VALUES ${rows
                    .map((_, r) => `($${r * 5 + 1}, $${r * 5 + 2}, $${r * 5 + 3}, $${r * 5 + 4}, $${r * 5 + 5}, localtimestamp)`)
                    .join(", ")}
                 ON CONFLICT (id) DO UPDATE SET side = EXCLUDED.side, seq = EXCLUDED.seq, payload = EXCLUDED.payload, amount = EXCLUDED.amount, updated_at = EXCLUDED.updated_at`,
                rows.flat(),
            );
        }
    }
    const seconds = (Date.now() - started) / 1000;
    log(`plain client upserts into ${into}: ${Math.round(ROWS / seconds)} rows/s`);
    return seconds;
}

async function main(): Promise<void> {
    const target = readStackTarget(STACK);
    const db = { my: mysql.createPool({ ...mysqlAddress(target), connectionLimit: 2 }), pg: new Pool({ ...target.postgres, max: 2 }) };
    const configFile = saveStackConfigFile(STACK);
    const added = !target.syncedTables.includes(LOADTEST_TABLE);
    try {
        const own = loadtestTableSql(target.postgres.schema);
        for (const statement of own.mysql) await db.my.query(statement);
        for (const statement of own.postgres) await db.pg.query(statement);
        const anchor = loadtestTableSql(target.postgres.schema);
        for (const statement of anchor.mysql) await db.my.query(statement.replace(LOADTEST_TABLE, ANCHOR_TABLE));
        for (const statement of anchor.postgres) await db.pg.query(statement.replace(LOADTEST_TABLE, ANCHOR_TABLE));
        if (added) {
            log(`adding ${LOADTEST_TABLE} to stack ${STACK}`);
            applyStackTables(STACK, [...target.configuredTables, LOADTEST_TABLE]);
        }
        const base = keyBase(Date.now());
        const toPostgres = await burst(db, target, "mysql", base);
        const toMysql = await burst(db, target, "postgres", base + 2 * ROWS);
        const postgresCeiling = await upsertCeiling(db, target, "postgres");
        const mysqlCeiling = await upsertCeiling(db, target, "mysql");
        saveResult("burst", {
            rows: ROWS,
            mysqlToPostgres: { seconds: toPostgres, rowsPerSecond: ROWS / toPostgres, ceilingRowsPerSecond: ROWS / postgresCeiling },
            postgresToMysql: { seconds: toMysql, rowsPerSecond: ROWS / toMysql, ceilingRowsPerSecond: ROWS / mysqlCeiling },
        });
    } finally {
        await db.my.query(`DROP TABLE IF EXISTS ${ANCHOR_TABLE}`);
        await db.pg.query(`DROP TABLE IF EXISTS ${target.postgres.schema}.${ANCHOR_TABLE}`);
        if (added) {
            configFile.restore();
            upStack(STACK);
        }
        await db.my.end();
        await db.pg.end();
    }
}

main().catch((error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
});
