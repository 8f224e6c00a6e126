// Test support for the bidirectional e2e suites: a stack of this project on the sandbox, SQL on both sides,
// topic offsets, and convergence checks.
import * as assert from "node:assert/strict";
import axios from "axios";
import { Kafka, logLevel } from "kafkajs";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { eventually, mariadbConnection, postgresClient, REPO_ROOT, Sandbox } from "./sandbox";

export async function mysqlQuery<T = Record<string, unknown>>(sandbox: Sandbox, sql: string, params: unknown[] = []): Promise<T[]> {
    const db = await mariadbConnection(sandbox);
    try {
        const [rows] = await db.query(sql, params);
        return rows as T[];
    } finally {
        await db.end();
    }
}

export async function postgresQuery<T = Record<string, unknown>>(sandbox: Sandbox, sql: string, params: unknown[] = []): Promise<T[]> {
    const db = await postgresClient(sandbox);
    try {
        return (await db.query(sql, params)).rows as T[];
    } finally {
        await db.end();
    }
}

/** A stack of this project for one suite, with its own prefix (its name too, unless given), tables and server id. */
export async function syncStack(
    sandbox: Sandbox,
    prefix: string,
    tables: string[],
    extra: Record<string, string | string[]> = {},
    stackName = prefix,
): Promise<Stack> {
    const stack = await LocalWorkspace.createOrSelectStack({ stackName, workDir: REPO_ROOT });
    await stack.setAllConfig({
        "tandem:environment": { value: "local" },
        "tandem:connectUrl": { value: sandbox.connectUrl },
        "tandem:kafkaBootstrapServers": { value: sandbox.kafkaBootstrap },
        "tandem:connectSecretsDir": { value: sandbox.connectSecretsDir },
        "tandem:topicPrefix": { value: prefix },
        "tandem:mysqlHost": { value: sandbox.mariadb.host },
        "tandem:mysqlPort": { value: String(sandbox.mariadb.port) },
        "tandem:mysqlDatabase": { value: sandbox.mariadb.database },
        "tandem:mysqlUser": { value: sandbox.mariadb.user },
        "tandem:mysqlPassword": { value: sandbox.mariadb.password, secret: true },
        "tandem:mysqlServerId": { value: String(200000 + Math.floor(Math.random() * 100000)) },
        "tandem:postgresHost": { value: sandbox.postgres.host },
        "tandem:postgresPort": { value: String(sandbox.postgres.port) },
        "tandem:postgresDatabase": { value: sandbox.postgres.database },
        "tandem:postgresUser": { value: sandbox.postgres.user },
        "tandem:postgresPassword": { value: sandbox.postgres.password, secret: true },
        // A short settle window: the suites that prove the window (connector.test.ts) use the default.
        "tandem:connectorSettleSeconds": { value: "3" },
        // The local stack's monitor holds port 8084; suites that test the monitor turn theirs on, on a port of their own.
        "tandem:healthMonitor": { value: "false" },
        ...Object.fromEntries(
            Object.entries(extra)
                .filter(([, value]) => !Array.isArray(value))
                .map(([key, value]) => [key, { value: value as string }]),
        ),
    });
    await setListConfig(stack, "tandem:tables", tables);
    for (const [key, value] of Object.entries(extra)) if (Array.isArray(value)) await setListConfig(stack, key, value);
    return stack;
}

/** Replaces a list-valued config key (`tandem:tables` …) with `values`. */
export async function setListConfig(stack: Stack, key: string, values: string[]): Promise<void> {
    await stack.removeConfig(key).catch(() => undefined);
    for (const [index, value] of values.entries()) await stack.setConfig(`${key}[${index}]`, { value }, true);
}

/** Removes the stack and what it left in the databases (teardown on), plus the suite's tables. */
export async function removeSyncStack(sandbox: Sandbox, stack: Stack | undefined, tables: string[]): Promise<void> {
    if (stack) {
        await stack.setConfig("tandem:teardownOnDestroy", { value: "true" }).catch(() => undefined);
        await stack.up({ onOutput: () => undefined }).catch(() => undefined);
        // A destroy can fail once on a busy worker (a connector delete racing a rebalance): tried again, and
        // a stack that still holds resources is reported and kept (removing it would orphan them).
        let destroyed = false;
        for (let attempt = 1; attempt <= 2 && !destroyed; attempt++) {
            destroyed = await stack
                .destroy({ onOutput: () => undefined })
                .then(() => true)
                .catch((error: Error) => {
                    process.stderr.write(`destroy of stack ${stack.name}, attempt ${attempt}, failed: ${error.message.slice(-2000)}\n`);
                    return false;
                });
        }
        if (destroyed) await stack.workspace.removeStack(stack.name).catch(() => undefined);
    }
    for (const table of tables) {
        await mysqlQuery(sandbox, `DROP TABLE IF EXISTS \`${table}\``).catch(() => undefined);
        await postgresQuery(sandbox, `DROP TABLE IF EXISTS public."${table}"`).catch(() => undefined);
    }
}

export async function setConnectorsPaused(sandbox: Sandbox, names: string[], paused: boolean): Promise<void> {
    for (const name of names) {
        await axios.put(`${sandbox.connectUrl}/connectors/${name}/${paused ? "pause" : "resume"}`, null, {
            headers: { "Content-Type": "application/json" },
        });
    }
    await eventually(`${names.join(", ")} ${paused ? "paused" : "running"}`, 60_000, async () => {
        for (const name of names) {
            const status = (await axios.get(`${sandbox.connectUrl}/connectors/${name}/status`)).data;
            const want = paused ? "PAUSED" : "RUNNING";
            if (status.connector.state !== want || !status.tasks.every((task: { state: string }) => task.state === want)) return undefined;
        }
        return true;
    });
}

/** Sum of end offsets of each topic (0 for a topic not created yet). */
export async function topicEndOffsets(sandbox: Sandbox, topics: string[]): Promise<Record<string, number>> {
    const kafka = new Kafka({ clientId: "tandem-tests", brokers: [sandbox.kafkaBootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
        const existing = await admin.listTopics();
        const result: Record<string, number> = {};
        for (const topic of topics) {
            result[topic] = existing.includes(topic)
                ? (await admin.fetchTopicOffsets(topic)).reduce((sum, partition) => sum + Number(partition.high), 0)
                : 0;
        }
        return result;
    } finally {
        await admin.disconnect();
    }
}

function canonical(rows: Record<string, unknown>[]): string {
    const normalize = (value: unknown): unknown => {
        if (value === null || value === undefined) return null;
        if (value instanceof Date) return value.toISOString();
        if (Buffer.isBuffer(value)) return value.toString("hex");
        if (typeof value === "bigint") return value.toString();
        if (typeof value === "number" || typeof value === "boolean") return String(value);
        if (typeof value === "object") return JSON.stringify(value);
        return String(value);
    };
    return JSON.stringify(rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, normalize(value)]))));
}

/**
 * Waits until a table holds the same rows on both sides. `columns` are compared as text computed by each
 * database (`CAST(... AS CHAR)` / `::text`), so formatting differences of the drivers do not count.
 */
export async function waitConverged(
    sandbox: Sandbox,
    table: string,
    columns: string[],
    timeoutMs = 60_000,
): Promise<Record<string, unknown>[]> {
    const mysqlSql = `SELECT ${columns.map((c) => `CAST(\`${c}\` AS CHAR) AS \`${c}\``).join(", ")} FROM \`${table}\` ORDER BY id`;
    const postgresSql = `SELECT ${columns.map((c) => `"${c}"::text AS "${c}"`).join(", ")} FROM public."${table}" ORDER BY id`;
    let last = "";
    try {
        return await eventually(`${table} identical on both sides`, timeoutMs, async () => {
            const [mine, theirs] = await Promise.all([mysqlQuery(sandbox, mysqlSql), postgresQuery(sandbox, postgresSql)]);
            last = `MariaDB ${canonical(mine)}\nPostgreSQL ${canonical(theirs)}`;
            return canonical(mine) === canonical(theirs) ? mine : undefined;
        });
    } catch (error) {
        assert.fail(`${(error as Error).message}\n${last}`);
    }
}
