// Pure builders: the MySQL/MariaDB accounts of the sync (the binlog reader and the sync writer) and their
// privileges, as SQL. Tables and triggers are in mysqlSql.ts.
import { tombstoneTable } from "../core/names";
import { literal, q, tolerate } from "./mysqlSql";

export interface MysqlUserOptions {
    database: string;
    cdcUser: string;
    syncUser: string;
    /** Debezium's signaling table; the reader writes snapshot watermarks into it. */
    signalTable: string;
    /** Host part of the accounts (MySQL's `'user'@'host'`). */
    host: string;
}

function account(user: string, host: string): string {
    return `${literal(user)}@${literal(host)}`;
}

/** Least-privilege accounts: what Debezium's reader needs (global by nature: binlog and snapshot locks). */
export function mysqlAccountGrants(options: MysqlUserOptions): string[] {
    const cdc = account(options.cdcUser, options.host);
    return [
        `GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO ${cdc}`,
        `GRANT INSERT, UPDATE, DELETE ON ${q(options.database)}.${q(options.signalTable)} TO ${cdc}`,
    ];
}

/** The writer's access to one synced table and its tombstone table. */
export function mysqlTableGrants(options: MysqlUserOptions, table: string): string[] {
    const db = q(options.database);
    return [table, tombstoneTable(table)].map((name) => `GRANT SELECT, INSERT, UPDATE, DELETE, ALTER ON ${db}.${q(name)} TO ${account(options.syncUser, options.host)}`);
}

/** Revokes mysqlTableGrants (1141/1147: nothing was granted). */
export function mysqlTableRevokes(options: MysqlUserOptions, table: string): string[] {
    const db = q(options.database);
    return [table, tombstoneTable(table)].map((name) => tolerate([1141, 1147], `REVOKE ALL PRIVILEGES ON ${db}.${q(name)} FROM ${account(options.syncUser, options.host)}`));
}
