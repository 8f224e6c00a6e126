// Pure: everything that must hold before a bidirectional sync can run, and every value that cannot travel as
// it is, checked at preview and reported at once. Input: what the catalogs say (database/catalog.ts).
import { columnFindings } from "./columnRules";
import { appColumns, TableDef } from "../core/model";
import { likePatternMatches, tombstoneTable } from "../core/names";
import { Finding, RiskCode } from "../core/risks";
import { kafkaCollisionKey, kafkaTopicName } from "../core/topics";
import { MysqlFlavor } from "../core/vocabulary";

export { mysqlFamily, postgresFamily, TypeFamily } from "../core/columnTypes";

export interface PreflightInput {
    mysqlFlavor: MysqlFlavor;
    mysqlSettings: Record<string, string>;
    postgresSettings: Record<string, string>;
    mysqlTables: TableDef[];
    postgresTables: TableDef[];
    tables: string[];
    /** Every table and view name of each side (synced or not), for name clashes in the sinks' lookups. */
    mysqlRelations?: string[];
    postgresRelations?: string[];
    /** Largest row the topics carry (tandem:maxRowBytes). */
    maxRowBytes?: number;
}

function finding(code: RiskCode, subject: string, message: string): Finding {
    return { code, subject, message };
}

function serverFindings(input: PreflightInput): Finding[] {
    const out: Finding[] = [];
    const refuse = (message: string) => out.push(finding("server-setting", "", message));
    const my = input.mysqlSettings;
    if (!/^(on|1)$/i.test(my.log_bin ?? "")) refuse("MySQL/MariaDB: the binary log is off (log_bin)");
    if ((my.binlog_format ?? "").toUpperCase() !== "ROW")
        refuse(`MySQL/MariaDB: binlog_format must be ROW (is ${my.binlog_format ?? "unknown"})`);
    if ((my.binlog_row_image ?? "").toUpperCase() !== "FULL")
        refuse(`MySQL/MariaDB: binlog_row_image must be FULL (is ${my.binlog_row_image ?? "unknown"})`);
    if (input.mysqlFlavor === "mariadb" && /^(on|1)$/i.test(my.log_bin_compress ?? "")) refuse("MariaDB: log_bin_compress must be OFF");
    const pg = input.postgresSettings;
    if (pg.wal_level !== "logical") refuse(`PostgreSQL: wal_level must be logical (is ${pg.wal_level ?? "unknown"})`);
    if (Number(pg.max_replication_slots ?? 0) < 1) refuse("PostgreSQL: max_replication_slots must be at least 1");
    if (Number(pg.max_wal_senders ?? 0) < 1) refuse("PostgreSQL: max_wal_senders must be at least 1");
    const packet = Number(my.max_allowed_packet ?? 0);
    if (input.maxRowBytes && packet > 0 && packet < input.maxRowBytes) {
        out.push(
            finding(
                "row-size",
                "",
                `MySQL/MariaDB: max_allowed_packet (${packet} bytes) is below tandem:maxRowBytes (${input.maxRowBytes}): larger rows written by the sync are quarantined (raise max_allowed_packet)`,
            ),
        );
    }
    return out;
}

function keyFindings(name: string, mysqlTable: TableDef, postgresTable: TableDef): Finding[] {
    const out: Finding[] = [];
    const exclude = `(or leave the table out: tandem:tableExclude)`;
    if (mysqlTable.primaryKey.length === 0)
        out.push(finding("no-primary-key", name, `${name} has no primary key in MySQL/MariaDB: add one ${exclude}`));
    if (postgresTable.primaryKey.length === 0)
        out.push(finding("no-primary-key", name, `${name} has no primary key in PostgreSQL: add one ${exclude}`));
    if (out.length === 0 && [...mysqlTable.primaryKey].sort().join(",") !== [...postgresTable.primaryKey].sort().join(",")) {
        out.push(
            finding(
                "key-mismatch",
                name,
                `${name}: primary keys differ (MySQL/MariaDB ${mysqlTable.primaryKey.join(", ")}; PostgreSQL ${postgresTable.primaryKey.join(", ")})`,
            ),
        );
    }
    // Concurrent inserts on both sides must never produce the same key.
    for (const column of mysqlTable.primaryKey) {
        const mine = mysqlTable.columns.find((candidate) => candidate.name === column)?.generated;
        const theirs = postgresTable.columns.find((candidate) => candidate.name === column)?.generated;
        if (!mine && !theirs) continue;
        const step = mine?.step ?? theirs?.step ?? 1;
        if (!mine || !theirs || mine.step < 2 || theirs.step !== mine.step || mod(mine.offset, step) === mod(theirs.offset, step)) {
            out.push(
                finding(
                    "key-generation",
                    `${name}.${column}`,
                    `${name}.${column}: keys generated on both sides must be disjoint — set MySQL auto_increment_increment = N ≥ 2 and ` +
                        `auto_increment_offset = a, and the PostgreSQL sequence to INCREMENT BY N with a start ≠ a (mod N) ` +
                        `(now MySQL ${mine ? `step ${mine.step} offset ${mine.offset}` : "not generated"}, PostgreSQL ${theirs ? `step ${theirs.step} start ${theirs.offset}` : "not generated"})`,
                ),
            );
        }
    }
    return out;
}

function mod(a: number, n: number): number {
    return ((a % n) + n) % n;
}

function columnsFindings(name: string, mysqlTable: TableDef, postgresTable: TableDef, input: PreflightInput): Finding[] {
    const out: Finding[] = [];
    const mysqlColumns = appColumns(mysqlTable);
    const postgresColumns = appColumns(postgresTable);
    const byName = new Map(postgresColumns.map((column) => [column.name, column]));
    for (const column of mysqlColumns) {
        const other = byName.get(column.name);
        if (!other) {
            out.push(
                finding("missing-column", `${name}.${column.name}`, `${name}.${column.name} exists in MySQL/MariaDB but not in PostgreSQL`),
            );
            continue;
        }
        out.push(
            ...columnFindings({
                table: name,
                mysql: column,
                postgres: other,
                key: mysqlTable.primaryKey.includes(column.name),
                sqlMode: input.mysqlSettings.sql_mode ?? "",
                mysqlFlavor: input.mysqlFlavor,
            }),
        );
    }
    for (const column of postgresColumns) {
        if (!mysqlColumns.some((candidate) => candidate.name === column.name)) {
            out.push(
                finding("missing-column", `${name}.${column.name}`, `${name}.${column.name} exists in PostgreSQL but not in MySQL/MariaDB`),
            );
        }
    }
    return out;
}

/** Unique keys, foreign keys: constraints the other side does not enforce the same way. */
function constraintFindings(name: string, mysqlTable: TableDef, postgresTable: TableDef, synced: Set<string>): Finding[] {
    const out: Finding[] = [];
    const same = (a: string[], b: string[]) => a.length === b.length && a.every((column) => b.includes(column));
    const looseMysql = (columns: string[]) =>
        columns.some((column) => {
            const def = mysqlTable.columns.find((candidate) => candidate.name === column);
            return def?.collation !== undefined && !/_bin$/i.test(def.collation);
        });
    for (const unique of mysqlTable.uniqueKeys ?? []) {
        const subject = `${name}(${unique.join(", ")})`;
        if (!(postgresTable.uniqueKeys ?? []).some((other) => same(unique, other))) {
            out.push(
                finding(
                    "unique-one-side",
                    subject,
                    `${subject}: unique in MySQL/MariaDB only: rows from PostgreSQL that break it are quarantined (declare it in PostgreSQL too)`,
                ),
            );
        } else if (looseMysql(unique)) {
            out.push(
                finding(
                    "unique-one-side",
                    subject,
                    `${subject}: unique on both sides, but MySQL's collation ignores case/accents: rows from PostgreSQL that differ only so are quarantined`,
                ),
            );
        }
    }
    for (const unique of postgresTable.uniqueKeys ?? []) {
        const subject = `${name}(${unique.join(", ")})`;
        if (!(mysqlTable.uniqueKeys ?? []).some((other) => same(unique, other))) {
            out.push(
                finding(
                    "unique-one-side",
                    subject,
                    `${subject}: unique in PostgreSQL only: rows from MySQL/MariaDB that break it are quarantined (declare it in MySQL too)`,
                ),
            );
        }
    }
    for (const key of mysqlTable.foreignKeys ?? []) {
        const subject = `${name}.${key.name}`;
        if (["CASCADE", "SET NULL"].includes(key.onDelete) && !synced.has(key.referencedTable)) {
            out.push(
                finding(
                    "cascade-outside-sync",
                    subject,
                    `${subject}: ON DELETE ${key.onDelete} from ${key.referencedTable}, which is not synced: MySQL does not log cascaded changes, so they would never reach PostgreSQL (sync ${key.referencedTable} too)`,
                ),
            );
        }
        if (["CASCADE", "SET NULL", "SET DEFAULT"].includes(key.onUpdate)) {
            out.push(
                finding(
                    "cascade-on-update",
                    subject,
                    `${subject}: ON UPDATE ${key.onUpdate}: MySQL does not log cascaded changes, so key updates of ${key.referencedTable} leave PostgreSQL's rows pointing at the old key (avoid updating keys, or use ON UPDATE RESTRICT)`,
                ),
            );
        }
    }
    return out;
}

/** Names the sinks and Kafka see: topics of different tables, and JDBC metadata lookups, must not mix tables. */
function nameFindings(input: PreflightInput): Finding[] {
    const out: Finding[] = [];
    const byTopic = new Map<string, string[]>();
    for (const table of input.tables) {
        const key = kafkaCollisionKey(kafkaTopicName(table));
        byTopic.set(key, [...(byTopic.get(key) ?? []), table]);
    }
    for (const table of input.tables) {
        const columns = input.mysqlTables.find((candidate) => candidate.name === table)?.columns ?? [];
        for (const name of [table, ...columns.map((column) => column.name)]) {
            const subject = name === table ? table : `${table}.${name}`;
            if (name !== name.trim()) {
                out.push(
                    finding(
                        "name-whitespace",
                        subject,
                        `${JSON.stringify(subject)}: Debezium's JDBC sink trims the spaces around names, so it would write to another table or column: rename it, or exclude the table`,
                    ),
                );
            }
            if (/["`]/.test(name)) {
                out.push(
                    finding(
                        "name-quote",
                        subject,
                        `${JSON.stringify(subject)}: Debezium's JDBC sink quotes names without escaping the quote characters in them (" and \`): rename it, or exclude the table`,
                    ),
                );
            }
        }
    }
    for (const tables of byTopic.values()) {
        if (tables.length < 2) continue;
        const names = tables.map((table) => JSON.stringify(table)).join(" and ");
        out.push(
            finding(
                "topic-collision",
                tables[0],
                `${names} map to the same Kafka topic name (topics keep only letters, digits, '-', and one of '.'/'_'): rename one, or exclude one`,
            ),
        );
    }
    const sides = [
        { side: "MySQL/MariaDB", relations: input.mysqlRelations, caseInsensitive: true },
        { side: "PostgreSQL", relations: input.postgresRelations, caseInsensitive: false },
    ];
    for (const { side, relations, caseInsensitive } of sides) {
        if (!relations) continue;
        const all = [...relations, ...input.tables.map(tombstoneTable)];
        for (const table of input.tables) {
            for (const name of [table, tombstoneTable(table)]) {
                const clashes = likePatternMatches(name, all, caseInsensitive);
                if (clashes.length > 0) {
                    out.push(
                        finding(
                            "lookup-ambiguity",
                            table,
                            `${table}: in ${side}, the JDBC sink looks ${JSON.stringify(name)} up as a LIKE pattern, which also matches ${clashes.map((c) => JSON.stringify(c)).join(", ")}: rename one, or exclude the table`,
                        ),
                    );
                }
            }
        }
    }
    return out;
}

/** Every finding about the sync as configured: refusals, mappings and values that will be quarantined. */
export function preflight(input: PreflightInput): Finding[] {
    const findings = [...serverFindings(input), ...nameFindings(input)];
    const synced = new Set(input.tables);
    for (const name of input.tables) {
        const mysqlTable = input.mysqlTables.find((table) => table.name === name);
        const postgresTable = input.postgresTables.find((table) => table.name === name);
        if (!mysqlTable) findings.push(finding("missing-table", name, `${name} does not exist in MySQL/MariaDB`));
        if (!postgresTable) findings.push(finding("missing-table", name, `${name} does not exist in PostgreSQL`));
        if (!mysqlTable || !postgresTable) continue;
        findings.push(...keyFindings(name, mysqlTable, postgresTable));
        findings.push(...columnsFindings(name, mysqlTable, postgresTable, input));
        findings.push(...constraintFindings(name, mysqlTable, postgresTable, synced));
    }
    return findings;
}

/** Tables selected by an explicit list, or by include/exclude patterns (`*` wildcards) over the catalog. */
export function selectTables(catalog: string[], selection: { tables?: string[]; include?: string[]; exclude?: string[] }): string[] {
    const toRegex = (pattern: string) =>
        new RegExp(
            `^${pattern
                .split("*")
                .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
                .join(".*")}$`,
            "su",
        );
    const exclude = (selection.exclude ?? []).map(toRegex);
    if (selection.tables && selection.tables.length > 0)
        return selection.tables.filter((name) => !exclude.some((pattern) => pattern.test(name)));
    const include = (selection.include ?? ["*"]).map(toRegex);
    return catalog
        .filter((name) => !name.startsWith("_tandem_"))
        .filter((name) => include.some((pattern) => pattern.test(name)) && !exclude.some((pattern) => pattern.test(name)))
        .sort();
}
