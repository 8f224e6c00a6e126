// Test support: addresses and clients of the running sandbox (sandbox/sandbox.sh writes sandbox.env).
import * as fs from "fs";
import * as path from "path";
import mysql from "mysql2/promise";
import { Client as PgClient } from "pg";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

export interface Sandbox {
    mariadb: { host: string; port: number; user: string; password: string; database: string };
    postgres: { host: string; port: number; user: string; password: string; database: string };
    kafkaBootstrap: string;
    connectUrl: string;
    /** A second Connect cluster on the same Kafka (`sandbox.sh up connect-b`; its address is known before it runs). */
    connectBUrl?: string;
    connectSecretsDir: string;
    /** The sandbox's CA (PEM): its databases offer TLS on it, and require it after `sandbox.sh tls-required on`. */
    tlsCa?: string;
    /** Kafka's secured listener (SCRAM-SHA-512 over TLS, ACLs), its principals, and the Connect worker using it. */
    kafkaSecure?: {
        bootstrap: string;
        ca: string;
        admin: { user: string; password: string };
        connect: { user: string; password: string };
        outsider: { user: string; password: string };
        connectUrl: string;
    };
}

export function stateDir(): string {
    return process.env.TANDEM_STATE_DIR ?? path.join(REPO_ROOT, ".sandbox");
}

/** Reads sandbox.env; fails with the command to run when the sandbox was never started. */
export function readSandbox(): Sandbox {
    const file = path.join(stateDir(), "sandbox.env");
    if (!fs.existsSync(file)) {
        throw new Error(`${file} is missing: start the sandbox first (sandbox/sandbox.sh up)`);
    }
    const env: Record<string, string> = {};
    for (const line of fs.readFileSync(file, "utf8").split("\n")) {
        const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
        if (match) env[match[1]] = match[2].replace(/^"(.*)"$/, "$1");
    }
    const need = (key: string) => {
        if (!env[key]) throw new Error(`${file} has no ${key}`);
        return env[key];
    };
    return {
        mariadb: {
            host: need("TANDEM_MARIADB_HOST"),
            port: Number(need("TANDEM_MARIADB_PORT")),
            user: need("TANDEM_MARIADB_USER"),
            password: need("TANDEM_MARIADB_PASSWORD"),
            database: need("TANDEM_MARIADB_DATABASE"),
        },
        postgres: {
            host: need("TANDEM_POSTGRES_HOST"),
            port: Number(need("TANDEM_POSTGRES_PORT")),
            user: need("TANDEM_POSTGRES_USER"),
            password: need("TANDEM_POSTGRES_PASSWORD"),
            database: need("TANDEM_POSTGRES_DATABASE"),
        },
        kafkaBootstrap: need("TANDEM_KAFKA_BOOTSTRAP"),
        connectUrl: need("TANDEM_CONNECT_URL"),
        ...(env.TANDEM_CONNECT_B_URL ? { connectBUrl: env.TANDEM_CONNECT_B_URL } : {}),
        connectSecretsDir: need("TANDEM_CONNECT_SECRETS_DIR"),
        ...(env.TANDEM_KAFKA_SECURE_BOOTSTRAP && env.TANDEM_KAFKA_TLS_CA && fs.existsSync(env.TANDEM_KAFKA_TLS_CA)
            ? {
                  kafkaSecure: {
                      bootstrap: env.TANDEM_KAFKA_SECURE_BOOTSTRAP,
                      ca: fs.readFileSync(env.TANDEM_KAFKA_TLS_CA, "utf8"),
                      admin: { user: need("TANDEM_KAFKA_ADMIN_USER"), password: need("TANDEM_KAFKA_ADMIN_PASSWORD") },
                      connect: { user: need("TANDEM_KAFKA_CONNECT_USER"), password: need("TANDEM_KAFKA_CONNECT_PASSWORD") },
                      outsider: { user: need("TANDEM_KAFKA_OUTSIDER_USER"), password: need("TANDEM_KAFKA_OUTSIDER_PASSWORD") },
                      connectUrl: need("TANDEM_CONNECT_SECURE_URL"),
                  },
              }
            : {}),
        ...(env.TANDEM_DATABASE_TLS_CA && fs.existsSync(env.TANDEM_DATABASE_TLS_CA)
            ? { tlsCa: fs.readFileSync(env.TANDEM_DATABASE_TLS_CA, "utf8") }
            : {}),
    };
}

export async function mariadbConnection(sandbox: Sandbox): Promise<mysql.Connection> {
    // Over TLS when the sandbox offers it, so that suites run the same whether plaintext is refused or not.
    return mysql.createConnection({
        ...sandbox.mariadb,
        multipleStatements: false,
        ...(sandbox.tlsCa ? { ssl: { ca: sandbox.tlsCa } } : {}),
    });
}

export async function postgresClient(sandbox: Sandbox): Promise<PgClient> {
    const client = new PgClient({ ...sandbox.postgres, ...(sandbox.tlsCa ? { ssl: { ca: sandbox.tlsCa } } : {}) });
    await client.connect();
    return client;
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
        try {
            const value = await probe();
            if (value !== undefined) return value;
        } catch (error) {
            lastError = error;
        }
        if (Date.now() > deadline) {
            throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
    }
}
