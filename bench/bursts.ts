// Benchmark helper: a burst of rows written on one side of the load test's own table as fast as multi-row
// INSERTs go, timed until the last row is in the other database (benchmarks 3 and 6).
import axios from "axios";
import mysql from "mysql2/promise";
import { Pool } from "pg";
import { LOADTEST_TABLE } from "../loadtest/sql";
import { StackTarget } from "../ops/stackTarget";
import { log } from "./lib";

const INSERT_BATCH = 2000;

export function rowValues(id: number, side: string): [number, string, number, string, string] {
    return [id, side, id % 1_000_000, `${side} burst ${id} `.padEnd(60, "·"), ((id % 100_000) / 100).toFixed(2)];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the MySQL source has read the binlog up to where it ends now. The source reads every row event of
 * the server, synced table or not: a bulk write elsewhere (benchmark 4 creates 1M rows) leaves it a backlog that
 * would be timed as the next burst's.
 */
export async function waitMysqlSourceCaughtUp(db: mysql.Pool, connectUrl: string, connector: string): Promise<void> {
    const [status] = await db.query("SHOW MASTER STATUS");
    const end = (status as { File: string; Position: number }[])[0];
    const started = Date.now();
    for (;;) {
        const answer = await axios.get(`${connectUrl}/connectors/${encodeURIComponent(connector)}/offsets`);
        const offset = (answer.data as { offsets: { offset: { file?: string; pos?: number } }[] }).offsets[0]?.offset;
        // The stored position is where the last transaction read begins: within a MiB of the end counts as caught up.
        const behind = offset?.file === end.File ? Number(end.Position) - Number(offset.pos) : Number.POSITIVE_INFINITY;
        if (behind < 2 ** 20) break;
        if (Date.now() - started > 20 * 60 * 1000) throw new Error(`${connector} did not catch up with the binlog in 20 minutes`);
        await sleep(1000);
    }
    if (Date.now() - started > 2000)
        log(`waited ${((Date.now() - started) / 1000).toFixed(0)} s for ${connector} to read the binlog's backlog`);
}

/** Writes a burst of `total` rows on one side and returns the seconds until the last one is in the other database. */
export async function burst(
    db: { my: mysql.Pool; pg: Pool },
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
    await waitMysqlSourceCaughtUp(db.my, target.connectUrl, `${target.prefix}-mysql-source`);
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
