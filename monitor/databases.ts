// Effects: the monitor's connections. Small pools, every connection attempt and statement bounded by the
// probe timeout, and errors of idle connections swallowed: a database going away makes probes fail (and
// `tandem_probe_up` 0), never the process.
import mysql from "mysql2/promise";
import { Pool } from "pg";
import { mysqlClientSsl, postgresClientSsl } from "../core/databaseTls";
import { MonitorSecrets, MonitorSettings } from "../core/monitorSettings";

export interface MonitorDatabases {
    mysql: mysql.Pool;
    postgres: Pool;
    /** Runs a MySQL query with the probe timeout. */
    mysqlQuery<T = Record<string, unknown>>(sql: string): Promise<T[]>;
    postgresQuery<T = Record<string, unknown>>(sql: string): Promise<T[]>;
    close(): Promise<void>;
}

export function openDatabases(settings: MonitorSettings, secrets: MonitorSecrets): MonitorDatabases {
    const timeoutMs = settings.probeTimeoutSeconds * 1000;
    const my = mysql.createPool({
        ...mysqlClientSsl(settings.mysql.tls),
        host: settings.mysql.host,
        port: settings.mysql.port,
        user: settings.mysql.user,
        password: secrets.mysqlPassword,
        database: settings.mysql.database,
        connectionLimit: 2,
        connectTimeout: timeoutMs,
        // Numbers as numbers (µs timestamps fit a double exactly for centuries), strings for larger ones.
        supportBigNumbers: true,
        timezone: "Z",
    });
    // A pool's idle connection that breaks reports it here; the next query opens another.
    (my as unknown as { pool: NodeJS.EventEmitter }).pool.on("error", () => undefined);
    const pg = new Pool({
        ...postgresClientSsl(settings.postgres.tls),
        host: settings.postgres.host,
        port: settings.postgres.port,
        user: settings.postgres.user,
        password: secrets.postgresPassword,
        database: settings.postgres.database,
        max: 2,
        connectionTimeoutMillis: timeoutMs,
        statement_timeout: timeoutMs,
        query_timeout: timeoutMs,
        idleTimeoutMillis: 30_000,
        application_name: "tandem-monitor",
    });
    pg.on("error", () => undefined);
    return {
        mysql: my,
        postgres: pg,
        async mysqlQuery<T>(sql: string) {
            const [rows] = await my.query({ sql, timeout: timeoutMs });
            return rows as T[];
        },
        async postgresQuery<T>(sql: string) {
            return (await pg.query(sql)).rows as T[];
        },
        async close() {
            await Promise.allSettled([my.end(), pg.end()]);
        },
    };
}
