// Benchmark 4: the initial load of 1M rows × 8 columns MariaDB → PostgreSQL. pgloader (the Debian package) on the
// same data in the same run is the anchor; tandem's bulk path (`tandem load`, initialLoad=bulk) runs on a stack of
// its own (`benchload`) that streams the table meanwhile. Both end with every row in PostgreSQL (counted).
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import mysql from "mysql2/promise";
import { Pool } from "pg";
import { mysqlAddress, readStackTarget } from "../ops/stackTarget";
import { createBenchStack, log, removeBenchStack, ROOT, saveResult } from "./lib";

const ROWS = Number(process.env.BENCH_LOAD_ROWS ?? 1_000_000);
const STACK = "benchload";
const TABLE = "bench_load";
const PGLOADER_SCHEMA = "pgloader_bench";

const MYSQL_COLUMNS = `id INT PRIMARY KEY, customer_id INT NOT NULL, sku VARCHAR(32) NOT NULL, title VARCHAR(120) NOT NULL,
  qty INT NOT NULL, price DECIMAL(12,2) NOT NULL, created_at DATETIME(6) NOT NULL, note VARCHAR(200)`;
const POSTGRES_COLUMNS = `id integer PRIMARY KEY, customer_id integer NOT NULL, sku varchar(32) NOT NULL, title varchar(120) NOT NULL,
  qty integer NOT NULL, price numeric(12,2) NOT NULL, created_at timestamp(6) NOT NULL, note varchar(200)`;

function timed(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
    const started = Date.now();
    const run = spawnSync(command, args, {
        cwd: ROOT,
        encoding: "utf8",
        env,
        maxBuffer: 256 * 1024 * 1024,
        stdio: ["ignore", "pipe", "pipe"],
    });
    if (run.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${run.status}:\n${run.stdout}\n${run.stderr}`);
    return (Date.now() - started) / 1000;
}

async function main(): Promise<void> {
    const local = readStackTarget("local");
    const my = await mysql.createConnection(mysqlAddress(local));
    const pg = new Pool({ ...local.postgres, max: 1 });
    const count = async (relation: string) => Number((await pg.query(`SELECT count(*) AS n FROM ${relation}`)).rows[0].n);
    try {
        log(`creating ${TABLE} with ${ROWS.toLocaleString("en")} rows × 8 columns in MariaDB`);
        await my.query(`DROP TABLE IF EXISTS ${TABLE}, _tandem_del__${TABLE}`);
        await my.query(`CREATE TABLE ${TABLE} (${MYSQL_COLUMNS})`);
        await my.query(
            `INSERT INTO ${TABLE} SELECT seq, seq % 50000, CONCAT('SKU-', LPAD(seq % 99991, 8, '0')), CONCAT('Item number ', seq, ' — ', REPEAT(CHAR(97 + seq % 26), 40)),
               seq % 100, (seq % 100000) / 100, TIMESTAMP('2020-01-01') + INTERVAL seq SECOND + INTERVAL (seq % 1000000) MICROSECOND,
               IF(seq % 5 = 0, NULL, CONCAT('note ', MD5(seq))) FROM seq_1_to_${ROWS}`,
        );
        await my.query(`ANALYZE TABLE ${TABLE}`); // InnoDB's size statistics lag a bulk insert
        const [sizes] = await my.query(
            `SELECT DATA_LENGTH AS bytes FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?`,
            [TABLE],
        );
        const tableBytes = Number((sizes as { bytes: number }[])[0].bytes);
        await pg.query(`DROP TABLE IF EXISTS ${TABLE}, _tandem_del__${TABLE}`);
        await pg.query(`CREATE TABLE ${TABLE} (${POSTGRES_COLUMNS})`);

        log("pgloader: MariaDB → PostgreSQL (its own schema)");
        await pg.query(`DROP SCHEMA IF EXISTS ${PGLOADER_SCHEMA} CASCADE`);
        const command = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pgloader-")), "load.pgl");
        const url = (scheme: string, a: { user: string; password: string; host: string; port: number; database: string }) =>
            `${scheme}://${encodeURIComponent(a.user)}:${encodeURIComponent(a.password)}@${a.host}:${a.port}/${a.database}`;
        fs.writeFileSync(
            command,
            `LOAD DATABASE FROM ${url("mysql", local.mysql)} INTO ${url("postgresql", local.postgres)}
 WITH include drop, create tables, create indexes, reset sequences
 INCLUDING ONLY TABLE NAMES MATCHING '${TABLE}'
 ALTER SCHEMA '${local.mysql.database}' RENAME TO '${PGLOADER_SCHEMA}';\n`,
        );
        const pgloaderSeconds = timed("pgloader", ["--no-ssl-cert-verification", command]);
        const pgloaderRows = await count(`${PGLOADER_SCHEMA}.${TABLE}`);
        log(`pgloader: ${pgloaderSeconds.toFixed(1)} s, ${pgloaderRows} rows`);

        log(`tandem: stack ${STACK} streams ${TABLE} (initialLoad=bulk), then tandem load`);
        createBenchStack(STACK, 184300, [TABLE], { initialLoad: "bulk" });
        const upSeconds = timed("pulumi", ["up", "--yes", "--skip-preview", "--suppress-progress", "--stack", STACK]);
        const loadStarted = Date.now();
        const run = spawnSync(path.join(ROOT, "bin", "tandem"), ["load", "--stack", STACK, "-o", "json"], {
            cwd: ROOT,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "inherit"],
        });
        const loadSeconds = (Date.now() - loadStarted) / 1000;
        if (run.status !== 0) throw new Error(`tandem load exited ${run.status}: ${run.stdout}`);
        const report = JSON.parse(run.stdout);
        const tandemRows = await count(TABLE);
        log(
            `tandem load: ${loadSeconds.toFixed(1)} s, ${tandemRows} rows (pulumi up before it: ${upSeconds.toFixed(1)} s); phases ${JSON.stringify(report.tables[0].phases)}`,
        );
        if (tandemRows !== ROWS || pgloaderRows !== ROWS)
            throw new Error(`rows in PostgreSQL: tandem ${tandemRows}, pgloader ${pgloaderRows}, expected ${ROWS}`);
        saveResult("initialLoad", {
            rows: ROWS,
            columns: 8,
            tableBytes,
            pgloader: { seconds: pgloaderSeconds, version: execFileSync("pgloader", ["--version"], { encoding: "utf8" }).split("\n")[0] },
            tandem: {
                seconds: loadSeconds,
                upSeconds,
                rowsPerSecond: report.tables[0].rowsPerSecond,
                copySeconds: report.tables[0].seconds,
                phases: report.tables[0].phases,
                chunkRows: 50000,
            },
        });
    } finally {
        log("removing the bench stack and tables");
        removeBenchStack(STACK);
        await my.query(`DROP TABLE IF EXISTS ${TABLE}, _tandem_del__${TABLE}`);
        await pg.query(`DROP TABLE IF EXISTS ${TABLE}, _tandem_del__${TABLE}`);
        await pg.query(`DROP SCHEMA IF EXISTS ${PGLOADER_SCHEMA} CASCADE`);
        await my.end();
        await pg.end();
    }
}

main().catch((error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
});
