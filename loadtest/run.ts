// Effects: a load test against a running stack. Writes the planned rows on each side with concurrent writers
// (paced when asked), logs arrivals inside the receiving databases, waits for both sides to converge, counts
// the topics' events and the conflicts recorded, compares the table row by row, and cleans up after itself.
import { Kafka, logLevel } from "kafkajs";
import { KafkaAccess, kafkajsAccess } from "../core/kafkaAccess";
import { mysqlDriverOptions, postgresDriverOptions } from "../core/databaseTls";
import mysql from "mysql2/promise";
import { Pool as PgPool } from "pg";
import { mysqlFamily } from "../core/columnTypes";
import { syncNames, TableDef } from "../core/model";
import { syncTopics } from "../core/topics";
import { Direction, directionOf, Side } from "../core/vocabulary";
import { readMysql, readPostgres } from "../database/catalog";
import { q } from "../sql/mysqlSql";
import { qi } from "../sql/postgresSql";
import { LoadtestOptions } from "./options";
import { assignWriters, countKinds, expectedOwnRows, planSide, sharedKeyCount, Write } from "./plan";
import { generatedValue, keyBase, keyOf, ownRow, writableColumns, WritableColumn } from "./rows";
import * as sql from "./sql";
import { mysqlAddress, StackTarget } from "../ops/stackTarget";
import { diffRows, isConnectionLoss, isDuplicateKey, LatencySummary, summarizeLatencies } from "./stats";

export interface DirectionResult {
    writes: ReturnType<typeof countKinds>;
    writeSeconds: number;
    /** Writes per second achieved by the writers. */
    throughput: number;
    latencyMs: LatencySummary;
    /** Events on the direction's topic during the run, and those beyond the application's writes (echoes). */
    events: number;
    echoes: number;
    /** Writes retried after a lost connection (--retry-writes), as an application would. */
    retriedWrites: number;
}

/** The converged table against the plan: rows the run left that are missing, deleted rows back, older versions kept. */
export interface PlanCheck {
    lost: number;
    resurrected: number;
    staleVersions: number;
    sample: string[];
}

export interface LoadtestResult {
    stack: string;
    table: string;
    options: Omit<LoadtestOptions, "directions"> & { directions: Direction[] };
    directions: Partial<Record<Direction, DirectionResult>>;
    /** Milliseconds from the last write to both sides being equal; null when they did not converge in time. */
    convergedAfterMs: number | null;
    conflictsRecorded: Record<Side, number>;
    rows: Record<Side, number>;
    differences: ReturnType<typeof diffRows>;
    planCheck: PlanCheck;
    ok: boolean;
}

export interface Progress {
    start(direction: Direction, total: number): void;
    advance(direction: Direction): void;
    phase(message: string): void;
    stop(): void;
}

interface Databases {
    mysql: mysql.Pool;
    postgres: PgPool;
}

/** A statement to run on one side: the SQL and its parameters, in that driver's placeholder style. */
type Statement = [string, unknown[]];

export interface TableShape {
    name: string;
    key: string;
    /** Columns written besides the key (own table: fixed; --table: from each side's catalog). */
    columns: Record<Side, WritableColumn[]>;
    /** Integer keys take numbers from a fresh range; text keys the same numbers spelled `lt<n>`. */
    keyKind: "integer" | "text";
    own: boolean;
}

/** The first key above every row either side holds, so that the run's keys are fresh. */
async function nextIntegerKey(db: Databases, schema: string, table: TableShape): Promise<number> {
    const [[mysqlRows], postgresRows] = await Promise.all([
        db.mysql.query(`SELECT COALESCE(MAX(${q(table.key)}), 0) AS m FROM ${q(table.name)}`),
        db.postgres.query(`SELECT COALESCE(MAX(${qi(table.key)}), 0) AS m FROM ${qi(schema)}.${qi(table.name)}`),
    ]);
    return Math.max(Number((mysqlRows as { m: number }[])[0].m), Number(postgresRows.rows[0].m)) + 1;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function statementFor(side: Side, table: TableShape, schema: string, write: Write, id: number | string): Statement {
    const columns = table.own ? ["side", "seq", "payload", "amount", "updated_at"] : table.columns[side].map((column) => column.name);
    const values: unknown[] = table.own
        ? Object.values(ownRow(side, write.seq))
        : table.columns[side].map((column) => generatedValue(column, write.seq, side));
    const quote = side === "mysql" ? q : qi;
    const t = side === "mysql" ? q(table.name) : `${qi(schema)}.${qi(table.name)}`;
    const key = quote(table.key);
    const param = (n: number) => (side === "mysql" ? "?" : `$${n}`);
    // The own table's updated_at is the writing database's clock, not a parameter.
    const now = side === "mysql" ? "NOW(6)" : "localtimestamp";
    const expressions = (first: number) => {
        let n = first;
        return columns.map((column) => (table.own && column === "updated_at" ? now : param(n++)));
    };
    if (write.kind === "delete") return [`DELETE FROM ${t} WHERE ${key} = ${param(1)}`, [id]];
    if (write.kind === "insert") {
        return [
            `INSERT INTO ${t} (${[table.key, ...columns].map(quote).join(", ")}) VALUES (${param(1)}, ${expressions(2).join(", ")})`,
            [id, ...values],
        ];
    }
    const set = expressions(1);
    return [
        `UPDATE ${t} SET ${columns.map((column, i) => `${quote(column)} = ${set[i]}`).join(", ")} WHERE ${key} = ${param(values.length + 1)}`,
        [...values, id],
    ];
}

/**
 * Runs one write. With `retryForMs` > 0 a write that lost its connection is retried until it goes through or the
 * time is up, as an application rides out a database restart; an insert that meets its own row on a retry had
 * committed before the connection dropped. Returns whether it was retried.
 */
async function run(db: Databases, side: Side, [text, params]: Statement, retryForMs = 0): Promise<boolean> {
    const started = Date.now();
    let retried = false;
    for (;;) {
        try {
            if (side === "mysql") await db.mysql.query(text, params);
            else await db.postgres.query(text, params);
            return retried;
        } catch (error) {
            if (retried && isDuplicateKey(error) && text.startsWith("INSERT")) return true;
            if (!isConnectionLoss(error) || Date.now() - started >= retryForMs) {
                throw new Error(`${side}: ${(error as Error).message}\n  in: ${text}\n  with: ${JSON.stringify(params)}`, { cause: error });
            }
            retried = true;
            await sleep(500);
        }
    }
}

async function rowsOf(db: Databases, side: Side, text: string): Promise<Record<string, unknown>[]> {
    if (side === "mysql") return (await db.mysql.query(text))[0] as Record<string, unknown>[];
    return (await db.postgres.query(text)).rows;
}

/** Writes one side's plan with `writers` connections, paced to `rate` writes/s when given. */
async function writeSide(
    db: Databases,
    side: Side,
    writes: Write[],
    options: LoadtestOptions,
    idOf: (write: Write) => number | string,
    statement: (write: Write, id: number | string) => Statement,
    progress: Progress,
): Promise<{ seconds: number; retried: number }> {
    const direction = directionOf(side);
    const started = Date.now();
    let issued = 0;
    let retried = 0;
    const pace = async () => {
        if (!options.rate) return;
        const due = started + (issued++ * 1000) / options.rate;
        if (due > Date.now()) await sleep(due - Date.now());
    };
    await Promise.all(
        assignWriters(writes, options.concurrent).map(async (queue) => {
            for (const write of queue) {
                await pace();
                if (await run(db, side, statement(write, idOf(write)), options.retryWritesSeconds * 1000)) retried++;
                progress.advance(direction);
            }
        }),
    );
    return { seconds: (Date.now() - started) / 1000, retried };
}

async function topicEvents(bootstrapServers: string, access: KafkaAccess, topics: string[]): Promise<Record<string, number>> {
    const kafka = new Kafka({
        clientId: "tandem-loadtest",
        brokers: bootstrapServers.split(","),
        logLevel: logLevel.NOTHING,
        ...kafkajsAccess(access),
    });
    const admin = kafka.admin();
    await admin.connect();
    try {
        const existing = new Set(await admin.listTopics());
        const result: Record<string, number> = {};
        for (const topic of topics) {
            result[topic] = existing.has(topic) ? (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0) : 0;
        }
        return result;
    } finally {
        await admin.disconnect();
    }
}

async function versions(db: Databases, target: StackTarget, table: TableShape): Promise<Record<Side, Map<string, string>>> {
    const read = async (side: Side) => {
        const rows = await rowsOf(db, side, sql.versionsSql(side, target.postgres.schema, table.name, [table.key]));
        return new Map(rows.map((row) => [String(row.k), String(row.v)]));
    };
    const [mysqlRows, postgresRows] = await Promise.all([read("mysql"), read("postgres")]);
    return { mysql: mysqlRows, postgres: postgresRows };
}

async function waitConverged(db: Databases, target: StackTarget, table: TableShape, timeoutMs: number): Promise<number | null> {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
        const both = await versions(db, target, table);
        if (diffRows(both.mysql, both.postgres).count === 0) return Date.now() - started;
        await sleep(250);
    }
    return null;
}

/** The shape of a synced table given with --table: its single-column key and the columns both sides can take. */
export async function tableShape(target: StackTarget, name: string): Promise<TableShape> {
    const [mysqlFacts, postgresFacts] = await Promise.all([
        readMysql(mysqlAddress(target)),
        readPostgres({ ...target.postgres }, target.postgres.schema),
    ]);
    const find = (tables: TableDef[], side: Side) => {
        const table = tables.find((candidate) => candidate.name === name);
        if (!table) throw new Error(`table ${name} does not exist on the ${side} side`);
        if (table.primaryKey.length !== 1) throw new Error(`--table ${name}: the load test writes tables with a one-column primary key`);
        return table;
    };
    const onMysql = find(mysqlFacts.tables, "mysql");
    const onPostgres = find(postgresFacts.tables, "postgres");
    const key = onMysql.primaryKey[0];
    const nonKey = (table: TableDef) => ({ ...table, columns: table.columns.filter((column) => column.name !== key) });
    const mysqlColumns = writableColumns(nonKey(onMysql).columns, "mysql");
    const postgresColumns = writableColumns(nonKey(onPostgres).columns, "postgres");
    const unsupported = [...mysqlColumns.unsupported, ...postgresColumns.unsupported];
    if (unsupported.length > 0) throw new Error(`--table ${name}: no generated values for ${unsupported.join(", ")}`);
    const keyFamily = mysqlFamily(onMysql.columns.find((column) => column.name === key)!.type);
    if (keyFamily !== "integer" && keyFamily !== "text") throw new Error(`--table ${name}: the key ${key} must be an integer or a string`);
    return { name, key, columns: { mysql: mysqlColumns.columns, postgres: postgresColumns.columns }, keyKind: keyFamily, own: false };
}

/**
 * Each side's own keys against what its writes left: present on both sides when live (with the last write's
 * version on the own table, whose `seq` records it), absent when deleted. Shared keys have two writers: the
 * comparison of both sides covers them.
 */
async function checkAgainstPlan(
    db: Databases,
    schema: string,
    table: TableShape,
    sides: { side: Side; writes: Write[]; idOf: (write: Write) => number | string }[],
    both: Record<Side, Map<string, string>>,
): Promise<PlanCheck> {
    const check: PlanCheck = { lost: 0, resurrected: 0, staleVersions: 0, sample: [] };
    const note = (what: string) => {
        if (check.sample.length < 20) check.sample.push(what);
    };
    for (const { side, writes, idOf } of sides) {
        const expected = expectedOwnRows(writes);
        const id = (key: number) => String(idOf({ kind: "insert", key, shared: false, seq: 0 }));
        const seqs = new Map<string, number>();
        if (table.own && expected.live.size > 0) {
            const ids = [...expected.live.keys()].map(id);
            const rows = await rowsOf(db, side, sql.ownSeqsSql(side, schema, ids));
            for (const row of rows) seqs.set(String(row.id), Number(row.seq));
        }
        for (const [key, seq] of expected.live) {
            const k = id(key);
            if (!both.mysql.has(k) || !both.postgres.has(k)) {
                check.lost++;
                note(`${k} (${side}): written, not deleted, missing in ${both.mysql.has(k) ? "PostgreSQL" : "MySQL"}`);
            } else if (table.own && seqs.get(k) !== seq) {
                check.staleVersions++;
                note(`${k} (${side}): last write seq ${seq}, the table holds ${seqs.get(k)}`);
            }
        }
        for (const key of expected.deleted) {
            const k = id(key);
            if (both.mysql.has(k) || both.postgres.has(k)) {
                check.resurrected++;
                note(`${k} (${side}): deleted, present in ${both.mysql.has(k) ? "MySQL" : "PostgreSQL"}`);
            }
        }
    }
    return check;
}

export async function runLoadtest(
    target: StackTarget,
    table: TableShape,
    options: LoadtestOptions,
    progress: Progress,
): Promise<LoadtestResult> {
    const db: Databases = {
        mysql: mysql.createPool({
            ...mysqlDriverOptions(mysqlAddress(target)),
            connectionLimit: options.concurrent + 2,
            dateStrings: true,
        }),
        // Riding out a crash (--retry-writes) counts every acknowledged write: they must be durable, as with
        // PostgreSQL's default, even where the server commits asynchronously (the sandbox does, for speed).
        postgres: new PgPool({
            ...postgresDriverOptions(target.postgres),
            max: options.concurrent + 2,
            ...(options.retryWritesSeconds > 0 ? { options: "-c synchronous_commit=on" } : {}),
        }),
    };
    // An idle pooled connection that the server drops (a restart) is reported here; the next query opens a new one.
    db.postgres.on("error", () => undefined);
    const names = syncNames(target.prefix);
    const schema = target.postgres.schema;
    const mysqlArrivals = sql.mysqlArrivalSql(table.name, [table.key]);
    const postgresArrivals = sql.postgresArrivalSql(schema, table.name, [table.key]);
    const base = table.keyKind === "integer" && !table.own ? await nextIntegerKey(db, schema, table) : keyBase(Date.now());
    const idOf = (side: Side) => (write: Write) => {
        const number = keyOf(write, side, base, options.records);
        return table.keyKind === "integer" ? number : `lt${number}`;
    };
    try {
        progress.phase("arrival log: triggers in both databases");
        for (const statement of mysqlArrivals.setup) await db.mysql.query(statement);
        for (const statement of postgresArrivals.setup) await db.postgres.query(statement);

        const sides = options.directions.map((direction) => (direction === "mysql-to-postgres" ? "mysql" : "postgres") as Side);
        const plans = Object.fromEntries(
            sides.map((side) => [side, planSide(side, options.records, options.mix, options.conflicts, 0x7a11d)]),
        );
        const shared = sharedKeyCount(options.records, options.conflicts);
        if (shared > 0) {
            progress.phase(`seeding ${shared} shared keys from MySQL for the conflicts`);
            for (let key = 0; key < shared; key++) {
                const write: Write = { kind: "insert", key, shared: true, seq: -1 - key };
                await run(db, "mysql", statementFor("mysql", table, schema, write, idOf("mysql")(write)));
            }
            if ((await waitConverged(db, target, table, options.convergeTimeoutSeconds * 1000)) === null) {
                throw new Error(
                    `the ${shared} seeded rows did not reach PostgreSQL within ${options.convergeTimeoutSeconds} s: is the stack running?`,
                );
            }
        }

        const topics = Object.fromEntries(
            options.directions.map((direction) => {
                const namespace = direction === "mysql-to-postgres" ? target.mysql.database : schema;
                return [direction, syncTopics(target.prefix, direction, namespace, [table.name]).rows[0]];
            }),
        ) as Record<Direction, string>;
        const countConflicts = async () => {
            const [[mysqlRows], postgresRows] = await Promise.all([
                db.mysql.query(sql.conflictCountSql("mysql", schema, names.conflictsTable, table.name)),
                db.postgres.query(sql.conflictCountSql("postgres", schema, names.conflictsTable, table.name)),
            ]);
            return { mysql: Number((mysqlRows as { n: number }[])[0].n), postgres: Number(postgresRows.rows[0].n) };
        };
        const eventsBefore = await topicEvents(target.kafkaBootstrapServers, target.kafkaAccess, Object.values(topics));
        const conflictsBefore = await countConflicts();

        for (const side of sides) progress.start(directionOf(side), plans[side].writes.length);
        const written = Object.fromEntries(
            await Promise.all(
                sides.map(async (side) => {
                    const outcome = await writeSide(
                        db,
                        side,
                        plans[side].writes,
                        options,
                        idOf(side),
                        (write, id) => statementFor(side, table, schema, write, id),
                        progress,
                    );
                    return [side, outcome] as const;
                }),
            ),
        ) as Record<Side, { seconds: number; retried: number }>;
        progress.phase("waiting for both sides to converge");
        const convergedAfterMs = await waitConverged(db, target, table, options.convergeTimeoutSeconds * 1000);
        // Events still in flight when the sides did not converge are counted as they stand.
        await sleep(convergedAfterMs === null ? 0 : 1000);
        const eventsAfter = await topicEvents(target.kafkaBootstrapServers, target.kafkaAccess, Object.values(topics));
        const conflictsAfter = await countConflicts();

        const directions: Partial<Record<Direction, DirectionResult>> = {};
        for (const side of sides) {
            const direction = directionOf(side);
            const receiving: Side = side === "mysql" ? "postgres" : "mysql";
            const latencies = (await rowsOf(db, receiving, sql.arrivalLatencySql(receiving, schema))).map(
                (row) => Number(row.latency) / 1000,
            );
            const writes = countKinds(plans[side].writes);
            const events = eventsAfter[topics[direction]] - eventsBefore[topics[direction]];
            directions[direction] = {
                writes,
                writeSeconds: written[side].seconds,
                throughput: plans[side].writes.length / Math.max(written[side].seconds, 0.001),
                latencyMs: summarizeLatencies(latencies),
                events,
                echoes: Math.max(0, events - plans[side].writes.length),
                retriedWrites: written[side].retried,
            };
        }
        const both = await versions(db, target, table);
        let differences = diffRows(both.mysql, both.postgres);
        if (table.own && differences.count === 0) {
            const rendered = async (side: Side) =>
                new Map((await rowsOf(db, side, sql.ownRowsSql(side, schema))).map((row) => [String(row.r).split("|")[0], String(row.r)]));
            const [mysqlRows, postgresRows] = await Promise.all([rendered("mysql"), rendered("postgres")]);
            differences = diffRows(mysqlRows, postgresRows);
        }
        const planCheck = await checkAgainstPlan(
            db,
            schema,
            table,
            sides.map((side) => ({ side, writes: plans[side].writes, idOf: idOf(side) })),
            both,
        );
        return {
            stack: target.stack,
            table: table.name,
            options,
            directions,
            convergedAfterMs,
            conflictsRecorded: {
                mysql: conflictsAfter.mysql - conflictsBefore.mysql,
                postgres: conflictsAfter.postgres - conflictsBefore.postgres,
            },
            rows: { mysql: both.mysql.size, postgres: both.postgres.size },
            differences,
            planCheck,
            ok:
                convergedAfterMs !== null &&
                differences.count === 0 &&
                planCheck.lost + planCheck.resurrected + planCheck.staleVersions === 0,
        };
    } finally {
        progress.stop();
        for (const statement of mysqlArrivals.teardown) await db.mysql.query(statement).catch(() => undefined);
        for (const statement of postgresArrivals.teardown) await db.postgres.query(statement).catch(() => undefined);
        await Promise.all([db.mysql.end(), db.postgres.end()]);
    }
}
