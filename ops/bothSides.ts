// Effects: statements run on both of a stack's databases with its admin accounts (one short session each), for
// tools that create or drop their own objects there (load test, benchmarks, fault suite).
import mysql from "mysql2/promise";
import { mysqlDriverOptions, postgresDriverOptions } from "../core/databaseTls";
import { Pool } from "pg";
import { mysqlAddress, StackTarget } from "./stackTarget";

export interface BothSidesStatements {
    mysql: string[];
    postgres: string[];
}

/** Runs MySQL's statements, then PostgreSQL's, in order; the first failure stops and is thrown. */
export async function runOnBothSides(target: StackTarget, statements: BothSidesStatements): Promise<void> {
    const my = await mysql.createConnection(mysqlDriverOptions(mysqlAddress(target)));
    const pg = new Pool({ ...postgresDriverOptions(target.postgres), max: 1 });
    try {
        for (const statement of statements.mysql) await my.query(statement);
        for (const statement of statements.postgres) await pg.query(statement);
    } finally {
        await my.end();
        await pg.end();
    }
}
