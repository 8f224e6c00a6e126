// The dynamic provider behind SqlObjects: runs idempotent SQL on MySQL/MariaDB (mysql2) or PostgreSQL (pg).
// Serialized into Pulumi's state: packages are required inside functions.
import type * as pulumi from "@pulumi/pulumi";
import { DatabaseTls, mysqlDriverOptions, postgresDriverOptions } from "../core/databaseTls";
import { UNKNOWN } from "../core/unknown";
import { Side } from "../core/vocabulary";

/** The engine a connection talks to: the sides are named after their engines. */
export type Engine = Side;

export interface Connection {
    host: string;
    port: number;
    user: string;
    password: string;
    database: string;
    /** TLS of the connection (tandem:mysqlTls / tandem:postgresTls); absent: the driver's default. */
    tls?: DatabaseTls;
}

export interface SqlObjectsInputs {
    engine: Engine;
    connection: Connection;
    /** What the objects are, for humans reading a preview. */
    description: string;
    /** Idempotent statements run on create and on every update, in order. `{{secret:name}}` → `secrets[name]`. */
    apply: string[];
    /** Statements undoing `apply`, run on delete when `teardownOnDelete` is true. */
    teardown: string[];
    teardownOnDelete: boolean;
    secrets?: Record<string, string>;
}

/**
 * `{{secret:name}}`, or the password in the form the server stores, so that no plaintext password reaches the
 * server's logs: `{{secret:name:mysql-native-hash}}` (`*` + SHA1(SHA1(password)) in hex; MariaDB writes account
 * statements to the binlog as they are, which every replica and the CDC reader receive) and
 * `{{secret:name:postgres-scram}}` (a SCRAM-SHA-256 verifier, as `psql`'s `\password` sends it; PostgreSQL logs
 * statements under `log_statement = ddl` and keeps utility statements' text in pg_stat_statements).
 */
const PLACEHOLDER = /\{\{secret:([A-Za-z0-9_.-]+)(?::(mysql-native-hash|postgres-scram))?\}\}/g;

/** Replaces secret placeholders with escaped literals of the engine. */
export function bindSecrets(statement: string, secrets: Record<string, string>, escape: (value: string) => string): string {
    return statement.replace(PLACEHOLDER, (_match, name: string, transform: string | undefined) => {
        if (!(name in secrets)) throw new Error(`statement uses {{secret:${name}}}, which is not given`);
        if (transform === "postgres-scram") return escape(postgresScramVerifier(secrets[name]));
        if (transform !== "mysql-native-hash") return escape(secrets[name]);
        // Required here: the provider is serialized into the state, imports are not.
        const { createHash }: typeof import("crypto") = require("crypto");
        const stage1 = createHash("sha1").update(secrets[name], "utf8").digest();
        return escape(`*${createHash("sha1").update(stage1).digest("hex").toUpperCase()}`);
    });
}

/**
 * PostgreSQL's stored form of a SCRAM-SHA-256 password (RFC 5802/7677, 4096 iterations like the server's own):
 * `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`. Printable ASCII only, which SASLprep leaves as is
 * (the stack's generated passwords are); the salt is random unless given (tests).
 */
export function postgresScramVerifier(password: string, salt?: Buffer): string {
    if (!/^[\x20-\x7e]*$/.test(password)) throw new Error("a SCRAM verifier is computed here for printable ASCII passwords only");
    const crypto: typeof import("crypto") = require("crypto");
    const iterations = 4096;
    const saltBytes = salt ?? crypto.randomBytes(16);
    const salted = crypto.pbkdf2Sync(Buffer.from(password, "utf8"), saltBytes, iterations, 32, "sha256");
    const clientKey = crypto.createHmac("sha256", salted).update("Client Key").digest();
    const storedKey = crypto.createHash("sha256").update(clientKey).digest();
    const serverKey = crypto.createHmac("sha256", salted).update("Server Key").digest();
    return `SCRAM-SHA-256$${iterations}:${saltBytes.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}

/** The parts of a mysql2 connection that runStatements uses. */
export interface MysqlSession {
    query(sql: string): Promise<unknown>;
    escape(value: string): string;
    end(): Promise<void>;
}

/** The parts of a connected pg client that runStatements uses. */
export interface PostgresSession {
    query(sql: string): Promise<unknown>;
    escapeLiteral(value: string): string;
    end(): Promise<void>;
}

/** Opens a session on each engine: the real drivers, or fakes in unit tests (no database there). */
export interface SessionOpeners {
    mysql(connection: Connection): Promise<MysqlSession>;
    postgres(connection: Connection): Promise<PostgresSession>;
}

export const databaseDrivers: SessionOpeners = {
    async mysql(connection) {
        const mysql: typeof import("mysql2/promise") = require("mysql2/promise");
        return mysql.createConnection({ ...mysqlDriverOptions(connection), multipleStatements: false });
    },
    async postgres(connection) {
        const pg: typeof import("pg") = require("pg");
        const db = new pg.Client(postgresDriverOptions(connection));
        // Our statements' own notices (`tandem: …`, e.g. what a teardown handed over) reach the update's output.
        db.on("notice", (notice) => {
            if (notice.message?.startsWith("tandem: ")) process.stderr.write(`${notice.message}\n`);
        });
        await db.connect();
        return db;
    },
};

export async function runStatements(
    engine: Engine,
    connection: Connection,
    statements: string[],
    secrets: Record<string, string> = {},
    open: SessionOpeners = databaseDrivers,
): Promise<void> {
    if (statements.length === 0) return;
    if (engine === "mysql") {
        const db = await open.mysql(connection);
        try {
            // Triggers keep the sql_mode they were created with: make it the same on every server (strict, so a
            // value that does not fit is an error; zero dates allowed, so the sync can restore them).
            await db.query("SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'");
            for (const statement of statements) {
                const tolerated = (/^\/\* tandem:tolerate ([\d,]+) \*\//.exec(statement)?.[1] ?? "").split(",").map(Number);
                await db.query(bindSecrets(statement, secrets, (value) => db.escape(value))).catch((error: Error & { errno?: number }) => {
                    if (error.errno !== undefined && tolerated.includes(error.errno)) return;
                    throw new Error(`${error.message}\n  in: ${statement.split("\n")[0].slice(0, 200)}`);
                });
            }
        } finally {
            await db.end();
        }
    } else {
        const db = await open.postgres(connection);
        try {
            for (const statement of statements) {
                await db.query(bindSecrets(statement, secrets, (value) => db.escapeLiteral(value))).catch((error: Error) => {
                    throw new Error(`${error.message}\n  in: ${statement.split("\n")[0].slice(0, 200)}`);
                });
            }
        } finally {
            await db.end();
        }
    }
}

function same(a: unknown, b: unknown): boolean {
    return JSON.stringify(a) === JSON.stringify(b);
}

/** The provider, its sessions opened by `open`. */
export function sqlObjectsProviderWith(open: SessionOpeners): pulumi.dynamic.ResourceProvider<SqlObjectsInputs, SqlObjectsInputs> {
    return {
        async check(_olds, news) {
            const failures: { property: string; reason: string }[] = [];
            if (news.engine !== "mysql" && news.engine !== "postgres")
                failures.push({ property: "engine", reason: "must be mysql or postgres" });
            const secrets = (news.secrets as unknown) === UNKNOWN ? undefined : (news.secrets ?? {});
            for (const [index, statement] of (Array.isArray(news.apply) ? news.apply : []).entries()) {
                for (const match of statement.matchAll(PLACEHOLDER)) {
                    if (secrets && !(match[1] in secrets))
                        failures.push({ property: `apply[${index}]`, reason: `uses {{secret:${match[1]}}}, which is not given` });
                }
            }
            return { inputs: news, failures };
        },

        async diff(_id, olds, news) {
            const replaces =
                olds.engine !== news.engine ||
                olds.connection.host !== news.connection.host ||
                olds.connection.port !== news.connection.port ||
                olds.connection.database !== news.connection.database
                    ? ["connection"]
                    : [];
            const changes =
                replaces.length > 0 ||
                !same(olds.apply, news.apply) ||
                !same(olds.teardown, news.teardown) ||
                olds.teardownOnDelete !== news.teardownOnDelete ||
                !same(olds.secrets, news.secrets) ||
                !same(olds.connection, news.connection);
            return { changes, replaces, deleteBeforeReplace: false };
        },

        async create(inputs) {
            await runStatements(inputs.engine, inputs.connection, inputs.apply, inputs.secrets, open);
            const crypto: typeof import("crypto") = require("crypto");
            return { id: crypto.randomUUID(), outs: inputs };
        },

        async update(_id, _olds, news) {
            await runStatements(news.engine, news.connection, news.apply, news.secrets, open);
            return { outs: news };
        },

        async delete(_id, props) {
            if (props.teardownOnDelete) await runStatements(props.engine, props.connection, props.teardown, props.secrets, open);
        },
    };
}

export const sqlObjectsProvider = sqlObjectsProviderWith(databaseDrivers);
