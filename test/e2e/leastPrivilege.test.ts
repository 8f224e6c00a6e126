// Least privilege of the pipeline's database accounts, against a real stack deployed by `pulumi up` (health monitor
// on, so that its accounts exist). Each account logs in with the credentials the pipeline itself uses — the
// connectors' user names from their config on the Connect worker and their passwords from the files the worker
// reads, the monitor's from the stack's secret output — and may do its job and nothing more: the sink writers write
// rows of their tables but change no schema and read nothing else, the CDC readers write nothing, the monitor's
// accounts run their probes only. Every refusal is checked by its error code (MariaDB 1142/1044, PostgreSQL 42501),
// never as "some error", and every account first proves its login with a statement it must be allowed. Writes, and
// statements that must be refused, run in a transaction that is rolled back: the synced tables never change.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import axios from "axios";
import mysql from "mysql2/promise";
import { Client as PgClient } from "pg";
import { Stack } from "@pulumi/pulumi/automation";
import { connectorSecretsFolder, secretReference } from "../../connectors/connectorModel";
import { JDBC_SINK_PASSWORD_KEY, SOURCE_PASSWORD_KEY } from "../../connectors/debeziumConfigs";
import { syncNames } from "../../core/model";
import { canaryBumpSql, canaryReadSql, conflictsHighWaterSql, conflictsSinceSql, replicationSlotSql } from "../../sql/monitorSql";
import { e2eSuite } from "../support/e2eSuite";
import { freePort } from "../support/prometheus";
import { mysqlQuery, postgresQuery, removeSyncStack, syncStack, waitConverged } from "../support/syncStack";

interface Account {
    user: string;
    password: string;
}

/** MariaDB: "<command> command denied to user … for table …". */
const ER_TABLEACCESS_DENIED_ERROR = 1142;
/** MariaDB: "Access denied for user … to database …". */
const ER_DBACCESS_DENIED_ERROR = 1044;
/** PostgreSQL: insufficient_privilege ("permission denied for …", "must be owner of …"). */
const INSUFFICIENT_PRIVILEGE = "42501";

e2eSuite("e2e: least privilege of the pipeline's database accounts", { timeout: 6 * 60 * 1000, bail: false }, (e2e) => {
    const suffix = `${Date.now().toString(36).slice(-5)}${Math.floor(Math.random() * 1e3)}`;
    const prefix = `lp-${suffix}`;
    const names = syncNames(prefix);
    const table = `lp_items_${suffix}`;
    const unsynced = `lp_other_${suffix}`;
    const otherDatabase = `lp_db_${suffix}`;
    const otherSchema = `lp_schema_${suffix}`;
    const columns = ["id", "name", "_tandem_origin", "_tandem_version"];
    const connector = (key: string) => `${prefix}-${key}`;
    let stack: Stack | undefined;
    const accounts = {} as Record<
        "mysqlWriter" | "mysqlReader" | "mysqlMonitor" | "postgresWriter" | "postgresReader" | "postgresMonitor",
        Account
    >;

    /** A connector's account: its user from its config on the worker, its password from the file the worker reads. */
    async function connectorAccount(key: string, userKey: string, passwordKey: string): Promise<Account> {
        const name = connector(key);
        const config = (await axios.get(`${e2e.sandbox.connectUrl}/connectors/${name}/config`)).data as Record<string, string>;
        // The config holds only a reference to the file: the password read here is the one the connector logs in with.
        assert.equal(config[passwordKey], secretReference(e2e.sandbox.connectSecretsDir, name, passwordKey), `${name} ${passwordKey}`);
        const password = fs.readFileSync(path.join(connectorSecretsFolder(e2e.sandbox.connectSecretsDir, name), passwordKey), "utf8");
        assert.ok(config[userKey] && password.length > 0, `${name}: ${userKey} and ${passwordKey}`);
        return { user: config[userKey], password };
    }

    /** Over TLS when the sandbox offers it (its CA, when it names one), as the support's admin connections do. */
    const tls = () => {
        const ca = (e2e.sandbox as { tlsCa?: string }).tlsCa;
        return ca ? { ssl: { ca } } : {};
    };

    async function asMysql<T>(account: Account, work: (db: mysql.Connection) => Promise<T>): Promise<T> {
        const db = await mysql.createConnection({ ...e2e.sandbox.mariadb, user: account.user, password: account.password, ...tls() });
        try {
            return await work(db);
        } finally {
            await db.end();
        }
    }

    async function asPostgres<T>(account: Account, work: (db: PgClient) => Promise<T>): Promise<T> {
        const db = new PgClient({ ...e2e.sandbox.postgres, user: account.user, password: account.password, ...tls() });
        await db.connect();
        try {
            return await work(db);
        } finally {
            await db.end();
        }
    }

    /** Runs `work` in a transaction that is always rolled back. */
    async function mysqlRolledBack<T>(db: mysql.Connection, work: () => Promise<T>): Promise<T> {
        await db.beginTransaction();
        try {
            return await work();
        } finally {
            await db.rollback();
        }
    }

    async function postgresRolledBack<T>(db: PgClient, work: () => Promise<T>): Promise<T> {
        await db.query("BEGIN");
        try {
            return await work();
        } finally {
            await db.query("ROLLBACK");
        }
    }

    /** `sql` run by `db`'s account fails with one of `errnos` (a DML statement is rolled back if it passed). */
    async function mysqlRefused(db: mysql.Connection, sql: string, errnos: number[] = [ER_TABLEACCESS_DENIED_ERROR]): Promise<void> {
        const who = db.config.user;
        const error = await mysqlRolledBack(db, () =>
            db.query(sql).then(
                () => undefined,
                (e: { errno?: number; message: string }) => e,
            ),
        );
        assert.ok(error, `${who} was allowed to run: ${sql}`);
        assert.ok(
            error.errno !== undefined && errnos.includes(error.errno),
            `${who}: ${sql}\nexpected errno ${errnos.join(" or ")}, got ${error.errno}: ${error.message}`,
        );
    }

    /** `sql` run by `db`'s role fails with insufficient_privilege (in a transaction rolled back whatever happens). */
    async function postgresRefused(db: PgClient, sql: string, codes: string[] = [INSUFFICIENT_PRIVILEGE]): Promise<void> {
        const who = db.user;
        const error = await postgresRolledBack(db, () =>
            db.query(sql).then(
                () => undefined,
                (e: { code?: string; message: string }) => e,
            ),
        );
        assert.ok(error, `${who} was allowed to run: ${sql}`);
        assert.ok(
            error.code !== undefined && codes.includes(error.code),
            `${who}: ${sql}\nexpected SQLSTATE ${codes.join(" or ")}, got ${error.code}: ${error.message}`,
        );
    }

    const my = {
        synced: `\`${table}\``,
        unsynced: `\`${unsynced}\``,
        elsewhere: `\`${otherDatabase}\`.\`secret\``,
        canary: `\`${names.canaryTable}\``,
        conflicts: `\`${names.conflictsTable}\``,
    };
    const pg = {
        synced: `public."${table}"`,
        unsynced: `public."${unsynced}"`,
        elsewhere: `"${otherSchema}"."secret"`,
        canary: `public."${names.canaryTable}"`,
        conflicts: `public."${names.conflictsTable}"`,
    };

    /** DDL no pipeline account may run on MariaDB, on `target` (a table of `app` it may or may not write). */
    async function mysqlNoDdl(db: mysql.Connection, target: string): Promise<void> {
        await mysqlRefused(db, `DROP TABLE ${target}`);
        await mysqlRefused(db, `ALTER TABLE ${target} ADD COLUMN lp_extra INT NULL`);
        await mysqlRefused(db, `TRUNCATE TABLE ${target}`);
        await mysqlRefused(db, `CREATE TABLE \`lp_new_${suffix}\` (id INT PRIMARY KEY)`);
        await mysqlRefused(db, `CREATE DATABASE \`lp_newdb_${suffix}\``, [ER_DBACCESS_DENIED_ERROR]);
    }

    async function postgresNoDdl(db: PgClient, target: string): Promise<void> {
        await postgresRefused(db, `DROP TABLE ${target}`);
        await postgresRefused(db, `ALTER TABLE ${target} ADD COLUMN lp_extra integer`);
        await postgresRefused(db, `TRUNCATE TABLE ${target}`);
        await postgresRefused(db, `CREATE TABLE public."lp_new_${suffix}" (id integer PRIMARY KEY)`);
        await postgresRefused(db, `CREATE SCHEMA "lp_new_${suffix}"`);
    }

    before(async () => {
        // The synced pair, one row in it; outside the synced set: a table beside it and one in another database/schema.
        await mysqlQuery(e2e.sandbox, `CREATE TABLE ${my.synced} (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL)`);
        await postgresQuery(
            e2e.sandbox,
            `CREATE TABLE ${pg.synced} (id integer GENERATED BY DEFAULT AS IDENTITY (START WITH 2 INCREMENT BY 2) PRIMARY KEY, name varchar(100) NOT NULL)`,
        );
        await mysqlQuery(e2e.sandbox, `INSERT INTO ${my.synced} (name) VALUES ('before the sync')`);
        await mysqlQuery(e2e.sandbox, `CREATE TABLE ${my.unsynced} (id INT PRIMARY KEY, secret VARCHAR(20))`);
        await mysqlQuery(e2e.sandbox, `INSERT INTO ${my.unsynced} VALUES (1, 'not synced')`);
        await mysqlQuery(e2e.sandbox, `CREATE DATABASE \`${otherDatabase}\``);
        await mysqlQuery(e2e.sandbox, `CREATE TABLE ${my.elsewhere} (id INT PRIMARY KEY, secret VARCHAR(20))`);
        await mysqlQuery(e2e.sandbox, `INSERT INTO ${my.elsewhere} VALUES (1, 'elsewhere')`);
        await postgresQuery(e2e.sandbox, `CREATE TABLE ${pg.unsynced} (id integer PRIMARY KEY, secret varchar(20))`);
        await postgresQuery(e2e.sandbox, `INSERT INTO ${pg.unsynced} VALUES (1, 'not synced')`);
        await postgresQuery(e2e.sandbox, `CREATE SCHEMA "${otherSchema}"`);
        await postgresQuery(e2e.sandbox, `CREATE TABLE ${pg.elsewhere} (id integer PRIMARY KEY, secret varchar(20))`);
        await postgresQuery(e2e.sandbox, `INSERT INTO ${pg.elsewhere} VALUES (1, 'elsewhere')`);

        stack = await syncStack(e2e.sandbox, prefix, [table], {
            "tandem:healthMonitor": "true",
            "tandem:healthMonitorPort": String(await freePort()),
        });
        const result = await stack.up({ onOutput: () => undefined });
        assert.equal(result.summary.result, "succeeded");

        accounts.mysqlWriter = await connectorAccount("mysql-sink", "connection.username", JDBC_SINK_PASSWORD_KEY);
        accounts.postgresWriter = await connectorAccount("postgres-sink", "connection.username", JDBC_SINK_PASSWORD_KEY);
        accounts.mysqlReader = await connectorAccount("mysql-source", "database.user", SOURCE_PASSWORD_KEY);
        accounts.postgresReader = await connectorAccount("postgres-source", "database.user", SOURCE_PASSWORD_KEY);
        const monitor = result.outputs.healthMonitorAccess?.value as { mysql: Account; postgres: Account } | undefined;
        assert.ok(monitor?.mysql?.password && monitor.postgres?.password, "the stack's healthMonitorAccess output");
        accounts.mysqlMonitor = monitor.mysql;
        accounts.postgresMonitor = monitor.postgres;
        // The stack's own record of the PostgreSQL writer is the account its sink logs in with.
        assert.deepEqual(result.outputs.postgresSyncWriter?.value, accounts.postgresWriter);
    });

    after(async () => {
        await removeSyncStack(e2e.sandbox, stack, [table, unsynced]);
        await mysqlQuery(e2e.sandbox, `DROP DATABASE IF EXISTS \`${otherDatabase}\``).catch(() => undefined);
        await postgresQuery(e2e.sandbox, `DROP SCHEMA IF EXISTS "${otherSchema}" CASCADE`).catch(() => undefined);
    });

    it("the connectors and the monitor log in as the stack's own accounts, not the admin, and the sync runs both ways with them", async () => {
        const expected = {
            mysqlWriter: names.syncUser,
            postgresWriter: names.syncUser,
            mysqlReader: names.cdcUser,
            postgresReader: names.cdcUser,
            mysqlMonitor: names.monitorUser,
            postgresMonitor: names.monitorUser,
        };
        assert.deepEqual(Object.fromEntries(Object.entries(accounts).map(([key, account]) => [key, account.user])), expected);
        for (const account of Object.values(accounts)) {
            assert.notEqual(account.user, e2e.sandbox.mariadb.user);
            assert.notEqual(account.user, e2e.sandbox.postgres.user);
        }
        // Six distinct passwords: no account shares another's secret.
        assert.equal(new Set(Object.values(accounts).map((account) => account.password)).size, 6);
        // The grants suffice: a write on each side crosses (the first row was snapshotted).
        await mysqlQuery(e2e.sandbox, `INSERT INTO ${my.synced} (name) VALUES ('from mariadb')`);
        await postgresQuery(e2e.sandbox, `INSERT INTO ${pg.synced} (name) VALUES ('from postgres')`);
        const rows = await waitConverged(e2e.sandbox, table, columns);
        assert.deepEqual(rows.map((row) => row.name).sort(), ["before the sync", "from mariadb", "from postgres"]);
        // The extra tables the suite refuses below exist (a refusal must not stand for "no such table").
        assert.equal((await mysqlQuery(e2e.sandbox, `SELECT secret FROM ${my.unsynced}`)).length, 1);
        assert.equal((await mysqlQuery(e2e.sandbox, `SELECT secret FROM ${my.elsewhere}`)).length, 1);
        assert.equal((await postgresQuery(e2e.sandbox, `SELECT secret FROM ${pg.unsynced}`)).length, 1);
        assert.equal((await postgresQuery(e2e.sandbox, `SELECT secret FROM ${pg.elsewhere}`)).length, 1);
    });

    it("MariaDB sink writer: inserts, updates and deletes rows of its table; no DDL, no TRUNCATE, nothing outside its tables", async () => {
        await asMysql(accounts.mysqlWriter, async (db) => {
            await mysqlRolledBack(db, async () => {
                // As the sink writes: a version from the other side (its bookkeeping), then a newer one, then a delete.
                const [inserted] = await db.query<mysql.ResultSetHeader>(
                    `INSERT INTO ${my.synced} (id, name, _tandem_origin, _tandem_version, _tandem_base) VALUES (900001, 'writer', 'postgres', 1000, 0)`,
                );
                assert.equal(inserted.affectedRows, 1);
                const [updated] = await db.query<mysql.ResultSetHeader>(
                    `UPDATE ${my.synced} SET _tandem_base = _tandem_version, _tandem_version = _tandem_version + 1, name = 'writer updated' WHERE id = 900001`,
                );
                assert.equal(updated.affectedRows, 1);
                const [read] = await db.query<mysql.RowDataPacket[]>(`SELECT name FROM ${my.synced} WHERE id = 900001`);
                assert.deepEqual(
                    read.map((row) => row.name),
                    ["writer updated"],
                );
                const [deleted] = await db.query<mysql.ResultSetHeader>(`DELETE FROM ${my.synced} WHERE id = 900001`);
                assert.equal(deleted.affectedRows, 1);
            });
            await mysqlNoDdl(db, my.synced);
            for (const other of [my.unsynced, my.elsewhere, my.conflicts]) {
                await mysqlRefused(db, `SELECT * FROM ${other}`);
                await mysqlRefused(db, `DELETE FROM ${other}`);
            }
            await mysqlRefused(db, `USE \`${otherDatabase}\``, [ER_DBACCESS_DENIED_ERROR]);
        });
        assert.equal((await mysqlQuery(e2e.sandbox, `SELECT 1 FROM ${my.synced} WHERE id = 900001`)).length, 0, "rolled back");
    });

    it("PostgreSQL sink writer: inserts, updates and deletes rows of its table; no DDL, no TRUNCATE, nothing outside its tables", async () => {
        await asPostgres(accounts.postgresWriter, async (db) => {
            await postgresRolledBack(db, async () => {
                const inserted = await db.query(
                    `INSERT INTO ${pg.synced} (id, name, _tandem_origin, _tandem_version, _tandem_base) VALUES (900002, 'writer', 'mysql', 1000, 0)`,
                );
                assert.equal(inserted.rowCount, 1);
                const updated = await db.query(
                    `UPDATE ${pg.synced} SET name = 'writer updated', _tandem_base = _tandem_version, _tandem_version = _tandem_version + 1 WHERE id = 900002 RETURNING name`,
                );
                assert.deepEqual(
                    updated.rows.map((row) => row.name),
                    ["writer updated"],
                );
                const deleted = await db.query(`DELETE FROM ${pg.synced} WHERE id = 900002`);
                assert.equal(deleted.rowCount, 1);
            });
            await postgresNoDdl(db, pg.synced);
            for (const other of [pg.unsynced, pg.elsewhere, pg.conflicts]) {
                await postgresRefused(db, `SELECT * FROM ${other}`);
                await postgresRefused(db, `DELETE FROM ${other}`);
            }
        });
        assert.equal((await postgresQuery(e2e.sandbox, `SELECT 1 FROM ${pg.synced} WHERE id = 900002`)).length, 0, "rolled back");
    });

    it("MariaDB CDC reader: reads the synced database only; writes none of its rows, no DDL", async () => {
        await asMysql(accounts.mysqlReader, async (db) => {
            const [rows] = await db.query<mysql.RowDataPacket[]>(`SELECT name FROM ${my.synced} WHERE name = 'before the sync'`);
            assert.equal(rows.length, 1);
            await mysqlRefused(db, `INSERT INTO ${my.synced} (name) VALUES ('reader')`);
            await mysqlRefused(db, `UPDATE ${my.synced} SET name = 'reader'`);
            await mysqlRefused(db, `DELETE FROM ${my.synced}`);
            await mysqlRefused(db, `INSERT INTO ${my.conflicts} (table_name) VALUES ('reader')`);
            // It reads the synced database only: not another database, nor the server's accounts.
            await mysqlRefused(db, `SELECT * FROM ${my.elsewhere}`);
            await mysqlRefused(db, "SELECT * FROM mysql.global_priv");
            await mysqlNoDdl(db, my.synced);
        });
    });

    it("PostgreSQL CDC reader: reads the synced table; writes none of its rows, no DDL", async () => {
        await asPostgres(accounts.postgresReader, async (db) => {
            const { rows } = await db.query(`SELECT name FROM ${pg.synced} WHERE name = 'before the sync'`);
            assert.equal(rows.length, 1);
            await postgresRefused(db, `INSERT INTO ${pg.synced} (name) VALUES ('reader')`);
            await postgresRefused(db, `UPDATE ${pg.synced} SET name = 'reader'`);
            await postgresRefused(db, `DELETE FROM ${pg.synced}`);
            await postgresRefused(db, `SELECT * FROM ${pg.unsynced}`);
            await postgresRefused(db, `SELECT * FROM ${pg.elsewhere}`);
            await postgresNoDdl(db, pg.synced);
        });
    });

    it("MariaDB monitor account: its probes (canary upsert, conflict log, binlog list); not the synced table, no DDL", async () => {
        await asMysql(accounts.mysqlMonitor, async (db) => {
            await mysqlRolledBack(db, async () => {
                const [bumped] = await db.query<mysql.ResultSetHeader>(canaryBumpSql("mysql", "public", names.canaryTable));
                assert.ok(bumped.affectedRows >= 1, `canary bump: ${JSON.stringify(bumped)}`);
                const [canary] = await db.query<mysql.RowDataPacket[]>(canaryReadSql("mysql", "public", names.canaryTable, "mysql"));
                assert.equal(canary.length, 1);
            });
            const [[high]] = await db.query<mysql.RowDataPacket[]>(conflictsHighWaterSql("mysql", "public", names.conflictsTable));
            await db.query(conflictsSinceSql("mysql", "public", names.conflictsTable, String(high.last_id), 10));
            await db.query("SELECT @@GLOBAL.binlog_expire_logs_seconds AS seconds, @@GLOBAL.expire_logs_days AS days");
            const [binlogs] = await db.query<mysql.RowDataPacket[]>("SHOW BINARY LOGS");
            assert.ok(binlogs.length >= 1);

            await mysqlRefused(db, `SELECT * FROM ${my.synced}`);
            await mysqlRefused(db, `INSERT INTO ${my.synced} (name) VALUES ('monitor')`);
            await mysqlRefused(db, `UPDATE ${my.synced} SET name = 'monitor'`);
            await mysqlRefused(db, `DELETE FROM ${my.synced}`);
            await mysqlRefused(db, `SELECT * FROM ${my.unsynced}`);
            await mysqlRefused(db, `DELETE FROM ${my.canary}`);
            await mysqlRefused(db, `INSERT INTO ${my.conflicts} (table_name) VALUES ('monitor')`);
            await mysqlNoDdl(db, my.canary);
        });
    });

    it("PostgreSQL monitor role: its probes (canary upsert, conflict log, replication slot); not the synced table, no DDL", async () => {
        await asPostgres(accounts.postgresMonitor, async (db) => {
            await postgresRolledBack(db, async () => {
                assert.equal((await db.query(canaryBumpSql("postgres", "public", names.canaryTable))).rowCount, 1);
                assert.equal((await db.query(canaryReadSql("postgres", "public", names.canaryTable, "postgres"))).rows.length, 1);
            });
            const [high] = (await db.query(conflictsHighWaterSql("postgres", "public", names.conflictsTable))).rows;
            await db.query(conflictsSinceSql("postgres", "public", names.conflictsTable, String(high.last_id), 10));
            const { rows: slots } = await db.query(replicationSlotSql(names.slot));
            assert.equal(slots.length, 1, `slot ${names.slot}`);
            assert.ok(slots[0].retained_bytes !== null, JSON.stringify(slots[0]));

            await postgresRefused(db, `SELECT * FROM ${pg.synced}`);
            await postgresRefused(db, `INSERT INTO ${pg.synced} (name) VALUES ('monitor')`);
            await postgresRefused(db, `UPDATE ${pg.synced} SET name = 'monitor'`);
            await postgresRefused(db, `DELETE FROM ${pg.synced}`);
            await postgresRefused(db, `SELECT * FROM ${pg.unsynced}`);
            await postgresRefused(db, `SELECT * FROM ${pg.elsewhere}`);
            await postgresRefused(db, `DELETE FROM ${pg.canary}`);
            await postgresRefused(db, `INSERT INTO ${pg.conflicts} (table_name) VALUES ('monitor')`);
            await postgresNoDdl(db, pg.canary);
        });
    });
});
