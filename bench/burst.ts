// Benchmark 3: the sustained apply rate of each direction. A burst of rows is written on one side as fast as
// multi-row INSERTs go, and the time until the last one is in the other database gives rows/s applied; the
// anchor, in the same run, is the receiving database's batched-upsert rate from a plain client (batches of
// 500, INSERT … ON CONFLICT / ON DUPLICATE KEY UPDATE) into a table of the same shape without the sync.
import { keyBase } from "../loadtest/rows";
import { LOADTEST_TABLE, loadtestTableSql } from "../loadtest/sql";
import { StackTarget } from "../ops/stackTarget";
import { burst, BurstDatabases, rowValues, withOwnTableSynced } from "./bursts";
import { measureCpu } from "./cpuUse";
import { log, saveResult } from "./lib";

const ROWS = Number(process.env.BENCH_BURST_ROWS ?? 200_000);
const UPSERT_BATCH = 500;
const ANCHOR_TABLE = "tandem_bench_anchor";

async function upsertCeiling(db: BurstDatabases, target: StackTarget, into: "mysql" | "postgres"): Promise<number> {
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
    await withOwnTableSynced(async (db, target) => {
        const anchor = loadtestTableSql(target.postgres.schema);
        try {
            for (const statement of anchor.mysql) await db.my.query(statement.replace(LOADTEST_TABLE, ANCHOR_TABLE));
            for (const statement of anchor.postgres) await db.pg.query(statement.replace(LOADTEST_TABLE, ANCHOR_TABLE));
            const base = keyBase(Date.now());
            const toPostgres = await measureCpu(() => burst(db, target, "mysql", base, ROWS));
            const toMysql = await measureCpu(() => burst(db, target, "postgres", base + 2 * ROWS, ROWS));
            const postgresCeiling = await upsertCeiling(db, target, "postgres");
            const mysqlCeiling = await upsertCeiling(db, target, "mysql");
            saveResult("burst", {
                rows: ROWS,
                mysqlToPostgres: {
                    seconds: toPostgres.result,
                    rowsPerSecond: ROWS / toPostgres.result,
                    ceilingRowsPerSecond: ROWS / postgresCeiling,
                    cpu: toPostgres.cpu,
                },
                postgresToMysql: {
                    seconds: toMysql.result,
                    rowsPerSecond: ROWS / toMysql.result,
                    ceilingRowsPerSecond: ROWS / mysqlCeiling,
                    cpu: toMysql.cpu,
                },
            });
        } finally {
            await db.my.query(`DROP TABLE IF EXISTS ${ANCHOR_TABLE}`);
            await db.pg.query(`DROP TABLE IF EXISTS ${target.postgres.schema}.${ANCHOR_TABLE}`);
        }
    });
}

main().catch((error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
});
