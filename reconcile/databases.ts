// Effects: reconcile's two connections — the stack's admin accounts, MySQL in UTC (TIMESTAMP values read as
// stored) and utf8mb4, PostgreSQL in UTC; read-only transactions are not forced (repairs write), queries are.
import mysql from "mysql2/promise";
import { mysqlDriverOptions, postgresDriverOptions } from "../core/databaseTls";
import { Client as PgClient } from "pg";
import { MysqlFlavor, Side } from "../core/vocabulary";
import { DatabaseAddress } from "../ops/stackTarget";
import { Engine } from "../sql/reconcileSql";

export interface ReconcileDatabases {
    engine(side: Side): Engine;
    query<T = Record<string, unknown>>(side: Side, sql: string, params?: unknown[]): Promise<T[]>;
    close(): Promise<void>;
}

export async function openReconcileDatabases(target: {
    mysql: DatabaseAddress & { flavor: MysqlFlavor };
    postgres: DatabaseAddress & { schema: string };
}): Promise<ReconcileDatabases> {
    const { flavor, ...mysqlAddress } = target.mysql;
    const my = await mysql.createConnection({
        ...mysqlDriverOptions(mysqlAddress),
        charset: "utf8mb4",
        supportBigNumbers: true,
        bigNumberStrings: true,
        dateStrings: true,
    });
    await my.query("SET time_zone = '+00:00'");
    const { schema, ...pgAddress } = target.postgres;
    const pg = new PgClient({ ...postgresDriverOptions(pgAddress), application_name: "tandem-reconcile" });
    await pg.connect();
    await pg.query("SET TimeZone = 'UTC'");
    return {
        engine: (side) => ({ side, flavor: side === "mysql" ? flavor : undefined, schema }),
        async query<T>(side: Side, sql: string, params: unknown[] = []) {
            if (side === "mysql") return (await my.query(sql, params))[0] as T[];
            return (await pg.query(sql, params)).rows as T[];
        },
        async close() {
            await Promise.allSettled([my.end(), pg.end()]);
        },
    };
}
