// Benchmark: `tandem reconcile` on a 1M-row identical pair (8 columns) beside a naive full export-and-compare (both
// sides streamed to the client in key order, each row's canonical text compared), in the same run; then the time to
// locate 1 and 100 differing rows, and the process's peak RSS. The pair is built directly in both databases (with
// the bookkeeping columns, identical values), so that no pipeline traffic skews the figures.
import * as fs from "fs";
import mysql from "mysql2";
import { Client as PgClient } from "pg";
import QueryStream from "pg-query-stream";
import { reconcile } from "../reconcile/reconcile";
import { RECONCILE_DEFAULTS } from "../reconcile/run";
import { mysqlAddress, readStackTarget, StackTarget } from "../ops/stackTarget";
import { Engine, rowTextSql, tableRef } from "../sql/reconcileSql";
import { planTable } from "../reconcile/plan";
import { readMysql, readPostgres } from "../database/catalog";
import { log, saveResult, STACK } from "./lib";

const ROWS = Number(process.env.RECONCILE_ROWS ?? 1_000_000);
const TABLE = "bench_reconcile";

function peakRssMiB(): number {
    const status = fs.readFileSync("/proc/self/status", "utf8");
    return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024);
}

async function main() {
    // The databases of the stack the benchmarks run on (its admin accounts); the pair lives outside the pipeline.
    const stack = readStackTarget(STACK);
    const { schema: _schema, ...pgAddress } = stack.postgres;
    const sandbox = { mariadb: mysqlAddress(stack), postgres: pgAddress };
    const my = mysql.createConnection({ ...sandbox.mariadb, multipleStatements: true }).promise();
    const pg = new PgClient({ ...sandbox.postgres });
    await pg.connect();
    log(`building the ${ROWS}-row pair`);
    await my.query(`DROP TABLE IF EXISTS ${TABLE}`);
    await pg.query(`DROP TABLE IF EXISTS public.${TABLE}`);
    const bookkeeping = {
        mysql: "_tandem_origin VARCHAR(10) NOT NULL, _tandem_version BIGINT NOT NULL, _tandem_base BIGINT NOT NULL",
        postgres: "_tandem_origin varchar(10) NOT NULL, _tandem_version bigint NOT NULL, _tandem_base bigint NOT NULL",
    };
    await my.query(
        `CREATE TABLE ${TABLE} (id INT PRIMARY KEY, qty INT, price DECIMAL(12,2), name VARCHAR(64), note TEXT, ok TINYINT(1), ratio DOUBLE, at DATETIME(6), ${bookkeeping.mysql}) DEFAULT CHARSET=utf8mb4`,
    );
    await pg.query(
        `CREATE TABLE public.${TABLE} (id integer PRIMARY KEY, qty integer, price numeric(12,2), name varchar(64), note text, ok boolean, ratio double precision, at timestamp(6), ${bookkeeping.postgres})`,
    );
    await my.query(
        `INSERT INTO ${TABLE} SELECT seq, seq * 7 % 1000, seq / 100, CONCAT('name ', seq), MD5(seq), seq % 2, seq * 0.5, TIMESTAMP('2020-01-01') + INTERVAL seq SECOND, 'mysql', seq, 0 FROM seq_1_to_${ROWS}`,
    );
    await pg.query(
        `INSERT INTO public.${TABLE} SELECT g, g * 7 % 1000, round(g / 100.0, 2), 'name ' || g, md5(g::text), g % 2 = 1, g * 0.5, timestamp '2020-01-01' + g * interval '1 second', 'mysql', g, 0 FROM generate_series(1, ${ROWS}) g`,
    );
    await pg.query(`ANALYZE public.${TABLE}`);
    const target = {
        stack: "bench",
        prefix: "bench",
        mysql: { ...sandbox.mariadb, flavor: "mariadb" },
        postgres: { ...sandbox.postgres, schema: "public" },
        syncedTables: [TABLE],
    } as unknown as StackTarget;
    const policy = { conflicts: "last-writer-wins", tieWinner: "postgres" } as const;
    const quiet = { rows: () => undefined, phase: () => undefined };
    const options = { ...RECONCILE_DEFAULTS, settleSeconds: 1, tables: [TABLE], repair: false };
    const timed = async () => {
        const started = Date.now();
        const report = await reconcile(target, policy, options, quiet);
        return {
            seconds: (Date.now() - started) / 1000,
            differences: report.tables[0].differences.length,
            segments: report.tables[0].segments,
        };
    };

    log("reconcile, identical");
    const identical = await timed();
    log(`  ${identical.seconds} s, ${identical.segments} segments, ${identical.differences} differences`);
    // The high-water mark before the naive baseline runs: what reconcile itself needed.
    const reconcilePeakRssMiB = peakRssMiB();

    log("naive export-and-compare, identical");
    const [mysqlFacts, postgresFacts] = await Promise.all([
        readMysql({ ...sandbox.mariadb }),
        readPostgres({ ...sandbox.postgres }, "public"),
    ]);
    const plan = planTable(
        mysqlFacts.tables.find((t) => t.name === TABLE),
        postgresFacts.tables.find((t) => t.name === TABLE),
        TABLE,
    );
    if (Array.isArray(plan)) throw new Error(plan.join("; "));
    const engines: Record<"mysql" | "postgres", Engine> = {
        mysql: { side: "mysql", flavor: "mariadb", schema: "public" },
        postgres: { side: "postgres", schema: "public" },
    };
    const naiveStarted = Date.now();
    const streamMysql = mysql.createConnection({ ...sandbox.mariadb });
    const mysqlRows = streamMysql
        .query(`SELECT id, ${rowTextSql(engines.mysql, plan)} AS t FROM ${tableRef(engines.mysql, TABLE)} ORDER BY id`)
        .stream();
    const pgRows = pg.query(
        new QueryStream(`SELECT id, ${rowTextSql(engines.postgres, plan)} AS t FROM ${tableRef(engines.postgres, TABLE)} ORDER BY id`, [], {
            batchSize: 5000,
        }),
    );
    const iterMy = mysqlRows[Symbol.asyncIterator]();
    const iterPg = pgRows[Symbol.asyncIterator]();
    let naiveDifferences = 0;
    let naiveBytes = 0;
    for (;;) {
        const [a, b] = await Promise.all([iterMy.next(), iterPg.next()]);
        if (a.done || b.done) {
            if (!(a.done && b.done)) naiveDifferences += 1;
            break;
        }
        naiveBytes += Buffer.byteLength(String(a.value.t)) + Buffer.byteLength(String(b.value.t));
        if (String(a.value.id) !== String(b.value.id) || a.value.t !== b.value.t) naiveDifferences += 1;
    }
    streamMysql.end();
    const naive = {
        seconds: (Date.now() - naiveStarted) / 1000,
        differences: naiveDifferences,
        mebibytesMoved: Math.round(naiveBytes / 1048576),
    };
    log(`  ${naive.seconds} s, ${naive.differences} differences`);

    log("reconcile, 1 differing row");
    await pg.query(`UPDATE public.${TABLE} SET name = 'changed' WHERE id = ${Math.floor(ROWS / 3)}`);
    const one = await timed();
    log(`  ${one.seconds} s, ${one.differences} differences`);
    log("reconcile, 100 differing rows");
    await pg.query(`UPDATE public.${TABLE} SET qty = -1 WHERE id % ${Math.floor(ROWS / 99)} = 1`);
    const hundred = await timed();
    log(`  ${hundred.seconds} s, ${hundred.differences} differences`);
    if (process.env.RECONCILE_KEEP) return;

    await my.query(`DROP TABLE IF EXISTS ${TABLE}`);
    await pg.query(`DROP TABLE IF EXISTS public.${TABLE}`);
    await my.end();
    await pg.end();
    saveResult("reconcile", { rows: ROWS, identical, naive, one, hundred, reconcilePeakRssMiB, peakRssMiB: peakRssMiB() });
}

main().catch((error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
});
