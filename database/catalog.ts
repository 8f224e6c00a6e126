// Effects: what the two databases say about themselves, read at preview so that preflight can fail early.
import mysql from "mysql2/promise";
import { Client as PgClient } from "pg";
import { ColumnDef, TableDef } from "../components/sync/model";
import { Connection } from "./sqlObjectsProvider";

export interface ServerFacts {
    /** Server variables relevant to CDC, lower-case names. */
    settings: Record<string, string>;
    version: string;
    tables: TableDef[];
}

export async function readMysql(connection: Connection): Promise<ServerFacts> {
    const db = await mysql.createConnection(connection);
    try {
        const [variables] = await db.query(
            `SHOW GLOBAL VARIABLES WHERE Variable_name IN ('log_bin','binlog_format','binlog_row_image','gtid_mode','gtid_strict_mode','server_id','auto_increment_increment','auto_increment_offset','log_bin_compress','version')`,
        );
        const settings: Record<string, string> = {};
        for (const row of variables as { Variable_name: string; Value: string }[]) settings[row.Variable_name.toLowerCase()] = String(row.Value);
        const [columns] = await db.query(
            `SELECT c.TABLE_NAME AS t, c.COLUMN_NAME AS name, c.COLUMN_TYPE AS type, c.IS_NULLABLE = 'YES' AS nullable, c.COLUMN_KEY = 'PRI' AS pk,
                    c.EXTRA LIKE '%auto_increment%' AS generated
             FROM information_schema.COLUMNS c JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
             WHERE c.TABLE_SCHEMA = ? AND t.TABLE_TYPE = 'BASE TABLE' ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION`,
            [connection.database],
        );
        const step = Number(settings.auto_increment_increment ?? 1);
        const offset = Number(settings.auto_increment_offset ?? 1);
        const rows = (columns as RawColumn[]).map((row) => ({ ...row, step: Number(row.generated) ? step : undefined, offset }));
        return { settings, version: settings.version ?? "", tables: groupTables(rows) };
    } finally {
        await db.end();
    }
}

export async function readPostgres(connection: Connection, schema: string): Promise<ServerFacts> {
    const db = new PgClient(connection);
    await db.connect();
    try {
        const settings: Record<string, string> = {};
        const names = ["wal_level", "max_replication_slots", "max_wal_senders", "server_version"];
        const answer = await db.query("SELECT name, setting FROM pg_settings WHERE name = ANY($1)", [names]);
        for (const row of answer.rows) settings[row.name] = row.setting;
        const columns = await db.query(
            `SELECT c.relname AS t, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable,
                    coalesce(a.attnum = ANY(i.indkey), false) AS pk, s.increment_by AS step, s.start_value AS offset
             FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
             LEFT JOIN pg_sequences s ON format('%I.%I', s.schemaname, s.sequencename) = pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname)
             WHERE n.nspname = $1 AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY c.relname, a.attnum`,
            [schema],
        );
        return { settings, version: settings.server_version ?? "", tables: groupTables(columns.rows) };
    } finally {
        await db.end();
    }
}

interface RawColumn {
    t: string;
    name: string;
    type: string;
    nullable: unknown;
    pk: unknown;
    generated?: unknown;
    step?: unknown;
    offset?: unknown;
}

function groupTables(rows: RawColumn[]): TableDef[] {
    const tables = new Map<string, TableDef>();
    for (const row of rows) {
        const table = tables.get(row.t) ?? { name: row.t, columns: [] as ColumnDef[], primaryKey: [] as string[] };
        const column: ColumnDef = { name: row.name, type: row.type, nullable: Boolean(Number(row.nullable)) || row.nullable === true };
        if (row.step !== undefined && row.step !== null) column.generated = { step: Number(row.step), offset: Number(row.offset) };
        table.columns.push(column);
        if (Boolean(Number(row.pk)) || row.pk === true) table.primaryKey.push(row.name);
        tables.set(row.t, table);
    }
    return [...tables.values()];
}
