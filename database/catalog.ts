// Effects: what the two databases say about themselves, read at preview so that preflight can fail early.
import mysql from "mysql2/promise";
import { Client as PgClient } from "pg";
import { ColumnDef, ReferentialAction, TableDef } from "../core/model";
import { mysqlDriverOptions, postgresDriverOptions } from "../core/databaseTls";
import { Connection } from "./sqlObjectsProvider";

export interface ServerFacts {
    /** Server variables relevant to CDC, lower-case names. */
    settings: Record<string, string>;
    version: string;
    tables: TableDef[];
    /** Every table and view of the database/schema, synced or not (name clashes in the sinks' lookups). */
    relationNames: string[];
}

const MYSQL_VARIABLES = [
    "log_bin",
    "binlog_format",
    "binlog_row_image",
    "gtid_mode",
    "gtid_strict_mode",
    "server_id",
    "auto_increment_increment",
    "auto_increment_offset",
    "log_bin_compress",
    "version",
    "sql_mode",
    "lower_case_table_names",
    "max_allowed_packet",
];

export async function readMysql(connection: Connection): Promise<ServerFacts> {
    const db = await mysql.createConnection(mysqlDriverOptions(connection));
    try {
        const [variables] = await db.query(
            `SHOW GLOBAL VARIABLES WHERE Variable_name IN (${MYSQL_VARIABLES.map(() => "?").join(",")})`,
            MYSQL_VARIABLES,
        );
        const settings: Record<string, string> = {};
        for (const row of variables as { Variable_name: string; Value: string }[])
            settings[row.Variable_name.toLowerCase()] = String(row.Value);
        const [columns] = await db.query(
            `SELECT c.TABLE_NAME AS t, c.COLUMN_NAME AS name, c.COLUMN_TYPE AS type, c.IS_NULLABLE = 'YES' AS nullable, c.COLUMN_KEY = 'PRI' AS pk,
                    c.EXTRA LIKE '%auto_increment%' AS generated, c.EXTRA AS extra, c.COLLATION_NAME AS collation,
                    c.CHARACTER_SET_NAME AS charset, c.COLUMN_DEFAULT AS defaultValue
             FROM information_schema.COLUMNS c JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
             WHERE c.TABLE_SCHEMA = ? AND t.TABLE_TYPE = 'BASE TABLE' ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION`,
            [connection.database],
        );
        const step = Number(settings.auto_increment_increment ?? 1);
        const offset = Number(settings.auto_increment_offset ?? 1);
        const rows = (columns as (RawColumn & { extra: string; type: string })[]).map((row) => ({
            ...row,
            step: Number(row.generated) ? step : undefined,
            offset,
            computed: /STORED GENERATED|PERSISTENT GENERATED/i.test(row.extra)
                ? ("stored" as const)
                : /VIRTUAL GENERATED/i.test(row.extra)
                  ? ("virtual" as const)
                  : undefined,
            enumValues: /^(enum|set)\(/i.test(row.type) ? parseMysqlOptions(row.type) : undefined,
        }));
        const [keys] = await db.query(
            `SELECT k.TABLE_NAME AS t, k.CONSTRAINT_NAME AS name, k.COLUMN_NAME AS col, k.REFERENCED_TABLE_NAME AS rt, k.REFERENCED_COLUMN_NAME AS rc,
                    r.DELETE_RULE AS onDelete, r.UPDATE_RULE AS onUpdate
             FROM information_schema.KEY_COLUMN_USAGE k
             JOIN information_schema.REFERENTIAL_CONSTRAINTS r ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
             WHERE k.TABLE_SCHEMA = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
            [connection.database],
        );
        const [uniques] = await db.query(
            `SELECT TABLE_NAME AS t, INDEX_NAME AS name, COLUMN_NAME AS col FROM information_schema.STATISTICS
             WHERE TABLE_SCHEMA = ? AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
            [connection.database],
        );
        const [relations] = await db.query(`SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?`, [
            connection.database,
        ]);
        const tables = groupTables(rows);
        attachForeignKeys(tables, keys as RawForeignKeyColumn[]);
        attachUniqueKeys(tables, uniques as { t: string; name: string; col: string }[]);
        return { settings, version: settings.version ?? "", tables, relationNames: (relations as { t: string }[]).map((row) => row.t) };
    } finally {
        await db.end();
    }
}

export async function readPostgres(connection: Connection, schema: string): Promise<ServerFacts> {
    const db = new PgClient(postgresDriverOptions(connection));
    await db.connect();
    try {
        const settings: Record<string, string> = {};
        const names = ["wal_level", "max_replication_slots", "max_wal_senders", "server_version", "server_version_num"];
        const answer = await db.query("SELECT name, setting FROM pg_settings WHERE name = ANY($1)", [names]);
        for (const row of answer.rows) settings[row.name] = row.setting;
        const columns = await db.query(
            `SELECT c.relname AS t, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable,
                    coalesce(a.attnum = ANY(i.indkey), false) AS pk,
                    coalesce(s.increment_by, CASE WHEN a.attidentity <> '' THEN seq.seqincrement END) AS step,
                    coalesce(s.start_value, CASE WHEN a.attidentity <> '' THEN seq.seqstart END) AS offset,
                    CASE a.attgenerated WHEN 's' THEN 'stored' END AS computed,
                    CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' END AS identity,
                    CASE WHEN a.attcollation NOT IN (0, 100) THEN co.collname END AS collation,
                    CASE WHEN a.attcollation NOT IN (0, 100) THEN co.collisdeterministic END AS "collationDeterministic",
                    CASE WHEN a.attcollation NOT IN (0, 100) THEN coalesce(to_jsonb(co) ->> 'colliculocale', to_jsonb(co) ->> 'colllocale', co.collcollate) END AS "collationLocale",
                    pg_get_expr(d.adbin, d.adrelid) AS "defaultValue",
                    (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = a.atttypid) AS "enumValues"
             FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
             LEFT JOIN pg_collation co ON co.oid = a.attcollation
             LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
             LEFT JOIN pg_sequences s ON a.attidentity = '' AND format('%I.%I', s.schemaname, s.sequencename) = pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname)
             LEFT JOIN pg_sequence seq ON a.attidentity <> '' AND seq.seqrelid = pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname)::regclass
             WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY c.relname, a.attnum`,
            [schema],
        );
        const keys = await db.query(
            `SELECT cl.relname AS t, c.conname AS name, rcl.relname AS rt, c.confdeltype AS del, c.confupdtype AS upd,
                    array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o) AS cols,
                    array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o) AS rcols
             FROM pg_constraint c JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace JOIN pg_class rcl ON rcl.oid = c.confrelid
             WHERE c.contype = 'f' AND n.nspname = $1 ORDER BY cl.relname, c.conname`,
            [schema],
        );
        const uniques = await db.query(
            `SELECT cl.relname AS t, array(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n ORDER BY k.o) AS cols
             FROM pg_index i JOIN pg_class cl ON cl.oid = i.indrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
             WHERE i.indisunique AND NOT i.indisprimary AND i.indexprs IS NULL AND n.nspname = $1 ORDER BY cl.relname`,
            [schema],
        );
        const relations = await db.query(
            `SELECT c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`,
            [schema],
        );
        const tables = groupTables(columns.rows);
        const action = (code: string): ReferentialAction =>
            (({ c: "CASCADE", n: "SET NULL", d: "SET DEFAULT", r: "RESTRICT" }) as Record<string, ReferentialAction>)[code] ?? "NO ACTION";
        for (const row of keys.rows) {
            const table = tables.find((candidate) => candidate.name === row.t);
            table?.foreignKeys?.push({
                name: row.name,
                columns: row.cols,
                referencedTable: row.rt,
                referencedColumns: row.rcols,
                onDelete: action(row.del),
                onUpdate: action(row.upd),
            });
        }
        for (const row of uniques.rows) tables.find((candidate) => candidate.name === row.t)?.uniqueKeys?.push(row.cols);
        return { settings, version: settings.server_version ?? "", tables, relationNames: relations.rows.map((row) => row.t) };
    } finally {
        await db.end();
    }
}

/**
 * The options of a MySQL ENUM/SET as information_schema spells its type: `enum('a','b,c','it''s','x\\y')`
 * (quotes doubled, backslashes escaped).
 */
export function parseMysqlOptions(columnType: string): string[] {
    const body = columnType.slice(columnType.indexOf("(") + 1, columnType.lastIndexOf(")"));
    const options: string[] = [];
    let i = 0;
    while (i < body.length) {
        if (body[i] !== "'") {
            i++;
            continue;
        }
        let value = "";
        i++;
        while (i < body.length) {
            const char = body[i];
            if (char === "'" && body[i + 1] === "'") {
                value += "'";
                i += 2;
            } else if (char === "'") {
                i++;
                break;
            } else if (char === "\\" && i + 1 < body.length) {
                const next = body[i + 1];
                value += ({ n: "\n", t: "\t", r: "\r", "0": "\0", Z: "\x1a", b: "\b" } as Record<string, string>)[next] ?? next;
                i += 2;
            } else {
                value += char;
                i++;
            }
        }
        options.push(value);
    }
    return options;
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
    computed?: "virtual" | "stored" | null;
    identity?: "always" | "by default" | null;
    collation?: string | null;
    collationDeterministic?: boolean | null;
    collationLocale?: string | null;
    charset?: string | null;
    defaultValue?: string | null;
    enumValues?: string[] | null;
}

interface RawForeignKeyColumn {
    t: string;
    name: string;
    col: string;
    rt: string;
    rc: string;
    onDelete: string;
    onUpdate: string;
}

function truthy(value: unknown): boolean {
    return value === true || Boolean(Number(value));
}

function groupTables(rows: RawColumn[]): TableDef[] {
    const tables = new Map<string, TableDef>();
    for (const row of rows) {
        const table = tables.get(row.t) ?? {
            name: row.t,
            columns: [] as ColumnDef[],
            primaryKey: [] as string[],
            foreignKeys: [],
            uniqueKeys: [],
        };
        const column: ColumnDef = { name: row.name, type: row.type, nullable: truthy(row.nullable) };
        if (row.step !== undefined && row.step !== null) column.generated = { step: Number(row.step), offset: Number(row.offset) };
        if (row.computed) column.computed = row.computed;
        if (row.identity) column.identity = row.identity;
        if (row.collation) column.collation = row.collation;
        if (row.collationDeterministic !== undefined && row.collationDeterministic !== null)
            column.collationDeterministic = row.collationDeterministic;
        if (row.collationLocale) column.collationLocale = row.collationLocale;
        if (row.charset) column.charset = row.charset;
        if (row.defaultValue !== undefined) column.defaultValue = row.defaultValue;
        if (row.enumValues) column.enumValues = row.enumValues;
        table.columns.push(column);
        if (truthy(row.pk)) table.primaryKey.push(row.name);
        tables.set(row.t, table);
    }
    return [...tables.values()];
}

function attachForeignKeys(tables: TableDef[], rows: RawForeignKeyColumn[]): void {
    for (const row of rows) {
        const table = tables.find((candidate) => candidate.name === row.t);
        if (!table) continue;
        let key = table.foreignKeys!.find((candidate) => candidate.name === row.name);
        if (!key) {
            key = {
                name: row.name,
                columns: [],
                referencedTable: row.rt,
                referencedColumns: [],
                onDelete: row.onDelete as ReferentialAction,
                onUpdate: row.onUpdate as ReferentialAction,
            };
            table.foreignKeys!.push(key);
        }
        key.columns.push(row.col);
        key.referencedColumns.push(row.rc);
    }
}

function attachUniqueKeys(tables: TableDef[], rows: { t: string; name: string; col: string }[]): void {
    const byIndex = new Map<string, string[]>();
    for (const row of rows) {
        const key = JSON.stringify([row.t, row.name]);
        byIndex.set(key, [...(byIndex.get(key) ?? []), row.col]);
    }
    for (const [key, columns] of byIndex) {
        const [table] = JSON.parse(key) as [string];
        tables.find((candidate) => candidate.name === table)?.uniqueKeys?.push(columns);
    }
}
