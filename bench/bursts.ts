// Benchmark helper: a burst of rows written on one side of the load test's own table as fast as multi-row
// INSERTs go, timed until the last row is in the other database (benchmarks 3 and 6).
import mysql from "mysql2/promise";
import { Pool } from "pg";
import { dropLoadtestTableSql, LOADTEST_TABLE, loadtestTableSql } from "../loadtest/sql";
import { runOnBothSides } from "../ops/bothSides";
import { applyStackTables, mysqlAddress, readStackTarget, saveStackConfigFile, StackTarget, upStack } from "../ops/stackTarget";
import { log, STACK } from "./lib";

export interface BurstDatabases {
    my: mysql.Pool;
    pg: Pool;
}

/**
 * Runs `work` with the load test's own table pair synced by the bench stack: created on both sides, added to the
 * stack when it is not synced yet (after `beforeAdding`), and the stack file and stack put back afterwards.
 * A pair the helper adds starts empty and is dropped at the end: adding a table with rows starts an incremental
 * snapshot of them, which would run during the timed bursts (earlier runs' rows had made bursts 0.5k–5.6k rows/s).
 */
export async function withOwnTableSynced(
    work: (db: BurstDatabases, target: StackTarget) => Promise<void>,
    beforeAdding: (target: StackTarget) => Promise<void> = async () => undefined,
): Promise<void> {
    const target = readStackTarget(STACK);
    const db = { my: mysql.createPool({ ...mysqlAddress(target), connectionLimit: 2 }), pg: new Pool({ ...target.postgres, max: 2 }) };
    const configFile = saveStackConfigFile(STACK);
    const added = !target.syncedTables.includes(LOADTEST_TABLE);
    try {
        if (added) await runOnBothSides(target, dropLoadtestTableSql(target.postgres.schema, target.prefix));
        await runOnBothSides(target, loadtestTableSql(target.postgres.schema));
        if (added) {
            await beforeAdding(target);
            log(`adding ${LOADTEST_TABLE} to stack ${STACK}`);
            applyStackTables(STACK, [...target.configuredTables, LOADTEST_TABLE]);
        }
        await work(db, target);
    } finally {
        if (added) {
            configFile.restore();
            upStack(STACK);
            await runOnBothSides(target, dropLoadtestTableSql(target.postgres.schema, target.prefix));
        }
        await db.my.end();
        await db.pg.end();
    }
}

const INSERT_BATCH = 2000;

export function rowValues(id: number, side: string): [number, string, number, string, string] {
    return [id, side, id % 1_000_000, `${side} burst ${id} `.padEnd(60, "·"), ((id % 100_000) / 100).toFixed(2)];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the MySQL source has read the binlog up to now: a probe row written in MySQL (key `probe`, below
 * the burst's keys) must reach PostgreSQL. The source reads every row event of the server, synced table or not:
 * a bulk write elsewhere (benchmark 4 creates 1M rows) leaves it a backlog that would be timed as the next burst.
 */
export async function waitMysqlSourceCaughtUp(db: BurstDatabases, target: StackTarget, probe: number): Promise<void> {
    const started = Date.now();
    await db.my.query(
        `INSERT INTO ${LOADTEST_TABLE} (id, side, seq, payload, amount, updated_at) VALUES (?, ?, ?, ?, ?, NOW(6))`,
        rowValues(probe, "mysql"),
    );
    const arrived = async () =>
        (await db.pg.query(`SELECT 1 FROM ${target.postgres.schema}.${LOADTEST_TABLE} WHERE id = $1`, [probe])).rows.length > 0;
    while (!(await arrived())) {
        if (Date.now() - started > 20 * 60 * 1000) throw new Error(`the MySQL source did not catch up with the binlog in 20 minutes`);
        await sleep(500);
    }
    if (Date.now() - started > 2000)
        log(`waited ${((Date.now() - started) / 1000).toFixed(0)} s for the MySQL source to read the binlog's backlog`);
}

/** Writes a burst of `total` rows on one side and returns the seconds until the last one is in the other database. */
export async function burst(
    db: BurstDatabases,
    target: StackTarget,
    from: "mysql" | "postgres",
    base: number,
    total: number,
): Promise<number> {
    const to = from === "mysql" ? "postgres" : "mysql";
    const count = async () =>
        to === "postgres"
            ? Number(
                  (await db.pg.query(`SELECT count(*) AS n FROM ${target.postgres.schema}.${LOADTEST_TABLE} WHERE id >= $1`, [base]))
                      .rows[0].n,
              )
            : Number(((await db.my.query(`SELECT count(*) AS n FROM ${LOADTEST_TABLE} WHERE id >= ?`, [base]))[0] as { n: number }[])[0].n);
    await waitMysqlSourceCaughtUp(db, target, base - 1);
    log(`burst of ${total} rows written in ${from}`);
    const started = Date.now();
    for (let offset = 0; offset < total; offset += INSERT_BATCH) {
        const rows = Array.from({ length: Math.min(INSERT_BATCH, total - offset) }, (_, i) => rowValues(base + offset + i, from));
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
    while ((arrived = await count()) < total) {
        if (Date.now() - started > 30 * 60 * 1000) throw new Error(`only ${arrived} of ${total} rows arrived in 30 minutes`);
        await sleep(200);
    }
    const seconds = (Date.now() - started) / 1000;
    log(`${total} rows in ${to} after ${seconds.toFixed(1)} s: ${Math.round(total / seconds)} rows/s`);
    return seconds;
}
