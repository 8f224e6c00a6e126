// Test support for the legacy-schema suites: create a corpus on both sides, run each side's writes, compare
// the tables as each database renders them, and read the quarantine.
import { Client as PgClient } from "pg";
import mysql from "mysql2/promise";
import { readQuarantine, QuarantinedRecord } from "../../ops/quarantine";
import { CorpusTable } from "./legacyCorpus";
import { normalizeRows, RenderedColumn, selectList } from "./render";
import { eventually, Sandbox } from "./sandbox";

const q = (name: string) => `\`${name.replace(/`/g, "``")}\``;
const qi = (name: string) => `"${name.replace(/"/g, '""')}"`;
const BOOKKEEPING: RenderedColumn[] = [
    { name: "_tandem_origin", kind: "text" },
    { name: "_tandem_version", kind: "text" },
];

/** A MariaDB session as a legacy PHP app opens it: server defaults (zero dates allowed), UTC. */
export async function mysqlSession(sandbox: Sandbox): Promise<mysql.Connection> {
    const db = await mysql.createConnection({ ...sandbox.mariadb, multipleStatements: false, charset: "utf8mb4" });
    await db.query("SET time_zone = '+00:00'");
    return db;
}

export async function pgSession(sandbox: Sandbox): Promise<PgClient> {
    const db = new PgClient(sandbox.postgres);
    await db.connect();
    await db.query("SET TIME ZONE 'UTC'");
    return db;
}

export async function createCorpus(
    sandbox: Sandbox,
    tables: { name: string; mysql: string; postgres: string; mysqlOptions?: string }[],
    prelude: string[],
): Promise<void> {
    const my = await mysqlSession(sandbox);
    const pg = await pgSession(sandbox);
    try {
        for (const statement of prelude) await pg.query(statement);
        for (const table of tables) {
            await my.query(`DROP TABLE IF EXISTS ${q(table.name)}`);
            await my.query(`CREATE TABLE ${q(table.name)} (${table.mysql}) ${table.mysqlOptions ?? "DEFAULT CHARSET=utf8mb4"}`);
            await pg.query(`DROP TABLE IF EXISTS ${qi(table.name)} CASCADE`);
            await pg.query(`CREATE TABLE ${qi(table.name)} (${table.postgres})`);
        }
    } finally {
        await my.end();
        await pg.end();
    }
}

export async function dropCorpus(sandbox: Sandbox, names: string[], postgresTail: string[] = []): Promise<void> {
    const my = await mysqlSession(sandbox).catch(() => undefined);
    const pg = await pgSession(sandbox).catch(() => undefined);
    try {
        await my?.query("SET foreign_key_checks = 0");
        for (const name of names) {
            await my?.query(`DROP TABLE IF EXISTS ${q(name)}`).catch(() => undefined);
            await pg?.query(`DROP TABLE IF EXISTS ${qi(name)} CASCADE`).catch(() => undefined);
        }
        for (const statement of postgresTail) await pg?.query(statement).catch(() => undefined);
    } finally {
        await my?.end();
        await pg?.end();
    }
}

/** Each side's statements, in order per side, both sides at once (the applications write concurrently). */
export async function runWrites(sandbox: Sandbox, writes: { mysql: string[]; postgres: string[] }): Promise<void> {
    const my = await mysqlSession(sandbox);
    const pg = await pgSession(sandbox);
    try {
        await Promise.all([
            (async () => {
                for (const statement of writes.mysql)
                    await my.query(statement).catch((e: Error) => {
                        throw new Error(`MariaDB: ${e.message}\n  in: ${statement.slice(0, 300)}`);
                    });
            })(),
            (async () => {
                for (const statement of writes.postgres)
                    await pg.query(statement).catch((e: Error) => {
                        throw new Error(`PostgreSQL: ${e.message}\n  in: ${statement.slice(0, 300)}`);
                    });
            })(),
        ]);
    } finally {
        await my.end();
        await pg.end();
    }
}

type Row = (string | null)[];

/** A table's rows on each side, rendered, normalized and sorted by key (collations sort differently). */
export async function renderTable(sandbox: Sandbox, table: CorpusTable): Promise<{ mysql: Row[]; postgres: Row[] }> {
    const columns = [...table.columns, ...BOOKKEEPING];
    const sort = (rows: Row[]) =>
        rows.sort((a, b) => (JSON.stringify(a.slice(0, table.key.length)) < JSON.stringify(b.slice(0, table.key.length)) ? -1 : 1));
    const my = await mysqlSession(sandbox);
    const pg = await pgSession(sandbox);
    try {
        const [mine] = await my.query(`SELECT ${selectList(columns, "mysql")} FROM ${q(table.name)}`);
        const theirs = await pg.query(`SELECT ${selectList(columns, "postgres")} FROM ${qi(table.name)}`);
        return {
            mysql: sort(normalizeRows(columns, mine as Record<string, unknown>[])),
            postgres: sort(normalizeRows(columns, theirs.rows)),
        };
    } finally {
        await my.end();
        await pg.end();
    }
}

/** Rows whose key is one of `excluded` (quarantined rows: on one side only, by design). */
function without(rows: Row[], keyLength: number, excluded: string[][]): Row[] {
    return rows.filter((row) => !excluded.some((key) => JSON.stringify(row.slice(0, keyLength)) === JSON.stringify(key)));
}

/** Which keys are on one side only, and which columns differ, for a failure message. */
function describeDifference(table: CorpusTable, mine: Row[], theirs: Row[]): string {
    const names = [...table.columns, ...BOOKKEEPING].map((column) => column.name);
    const keyOf = (row: Row) => JSON.stringify(row.slice(0, table.key.length));
    const other = new Map(theirs.map((row) => [keyOf(row), row]));
    const notes: string[] = [];
    for (const row of mine) {
        const peer = other.get(keyOf(row));
        other.delete(keyOf(row));
        if (!peer) {
            notes.push(`key ${keyOf(row)} only in MariaDB`);
            continue;
        }
        row.forEach((value, index) => {
            if (value !== peer[index])
                notes.push(
                    `key ${keyOf(row)} ${names[index]}: MariaDB ${JSON.stringify(value)?.slice(0, 120)} vs PostgreSQL ${JSON.stringify(peer[index])?.slice(0, 120)}`,
                );
        });
    }
    for (const key of other.keys()) notes.push(`key ${key} only in PostgreSQL`);
    return notes.slice(0, 8).join("; ");
}

/** Waits until every table holds the same rows on both sides, quarantined keys aside; fails with the differences. */
export async function waitCorpusConverged(
    sandbox: Sandbox,
    tables: CorpusTable[],
    excluded: (table: CorpusTable) => string[][],
    timeoutMs: number,
): Promise<void> {
    let differences: string[] = [];
    try {
        await eventually("every table identical on both sides", timeoutMs, async () => {
            differences = [];
            for (const table of tables) {
                const rows = await renderTable(sandbox, table);
                const mine = without(rows.mysql, table.key.length, excluded(table));
                const theirs = without(rows.postgres, table.key.length, excluded(table));
                if (JSON.stringify(mine) !== JSON.stringify(theirs))
                    differences.push(`${table.name}: ${describeDifference(table, mine, theirs)}`);
            }
            return differences.length === 0 ? true : undefined;
        });
    } catch (error) {
        throw new Error(`${(error as Error).message}\n  ${differences.join("\n  ")}`, { cause: error });
    }
}

/** The key values of a quarantined record, as text, from its JSON key (schema + payload). */
export function quarantinedKey(record: QuarantinedRecord): string[] {
    if (!record.key) return [];
    const payload = (JSON.parse(record.key) as { payload?: Record<string, unknown> }).payload ?? {};
    return Object.values(payload).map((value) => String(value));
}

export async function quarantineOf(sandbox: Sandbox, prefix: string): Promise<QuarantinedRecord[]> {
    return readQuarantine({
        bootstrapServers: sandbox.kafkaBootstrap,
        deadLetterTopics: {
            "mysql-to-postgres": `${prefix}.dlq.mysql-to-postgres`,
            "postgres-to-mysql": `${prefix}.dlq.postgres-to-mysql`,
        },
    });
}
