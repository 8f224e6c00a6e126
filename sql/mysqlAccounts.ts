// Pure builders: the MySQL/MariaDB accounts of the sync (the binlog reader and the sync writer) and their
// privileges, as SQL. Tables and triggers are in mysqlSql.ts.
import { tombstoneTable } from "../core/names";
import { MysqlFlavor } from "../core/vocabulary";
import { literal, q, tolerate } from "./mysqlSql";

export interface MysqlUserOptions {
    database: string;
    cdcUser: string;
    syncUser: string;
    /** Debezium's signaling table; the reader writes snapshot watermarks into it. */
    signalTable: string;
    /** Host part of the accounts (MySQL's `'user'@'host'`). */
    host: string;
    /** MariaDB (default) logs account statements as written: its passwords are given as native hashes. */
    flavor?: MysqlFlavor;
}

/**
 * How an account's password is set without it reaching the binlog in plaintext: MariaDB takes the native hash
 * (`IDENTIFIED BY PASSWORD '*…'`); MySQL writes such statements to the binlog with the password already hashed.
 */
export function identifiedBy(secretKey: string, flavor: MysqlFlavor = "mariadb"): string {
    return flavor === "mariadb"
        ? `IDENTIFIED BY PASSWORD {{secret:${secretKey}:mysql-native-hash}}`
        : `IDENTIFIED BY {{secret:${secretKey}}}`;
}

function account(user: string, host: string): string {
    return `${literal(user)}@${literal(host)}`;
}

/**
 * The reader's and the writer's accounts, then the reader's grants. The password is set on every run, not only
 * on creation: an account left by an earlier stack gets the one the connectors use. Passwords are the
 * `{{secret:cdc}}` and `{{secret:sync}}` placeholders, bound by SqlObjects to its `secrets`.
 */
export function mysqlAccounts(options: MysqlUserOptions): string[] {
    return [
        ...[
            ["cdc", options.cdcUser],
            ["sync", options.syncUser],
        ].flatMap(([key, user]) => [
            `CREATE USER IF NOT EXISTS ${account(user, options.host)} ${identifiedBy(key, options.flavor)}`,
            `ALTER USER ${account(user, options.host)} ${identifiedBy(key, options.flavor)}`,
        ]),
        ...mysqlAccountGrants(options),
    ];
}

/** Drops both accounts, their grants with them. */
export function mysqlAccountsTeardown(options: Pick<MysqlUserOptions, "cdcUser" | "syncUser" | "host">): string[] {
    return [options.cdcUser, options.syncUser].map((user) => `DROP USER IF EXISTS ${account(user, options.host)}`);
}

/**
 * Least-privilege accounts: what Debezium's reader needs, global only where MySQL has no narrower level (binlog,
 * server status); it reads the synced database's tables only (stacks deployed before read every database).
 */
export function mysqlAccountGrants(options: MysqlUserOptions): string[] {
    const cdc = account(options.cdcUser, options.host);
    const writer = account(options.syncUser, options.host);
    return [
        // An account of this name left with more (another stack's, or granted by hand): the reader's grants are all
        // here, so it starts from none; the writer's table grants live with each table, so only its global and
        // database-wide ones go (1141: none held there).
        `REVOKE ALL PRIVILEGES, GRANT OPTION FROM ${cdc}`,
        `REVOKE ALL PRIVILEGES ON *.* FROM ${writer}`,
        `REVOKE GRANT OPTION ON *.* FROM ${writer}`,
        tolerate([1141], `REVOKE ALL PRIVILEGES ON ${q(options.database)}.* FROM ${writer}`),
        `GRANT RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO ${cdc}`,
        `GRANT SELECT ON ${q(options.database)}.* TO ${cdc}`,
        `GRANT INSERT, UPDATE, DELETE ON ${q(options.database)}.${q(options.signalTable)} TO ${cdc}`,
    ];
}

/** The writer's access to one synced table and its tombstone table: rows only (stacks deployed before also held ALTER). */
export function mysqlTableGrants(options: MysqlUserOptions, table: string): string[] {
    const db = q(options.database);
    const writer = account(options.syncUser, options.host);
    return [table, tombstoneTable(table)].flatMap((name) => [
        `GRANT SELECT, INSERT, UPDATE, DELETE ON ${db}.${q(name)} TO ${writer}`,
        tolerate([1141, 1147], `REVOKE ALTER ON ${db}.${q(name)} FROM ${writer}`),
    ]);
}

/** Revokes mysqlTableGrants (1141/1147: nothing was granted). */
export function mysqlTableRevokes(options: MysqlUserOptions, table: string): string[] {
    const db = q(options.database);
    return [table, tombstoneTable(table)].map((name) =>
        tolerate([1141, 1147], `REVOKE ALL PRIVILEGES ON ${db}.${q(name)} FROM ${account(options.syncUser, options.host)}`),
    );
}
