// Test support: a generated legacy-style schema — the kind of 15-year-old MySQL schema the sync meets —
// declared on both sides, with the rows each application writes. Reserved words and odd identifiers, every
// type of the mapping table at its extremes, string keys under MariaDB's default collation, parents and
// children with foreign keys and cascades, generated and auto-updating columns, constraints that exist on
// one side only, rows larger than Kafka's default message size.
// Long on purpose: the corpus is data, one table per entry, read top to bottom beside docs/bidirectional.md.
import { RenderedColumn, RenderKind } from "./render";

export interface CorpusTable {
    name: string;
    /** Column and constraint definitions, inside CREATE TABLE's parentheses. */
    mysql: string;
    postgres: string;
    mysqlOptions?: string;
    /** Compared columns (the key first). */
    columns: RenderedColumn[];
    /** Key columns, for ORDER BY. */
    key: string[];
    /** Rows each application writes once the sync runs, then what each changes. */
    writes: { mysql: string[]; postgres: string[] };
    changes?: { mysql: string[]; postgres: string[] };
    /** Rows that must end in the quarantine, not on the other side. */
    quarantined?: Quarantined[];
    /** Good rows each side writes after its bad ones: they must arrive. */
    after?: { mysql: string[]; postgres: string[] };
}

export interface Quarantined {
    direction: "mysql-to-postgres" | "postgres-to-mysql";
    /** The row's key rendered as text, as in the compared columns. */
    key: string[];
    reason: RegExp;
}

const q = (name: string) => `\`${name.replace(/`/g, "``")}\``;
const qi = (name: string) => `"${name.replace(/"/g, '""')}"`;
const col = (name: string, kind: RenderKind = "text"): RenderedColumn => ({ name, kind });

/** PostgreSQL objects the corpus needs before its tables (a case/accent-insensitive collation, an enum type). */
export function corpusPrelude(suffix: string): string[] {
    return [
        `CREATE COLLATION IF NOT EXISTS tandem_ci_${suffix} (provider = icu, locale = 'und-u-ks-level1', deterministic = false)`,
        `DO $$ BEGIN CREATE TYPE mood_${suffix} AS ENUM ('happy', 'b,c', 'it''s'); EXCEPTION WHEN duplicate_object THEN NULL; END $$`,
    ];
}

/**
 * A table keyed by `id` with value columns of odd names: each side inserts two rows, updates one of the
 * other side's and deletes one of its own.
 */
function identifierTable(name: string, columns: string[]): CorpusTable {
    const my = (id: number, tag: string) =>
        `INSERT INTO ${q(name)} (id, ${columns.map(q).join(", ")}) VALUES (${id}, ${columns.map((_, i) => `'${tag}${i}'`).join(", ")})`;
    const pg = (id: number, tag: string) =>
        `INSERT INTO ${qi(name)} (id, ${columns.map(qi).join(", ")}) VALUES (${id}, ${columns.map((_, i) => `'${tag}${i}'`).join(", ")})`;
    return {
        name,
        mysql: `id INT PRIMARY KEY, ${columns.map((c) => `${q(c)} VARCHAR(30) NULL`).join(", ")}`,
        postgres: `id integer PRIMARY KEY, ${columns.map((c) => `${qi(c)} varchar(30)`).join(", ")}`,
        columns: [col("id"), ...columns.map((c) => col(c))],
        key: ["id"],
        writes: { mysql: [my(1, "m"), my(3, "m")], postgres: [pg(2, "p"), pg(4, "p")] },
        changes: {
            mysql: [`UPDATE ${q(name)} SET ${q(columns[0])} = 'changed in mysql' WHERE id = 2`, `DELETE FROM ${q(name)} WHERE id = 3`],
            postgres: [
                `UPDATE ${qi(name)} SET ${qi(columns[0])} = 'changed in postgres' WHERE id = 1`,
                `DELETE FROM ${qi(name)} WHERE id = 4`,
            ],
        },
    };
}

/** The tables (names get `suffix`, so that runs do not collide). 46 pairs. */
export function legacyCorpus(suffix: string): CorpusTable[] {
    const s = (name: string) => `${name}_${suffix}`;
    const long63 = `t${suffix}_${"x".repeat(62 - suffix.length)}`.slice(0, 63);
    const identifiers: CorpusTable[] = [
        identifierTable(`order`, ["select", "from"]),
        identifierTable(`user`, ["group", "desc"]),
        identifierTable(`table`, ["key", "limit"]),
        identifierTable(`check`, ["default", "column"]),
        identifierTable(`Mixed Case ${suffix}`, ["CamelCol", "lower col"]),
        identifierTable(`dash-table-${suffix}`, ["dash-col", "x-y"]),
        identifierTable(`dot.table.${suffix}`, ["dot.col", "a.b.c"]),
        identifierTable(`café ${suffix}`, ["naïve", "ünïcödé"]),
        identifierTable(`it's quoted ${suffix}`, ["it's", "a'b'c"]),
        identifierTable(`数据表${suffix}`, ["列", "名前"]),
        identifierTable(`UPPER_${suffix}`, ["VALUE", "Value2"]),
        identifierTable(long63, ["c".repeat(63), `${"d".repeat(62)}e`]),
        identifierTable(`long_table_name_for_tombstone_fitting_${suffix}_${"z".repeat(10)}`, ["v"]),
        identifierTable(`inner  space ${suffix}`, ["$dollar", "#hash"]),
    ].map((table) => (["order", "user", "table", "check"].includes(table.name) ? { ...table, name: table.name } : table));

    const types: CorpusTable[] = [
        {
            name: s("t_integers"),
            // u32: an unsigned int facing a signed PostgreSQL integer (values over 2^31-1 are quarantined).
            mysql: "id INT PRIMARY KEY, ti TINYINT, si SMALLINT, mi MEDIUMINT, i INT, bi BIGINT, tu TINYINT UNSIGNED, su SMALLINT UNSIGNED, iu INT UNSIGNED, bu BIGINT UNSIGNED, y YEAR, u32 INT UNSIGNED",
            postgres:
                "id integer PRIMARY KEY, ti smallint, si smallint, mi integer, i integer, bi bigint, tu smallint, su integer, iu bigint, bu numeric(20,0), y smallint, u32 integer",
            columns: ["id", "ti", "si", "mi", "i", "bi", "tu", "su", "iu", "bu", "y", "u32"].map((name) => col(name)),
            key: ["id"],
            writes: {
                mysql: [
                    "INSERT INTO `" +
                        s("t_integers") +
                        "` (id, ti, si, mi, i, bi, tu, su, iu, bu, y) VALUES (1, -128, -32768, -8388608, -2147483648, -9223372036854775808, 0, 0, 0, 0, 1901)",
                    "INSERT INTO `" +
                        s("t_integers") +
                        "` (id, ti, si, mi, i, bi, tu, su, iu, bu, y, u32) VALUES (3, 127, 32767, 8388607, 2147483647, 9223372036854775807, 255, 65535, 4294967295, 18446744073709551615, 2155, 2147483647)",
                    "INSERT INTO `" + s("t_integers") + "` (id, u32) VALUES (5, 4294967295)",
                ],
                postgres: [
                    `INSERT INTO "${s("t_integers")}" (id, ti, si, mi, i, bi, tu, su, iu, bu, y) VALUES (2, -1, 1, 2, 3, 4, 5, 6, 7, 8, 2000)`,
                    // Out of MySQL's ranges: quarantined (BIGINT UNSIGNED cannot hold -1; YEAR stops at 2155).
                    `INSERT INTO "${s("t_integers")}" (id, bu) VALUES (4, -1)`,
                    `INSERT INTO "${s("t_integers")}" (id, y) VALUES (6, 3000)`,
                ],
            },
            after: {
                mysql: [`INSERT INTO \`${s("t_integers")}\` (id, i) VALUES (101, 1)`],
                postgres: [`INSERT INTO "${s("t_integers")}" (id, i) VALUES (102, 2)`],
            },
            quarantined: [
                { direction: "mysql-to-postgres", key: ["5"], reason: /out of range|22003/i },
                { direction: "postgres-to-mysql", key: ["4"], reason: /Out of range|out of range|22003|1264/i },
                { direction: "postgres-to-mysql", key: ["6"], reason: /Out of range|out of range|22003|1264/i },
            ],
        },
        {
            name: s("t_decimals"),
            mysql: "id INT PRIMARY KEY, d DECIMAL(10,2), big DECIMAL(38,10), neg DECIMAL(5,5)",
            postgres: "id integer PRIMARY KEY, d numeric(10,2), big numeric(38,10), neg numeric(5,5)",
            columns: ["id", "d", "big", "neg"].map((name) => col(name)),
            key: ["id"],
            writes: {
                mysql: [
                    "INSERT INTO `" +
                        s("t_decimals") +
                        "` (id, d, big, neg) VALUES (1, -99999999.99, 9999999999999999999999999999.9999999999, -0.99999)",
                ],
                postgres: [
                    `INSERT INTO "${s("t_decimals")}" (id, d, big, neg) VALUES (2, 0.01, -0.0000000001, 0.00001)`,
                    `INSERT INTO "${s("t_decimals")}" (id, d) VALUES (4, 'NaN')`,
                ],
            },
            after: {
                mysql: [`INSERT INTO \`${s("t_decimals")}\` (id, d) VALUES (101, 1.5)`],
                postgres: [`INSERT INTO "${s("t_decimals")}" (id, d) VALUES (102, 2.5)`],
            },
            quarantined: [
                { direction: "postgres-to-mysql", key: ["4"], reason: /NaN|Character N is neither|cannot|NumberFormat|Infinite or NaN/i },
            ],
        },
        {
            name: s("t_floats"),
            mysql: "id INT PRIMARY KEY, f FLOAT, d DOUBLE",
            postgres: "id integer PRIMARY KEY, f real, d double precision",
            columns: [col("id"), col("f", "float4"), col("d", "float8")],
            key: ["id"],
            writes: {
                mysql: [
                    "INSERT INTO `" +
                        s("t_floats") +
                        "` (id, f, d) VALUES (1, 3.40282e38, 1.7976931348623157e308), (3, -1.17549e-38, 2.2250738585072014e-308), (5, 0, -0.5)",
                ],
                postgres: [
                    `INSERT INTO "${s("t_floats")}" (id, f, d) VALUES (2, 1.5, 3.141592653589793)`,
                    `INSERT INTO "${s("t_floats")}" (id, d) VALUES (4, 'NaN')`,
                    `INSERT INTO "${s("t_floats")}" (id, f) VALUES (6, '-Infinity')`,
                ],
            },
            after: {
                mysql: [`INSERT INTO \`${s("t_floats")}\` (id, d) VALUES (101, 1.5)`],
                postgres: [`INSERT INTO "${s("t_floats")}" (id, d) VALUES (102, 2.5)`],
            },
            quarantined: [
                { direction: "postgres-to-mysql", key: ["4"], reason: /./ },
                { direction: "postgres-to-mysql", key: ["6"], reason: /./ },
            ],
        },
        {
            name: s("t_strings"),
            mysql: "id INT PRIMARY KEY, c CHAR(10), v VARCHAR(255), tt TINYTEXT, t TEXT, mt MEDIUMTEXT, short VARCHAR(5)",
            postgres: "id integer PRIMARY KEY, c character(10), v varchar(255), tt varchar(255), t text, mt text, short varchar(5)",
            columns: ["id", "c", "v", "tt", "t", "mt", "short"].map((name) => col(name)),
            key: ["id"],
            writes: {
                mysql: [
                    "INSERT INTO `" +
                        s("t_strings") +
                        "` (id, c, v, tt, t, mt, short) VALUES (1, 'abcdefghij', CONCAT(REPEAT('é', 254), '😀'), REPEAT('x', 255), REPEAT('long text ', 6000), REPEAT('m', 100000), '')",
                    "INSERT INTO `" +
                        s("t_strings") +
                        "` (id, c, v, t) VALUES (3, 'a', 'quote '' backslash \\\\ tab \t newline \n end', 'emoji 😀 and 中文')",
                    // PostgreSQL refuses NUL characters: quarantined.
                    "INSERT INTO `" + s("t_strings") + "` (id, v) VALUES (5, CONCAT('nul', CHAR(0), 'inside'))",
                ],
                postgres: [
                    `INSERT INTO "${s("t_strings")}" (id, c, v, t, short) VALUES (2, 'pg', 'from postgres ✓', repeat('p', 60000), 'five5')`,
                    // Longer than MySQL's TEXT (65,535 bytes): quarantined.
                    `INSERT INTO "${s("t_strings")}" (id, t) VALUES (4, repeat('€', 30000))`,
                ],
            },
            changes: {
                mysql: ["UPDATE `" + s("t_strings") + "` SET short = 'ok' WHERE id = 2"],
                postgres: [`UPDATE "${s("t_strings")}" SET c = 'changed' WHERE id = 1`],
            },
            after: {
                mysql: [`INSERT INTO \`${s("t_strings")}\` (id, v) VALUES (101, 'after')`],
                postgres: [`INSERT INTO "${s("t_strings")}" (id, v) VALUES (102, 'after')`],
            },
            quarantined: [
                { direction: "mysql-to-postgres", key: ["5"], reason: /0x00|invalid byte sequence|nul/i },
                { direction: "postgres-to-mysql", key: ["4"], reason: /Data too long|too long|22001/i },
            ],
        },
        {
            name: s("t_binary"),
            mysql: "id INT PRIMARY KEY, vb VARBINARY(100), b BLOB, lb LONGBLOB",
            postgres: "id integer PRIMARY KEY, vb bytea, b bytea, lb bytea",
            columns: [col("id"), col("vb", "hex"), col("b", "hex"), col("lb", "hex")],
            key: ["id"],
            writes: {
                mysql: ["INSERT INTO `" + s("t_binary") + "` (id, vb, b, lb) VALUES (1, X'00FF7F80', X'', REPEAT(X'DEADBEEF', 50000))"],
                postgres: [`INSERT INTO "${s("t_binary")}" (id, vb, b) VALUES (2, '\\x0001', '\\xff')`],
            },
        },
        {
            name: s("t_temporal"),
            mysql: "id INT PRIMARY KEY, d DATE, t TIME(6), dt DATETIME(6), ts TIMESTAMP(6) NULL, dt0 DATETIME, tm TIME",
            postgres: "id integer PRIMARY KEY, d date, t time(6), dt timestamp(6), ts timestamptz(6), dt0 timestamp(0), tm time(0)",
            columns: [
                col("id"),
                col("d", "date"),
                col("t", "time6"),
                col("dt", "datetime6"),
                col("ts", "timestamptz6"),
                col("dt0", "datetime6"),
                col("tm", "time6"),
            ],
            key: ["id"],
            writes: {
                mysql: [
                    "INSERT INTO `" +
                        s("t_temporal") +
                        "` (id, d, t, dt, ts, dt0, tm) VALUES (1, '1000-01-01', '00:00:00', '1000-01-01 00:00:00.000000', '1970-01-01 00:00:01', '2024-02-29 23:59:59', '23:59:59')",
                    "INSERT INTO `" +
                        s("t_temporal") +
                        "` (id, d, t, dt, ts, dt0, tm) VALUES (3, '9999-12-31', '23:59:59.999999', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999', '1999-12-31 00:00:00', '00:00:01')",
                    // TIME beyond a day is legal in MySQL, impossible in PostgreSQL: quarantined.
                    "INSERT INTO `" + s("t_temporal") + "` (id, tm) VALUES (5, '838:59:59')",
                    "INSERT INTO `" + s("t_temporal") + "` (id, tm) VALUES (7, '-01:00:00')",
                ],
                postgres: [
                    `INSERT INTO "${s("t_temporal")}" (id, d, t, dt, ts) VALUES (2, '2026-11-30', '12:34:56.789012', '2026-11-30 12:34:56.789012', '2026-11-30 12:34:56.789012+00')`,
                    // Dates MySQL cannot hold: quarantined.
                    `INSERT INTO "${s("t_temporal")}" (id, dt) VALUES (4, 'infinity')`,
                    `INSERT INTO "${s("t_temporal")}" (id, ts) VALUES (6, '2100-01-01 00:00:00+00')`,
                    `INSERT INTO "${s("t_temporal")}" (id, d) VALUES (8, '0099-01-01 BC')`,
                    `INSERT INTO "${s("t_temporal")}" (id, d) VALUES (10, 'infinity')`,
                    `INSERT INTO "${s("t_temporal")}" (id, ts) VALUES (12, '-infinity')`,
                ],
            },
            after: {
                mysql: [`INSERT INTO \`${s("t_temporal")}\` (id, d) VALUES (101, '2001-01-01')`],
                postgres: [`INSERT INTO "${s("t_temporal")}" (id, d) VALUES (102, '2002-02-02')`],
            },
            quarantined: [
                { direction: "mysql-to-postgres", key: ["5"], reason: /NanoOfDay|time/i },
                { direction: "mysql-to-postgres", key: ["7"], reason: /NanoOfDay|time/i },
                { direction: "postgres-to-mysql", key: ["4"], reason: /./ },
                { direction: "postgres-to-mysql", key: ["6"], reason: /./ },
                { direction: "postgres-to-mysql", key: ["8"], reason: /./ },
                { direction: "postgres-to-mysql", key: ["10"], reason: /./ },
                { direction: "postgres-to-mysql", key: ["12"], reason: /./ },
            ],
        },
        {
            name: s("t_zero_dates"),
            mysql: "id INT PRIMARY KEY, d DATE NOT NULL DEFAULT '0000-00-00', dt DATETIME NOT NULL DEFAULT '0000-00-00 00:00:00', dn DATE NULL",
            postgres: "id integer PRIMARY KEY, d date, dt timestamp(0), dn date",
            columns: [col("id"), col("d", "zerodate"), col("dt", "zerodatetime"), col("dn", "zerodate")],
            key: ["id"],
            writes: {
                mysql: [
                    "INSERT INTO `" + s("t_zero_dates") + "` (id, d, dt, dn) VALUES (1, '0000-00-00', '0000-00-00 00:00:00', '0000-00-00')",
                    "INSERT INTO `" + s("t_zero_dates") + "` (id, d, dt, dn) VALUES (3, '2024-00-15', '2024-02-00 10:00:00', '2024-01-15')",
                    "INSERT INTO `" + s("t_zero_dates") + "` (id, d, dt) VALUES (5, '1970-01-01', '1970-01-01 00:00:00')",
                ],
                postgres: [`INSERT INTO "${s("t_zero_dates")}" (id, d, dt) VALUES (2, '2026-01-01', NULL)`],
            },
            changes: {
                mysql: [],
                // PostgreSQL's application rewrites a row holding NULLs (MySQL's zero dates): MySQL gets them back.
                postgres: [`UPDATE "${s("t_zero_dates")}" SET dn = '2020-02-02' WHERE id = 1`],
            },
        },
        {
            name: s("t_json"),
            mysql: "id INT PRIMARY KEY, j JSON",
            postgres: "id integer PRIMARY KEY, j jsonb",
            columns: [col("id"), col("j", "json")],
            key: ["id"],
            writes: {
                mysql: [
                    "INSERT INTO `" +
                        s("t_json") +
                        '` (id, j) VALUES (1, \'{"b": [1, 2.5, null, true], "a": {"nested": "é\\\\u00e9"}, "empty": {}}\'), (3, \'[]\'), (5, \'"scalar"\')',
                ],
                postgres: [`INSERT INTO "${s("t_json")}" (id, j) VALUES (2, '{"z": 1, "a": "x"}')`],
            },
        },
        {
            name: s("t_enums"),
            mysql: `id INT PRIMARY KEY, e ENUM('a','b,c','it''s','x\\\\y','two words','') NULL, st SET('p','q r','x''y') NULL, m ENUM('happy','b,c','it''s') NULL`,
            postgres: `id integer PRIMARY KEY, e text, st text, m mood_${suffix}`,
            columns: ["id", "e", "st", "m"].map((name) => col(name)),
            key: ["id"],
            writes: {
                mysql: [
                    "INSERT INTO `" +
                        s("t_enums") +
                        "` (id, e, st, m) VALUES (1, 'b,c', 'p,q r', 'b,c'), (3, 'it''s', 'x''y', 'it''s'), (5, 'x\\\\y', '', 'happy'), (7, 'two words', 'p', NULL), (9, '', NULL, NULL)",
                ],
                postgres: [
                    `INSERT INTO "${s("t_enums")}" (id, e, st, m) VALUES (2, 'b,c', 'q r,x''y', 'it''s')`,
                    // Not an option of MySQL's ENUM: quarantined.
                    `INSERT INTO "${s("t_enums")}" (id, e) VALUES (4, 'not an option')`,
                ],
            },
            after: {
                mysql: [`INSERT INTO \`${s("t_enums")}\` (id, e) VALUES (101, 'a')`],
                postgres: [`INSERT INTO "${s("t_enums")}" (id, e) VALUES (102, 'a')`],
            },
            quarantined: [{ direction: "postgres-to-mysql", key: ["4"], reason: /Data truncated|truncated|01000|1265/i }],
        },
        {
            name: s("t_booleans"),
            mysql: "id INT PRIMARY KEY, flag TINYINT(1), num TINYINT(1), bit1 BIT(1)",
            postgres: "id integer PRIMARY KEY, flag boolean, num smallint, bit1 boolean",
            columns: [col("id"), col("flag", "bool"), col("num"), col("bit1", "bool")],
            key: ["id"],
            writes: {
                mysql: [
                    "INSERT INTO `" + s("t_booleans") + "` (id, flag, num, bit1) VALUES (1, 1, 2, b'1'), (3, 0, -128, b'0')",
                    // 2 is no boolean: quarantined rather than becoming true.
                    "INSERT INTO `" + s("t_booleans") + "` (id, flag) VALUES (5, 2)",
                ],
                postgres: [`INSERT INTO "${s("t_booleans")}" (id, flag, num, bit1) VALUES (2, true, 127, false)`],
            },
            after: {
                mysql: [`INSERT INTO \`${s("t_booleans")}\` (id, flag) VALUES (101, 1)`],
                postgres: [`INSERT INTO "${s("t_booleans")}" (id, flag) VALUES (102, false)`],
            },
            quarantined: [{ direction: "mysql-to-postgres", key: ["5"], reason: /boolean/i }],
        },
        {
            name: s("t_uuid"),
            mysql: "id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY, ref CHAR(36) NULL",
            postgres: "id uuid PRIMARY KEY, ref uuid",
            columns: [col("id"), col("ref")],
            key: ["id"],
            writes: {
                mysql: [
                    "INSERT INTO `" +
                        s("t_uuid") +
                        "` (id, ref) VALUES ('0b5b8a6e-0f7a-4d3e-9d4e-1c2b3a4d5e6f', '00000000-0000-0000-0000-000000000000')",
                ],
                postgres: [`INSERT INTO "${s("t_uuid")}" (id, ref) VALUES ('ffffffff-ffff-ffff-ffff-ffffffffffff', NULL)`],
            },
        },
        {
            name: s("t_latin1"),
            mysql: "id INT PRIMARY KEY, name VARCHAR(50) CHARACTER SET latin1 COLLATE latin1_swedish_ci NULL",
            postgres: "id integer PRIMARY KEY, name varchar(50)",
            columns: [col("id"), col("name")],
            key: ["id"],
            writes: {
                mysql: ["INSERT INTO `" + s("t_latin1") + "` (id, name) VALUES (1, 'Müller Ångström')"],
                postgres: [
                    `INSERT INTO "${s("t_latin1")}" (id, name) VALUES (2, 'Café')`,
                    // latin1 has no emoji: quarantined.
                    `INSERT INTO "${s("t_latin1")}" (id, name) VALUES (4, 'emoji 😀')`,
                ],
            },
            after: {
                mysql: [`INSERT INTO \`${s("t_latin1")}\` (id, name) VALUES (101, 'after')`],
                postgres: [`INSERT INTO "${s("t_latin1")}" (id, name) VALUES (102, 'after')`],
            },
            quarantined: [{ direction: "postgres-to-mysql", key: ["4"], reason: /Incorrect string value|1366|22007|HY000/i }],
        },
    ];

    const keys: CorpusTable[] = [
        {
            // MariaDB's default collation (case- and accent-insensitive) on both sides: PostgreSQL with a matching
            // nondeterministic ICU collation. Concurrent 'abc'/'ABC' end as one row with the winner's spelling.
            name: s("t_string_key"),
            mysql: "code VARCHAR(20) NOT NULL PRIMARY KEY, label VARCHAR(20) NULL",
            postgres: `code varchar(20) COLLATE tandem_ci_${suffix} PRIMARY KEY, label varchar(20)`,
            columns: [col("code"), col("label")],
            key: ["code"],
            writes: {
                mysql: [
                    "INSERT INTO `" + s("t_string_key") + "` (code, label) VALUES ('ABC', 'mysql'), ('only-mysql', 'm'), ('Émile', 'm')",
                ],
                postgres: [`INSERT INTO "${s("t_string_key")}" (code, label) VALUES ('abc', 'postgres'), ('only-postgres', 'p')`],
            },
        },
        {
            name: s("t_bin_key"),
            mysql: "code VARCHAR(20) COLLATE utf8mb4_nopad_bin NOT NULL PRIMARY KEY, n INT NULL",
            postgres: "code varchar(20) PRIMARY KEY, n integer",
            columns: [col("code"), col("n")],
            key: ["code"],
            writes: {
                mysql: ["INSERT INTO `" + s("t_bin_key") + "` (code, n) VALUES ('Key', 1), ('key', 3), ('key ', 5)"],
                postgres: [`INSERT INTO "${s("t_bin_key")}" (code, n) VALUES ('KEY', 2)`],
            },
        },
        {
            name: s("t_composite_key"),
            mysql: "a INT NOT NULL, b VARCHAR(10) COLLATE utf8mb4_nopad_bin NOT NULL, v INT NULL, PRIMARY KEY (a, b)",
            postgres: "a integer NOT NULL, b varchar(10) NOT NULL, v integer, PRIMARY KEY (a, b)",
            columns: [col("a"), col("b"), col("v")],
            key: ["a", "b"],
            writes: {
                mysql: ["INSERT INTO `" + s("t_composite_key") + "` (a, b, v) VALUES (1, 'x', 1), (1, 'y', 3)"],
                postgres: [`INSERT INTO "${s("t_composite_key")}" (a, b, v) VALUES (2, 'x', 2)`],
            },
            changes: {
                mysql: ["UPDATE `" + s("t_composite_key") + "` SET v = 20 WHERE a = 2 AND b = 'x'"],
                postgres: [`DELETE FROM "${s("t_composite_key")}" WHERE a = 1 AND b = 'y'`],
            },
        },
        {
            name: s("t_unsigned_key"),
            mysql: "id BIGINT UNSIGNED NOT NULL PRIMARY KEY, v INT NULL",
            postgres: "id numeric(20,0) PRIMARY KEY, v integer",
            columns: [col("id"), col("v")],
            key: ["id"],
            writes: {
                mysql: ["INSERT INTO `" + s("t_unsigned_key") + "` (id, v) VALUES (18446744073709551615, 1), (1, 3)"],
                postgres: [`INSERT INTO "${s("t_unsigned_key")}" (id, v) VALUES (9223372036854775808, 2)`],
            },
        },
    ];

    const customers = s("customers");
    const orders = s("orders_fk");
    const lines = s("order_lines");
    const notes = s("notes_fk");
    const tags = s("tags_fk");
    const reviews = s("reviews_fk");
    const likes = s("likes_fk");
    const relations: CorpusTable[] = [
        {
            name: customers,
            mysql: "id INT PRIMARY KEY, name VARCHAR(50) NOT NULL",
            postgres: "id integer PRIMARY KEY, name varchar(50) NOT NULL",
            columns: [col("id"), col("name")],
            key: ["id"],
            writes: {
                mysql: [`INSERT INTO ${q(customers)} (id, name) VALUES (1, 'one'), (3, 'three'), (5, 'five')`],
                postgres: [`INSERT INTO ${qi(customers)} (id, name) VALUES (2, 'two'), (4, 'four')`],
            },
            // Deleting a customer cascades: MySQL's own cascade never reaches its binlog.
            changes: { mysql: [`DELETE FROM ${q(customers)} WHERE id = 1`], postgres: [`DELETE FROM ${qi(customers)} WHERE id = 2`] },
        },
        {
            name: orders,
            mysql: `id INT PRIMARY KEY, customer_id INT NULL, total DECIMAL(10,2) NULL, CONSTRAINT ${q(`fk_o_${suffix}`)} FOREIGN KEY (customer_id) REFERENCES ${q(customers)} (id) ON DELETE CASCADE`,
            postgres: `id integer PRIMARY KEY, customer_id integer REFERENCES ${qi(customers)} (id) ON DELETE CASCADE, total numeric(10,2)`,
            columns: [col("id"), col("customer_id"), col("total")],
            key: ["id"],
            writes: {
                mysql: [`INSERT INTO ${q(orders)} (id, customer_id, total) VALUES (11, 1, 10.00), (13, 3, 30.00)`],
                postgres: [`INSERT INTO ${qi(orders)} (id, customer_id, total) VALUES (12, 2, 12.00), (14, 4, 14.00)`],
            },
        },
        {
            name: lines,
            mysql: `id INT PRIMARY KEY, order_id INT NULL, qty INT NULL, CONSTRAINT ${q(`fk_l_${suffix}`)} FOREIGN KEY (order_id) REFERENCES ${q(orders)} (id) ON DELETE CASCADE`,
            postgres: `id integer PRIMARY KEY, order_id integer REFERENCES ${qi(orders)} (id) ON DELETE CASCADE, qty integer`,
            columns: [col("id"), col("order_id"), col("qty")],
            key: ["id"],
            writes: {
                mysql: [`INSERT INTO ${q(lines)} (id, order_id, qty) VALUES (101, 11, 1), (103, 13, 3)`],
                postgres: [`INSERT INTO ${qi(lines)} (id, order_id, qty) VALUES (102, 12, 2), (104, 14, 4)`],
            },
        },
        {
            name: notes,
            mysql: `id INT PRIMARY KEY, customer_id INT NULL, body VARCHAR(50) NULL, CONSTRAINT ${q(`fk_n_${suffix}`)} FOREIGN KEY (customer_id) REFERENCES ${q(customers)} (id) ON DELETE SET NULL`,
            postgres: `id integer PRIMARY KEY, customer_id integer REFERENCES ${qi(customers)} (id) ON DELETE SET NULL, body varchar(50)`,
            columns: [col("id"), col("customer_id"), col("body")],
            key: ["id"],
            writes: {
                mysql: [`INSERT INTO ${q(notes)} (id, customer_id, body) VALUES (21, 1, 'about one'), (23, 3, 'about three')`],
                postgres: [`INSERT INTO ${qi(notes)} (id, customer_id, body) VALUES (22, 2, 'about two')`],
            },
        },
        {
            // ON DELETE CASCADE in MySQL only (PostgreSQL's key restricts): repeated in PostgreSQL, no failure.
            name: reviews,
            mysql: `id INT PRIMARY KEY, customer_id INT NULL, stars INT NULL, CONSTRAINT ${q(`fk_r_${suffix}`)} FOREIGN KEY (customer_id) REFERENCES ${q(customers)} (id) ON DELETE CASCADE`,
            postgres: `id integer PRIMARY KEY, customer_id integer REFERENCES ${qi(customers)} (id), stars integer`,
            columns: [col("id"), col("customer_id"), col("stars")],
            key: ["id"],
            writes: {
                mysql: [`INSERT INTO ${q(reviews)} (id, customer_id, stars) VALUES (41, 1, 5), (43, 3, 4)`],
                postgres: [`INSERT INTO ${qi(reviews)} (id, customer_id, stars) VALUES (42, 4, 3)`],
            },
        },
        {
            // ON DELETE CASCADE in PostgreSQL only (MySQL's key restricts): PostgreSQL's deletes reach MySQL, no failure.
            name: likes,
            mysql: `id INT PRIMARY KEY, customer_id INT NULL, CONSTRAINT ${q(`fk_k_${suffix}`)} FOREIGN KEY (customer_id) REFERENCES ${q(customers)} (id)`,
            postgres: `id integer PRIMARY KEY, customer_id integer REFERENCES ${qi(customers)} (id) ON DELETE CASCADE`,
            columns: [col("id"), col("customer_id")],
            key: ["id"],
            writes: {
                mysql: [`INSERT INTO ${q(likes)} (id, customer_id) VALUES (51, 3)`],
                postgres: [`INSERT INTO ${qi(likes)} (id, customer_id) VALUES (52, 2), (54, 2)`],
            },
        },
        {
            name: tags,
            mysql: `id INT PRIMARY KEY, customer_id INT NULL, tag VARCHAR(20) NULL, CONSTRAINT ${q(`fk_t_${suffix}`)} FOREIGN KEY (customer_id) REFERENCES ${q(customers)} (id)`,
            postgres: `id integer PRIMARY KEY, customer_id integer REFERENCES ${qi(customers)} (id), tag varchar(20)`,
            columns: [col("id"), col("customer_id"), col("tag")],
            key: ["id"],
            writes: {
                mysql: [`INSERT INTO ${q(tags)} (id, customer_id, tag) VALUES (31, 5, 'vip')`],
                postgres: [`INSERT INTO ${qi(tags)} (id, customer_id, tag) VALUES (32, 4, 'new')`],
            },
        },
    ];

    const generated: CorpusTable[] = [
        {
            name: s("t_generated"),
            mysql: "id INT PRIMARY KEY, price DECIMAL(10,2) NULL, qty INT NULL, total DECIMAL(20,2) AS (price * qty) VIRTUAL",
            postgres:
                "id integer PRIMARY KEY, price numeric(10,2), qty integer, total numeric(20,2) GENERATED ALWAYS AS (price * qty) STORED",
            columns: ["id", "price", "qty", "total"].map((name) => col(name)),
            key: ["id"],
            writes: {
                mysql: ["INSERT INTO `" + s("t_generated") + "` (id, price, qty) VALUES (1, 2.50, 4)"],
                postgres: [`INSERT INTO "${s("t_generated")}" (id, price, qty) VALUES (2, 1.25, 8)`],
            },
            changes: {
                mysql: ["UPDATE `" + s("t_generated") + "` SET qty = 10 WHERE id = 2"],
                postgres: [`UPDATE "${s("t_generated")}" SET price = 3.00 WHERE id = 1`],
            },
        },
        {
            // ON UPDATE CURRENT_TIMESTAMP keeps the value that travelled (the sink names every column).
            name: s("t_on_update"),
            mysql: "id INT PRIMARY KEY, v INT NULL, updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)",
            postgres: "id integer PRIMARY KEY, v integer, updated_at timestamptz(6) NOT NULL DEFAULT now()",
            columns: [col("id"), col("v"), col("updated_at", "timestamptz6")],
            key: ["id"],
            writes: {
                mysql: ["INSERT INTO `" + s("t_on_update") + "` (id, v, updated_at) VALUES (1, 1, '2001-01-01 00:00:00')"],
                postgres: [`INSERT INTO "${s("t_on_update")}" (id, v, updated_at) VALUES (2, 2, '2002-02-02 00:00:00+00')`],
            },
            changes: {
                mysql: [],
                postgres: [`UPDATE "${s("t_on_update")}" SET v = 10, updated_at = '2003-03-03 00:00:00+00' WHERE id = 1`],
            },
        },
        {
            name: s("t_autoinc"),
            mysql: "id INT AUTO_INCREMENT PRIMARY KEY, status VARCHAR(10) NOT NULL DEFAULT 'new'",
            postgres:
                "id integer GENERATED BY DEFAULT AS IDENTITY (START WITH 2 INCREMENT BY 2) PRIMARY KEY, status varchar(10) NOT NULL DEFAULT 'new'",
            columns: [col("id"), col("status")],
            key: ["id"],
            writes: {
                mysql: [
                    "INSERT INTO `" + s("t_autoinc") + "` (status) VALUES ('m1'), ('m2')",
                    "INSERT INTO `" + s("t_autoinc") + "` () VALUES ()",
                ],
                postgres: [
                    `INSERT INTO "${s("t_autoinc")}" (status) VALUES ('p1'), ('p2')`,
                    `INSERT INTO "${s("t_autoinc")}" DEFAULT VALUES`,
                ],
            },
        },
    ];

    const constraints: CorpusTable[] = [
        {
            name: s("t_check_pg"),
            mysql: "id INT PRIMARY KEY, qty INT NULL",
            postgres: "id integer PRIMARY KEY, qty integer CHECK (qty >= 0)",
            columns: [col("id"), col("qty")],
            key: ["id"],
            writes: { mysql: ["INSERT INTO `" + s("t_check_pg") + "` (id, qty) VALUES (1, 5), (3, -1), (5, 7)"], postgres: [] },
            after: {
                mysql: [`INSERT INTO \`${s("t_check_pg")}\` (id, qty) VALUES (101, 1)`],
                postgres: [`INSERT INTO "${s("t_check_pg")}" (id, qty) VALUES (102, 2)`],
            },
            quarantined: [{ direction: "mysql-to-postgres", key: ["3"], reason: /check constraint|23514/i }],
        },
        {
            name: s("t_not_null_pg"),
            mysql: "id INT PRIMARY KEY, name VARCHAR(10) NULL",
            postgres: "id integer PRIMARY KEY, name varchar(10) NOT NULL",
            columns: [col("id"), col("name")],
            key: ["id"],
            writes: { mysql: ["INSERT INTO `" + s("t_not_null_pg") + "` (id, name) VALUES (1, 'x'), (3, NULL), (5, 'y')"], postgres: [] },
            after: {
                mysql: [`INSERT INTO \`${s("t_not_null_pg")}\` (id, name) VALUES (101, 'after')`],
                postgres: [`INSERT INTO "${s("t_not_null_pg")}" (id, name) VALUES (102, 'after')`],
            },
            quarantined: [{ direction: "mysql-to-postgres", key: ["3"], reason: /null value|not-null|23502/i }],
        },
        {
            // Unique in MySQL only: a PostgreSQL row that breaks it must not overwrite MySQL's other row.
            name: s("t_unique_my"),
            mysql: "id INT PRIMARY KEY, email VARCHAR(50) NULL, UNIQUE KEY uq_email (email)",
            postgres: "id integer PRIMARY KEY, email varchar(50)",
            columns: [col("id"), col("email")],
            key: ["id"],
            writes: {
                mysql: ["INSERT INTO `" + s("t_unique_my") + "` (id, email) VALUES (1, 'a@example.org')"],
                postgres: [`INSERT INTO "${s("t_unique_my")}" (id, email) VALUES (2, 'b@example.org'), (4, 'A@example.org')`],
            },
            after: {
                mysql: [`INSERT INTO \`${s("t_unique_my")}\` (id, email) VALUES (101, 'c@example.org')`],
                postgres: [`INSERT INTO "${s("t_unique_my")}" (id, email) VALUES (102, 'd@example.org')`],
            },
            quarantined: [{ direction: "postgres-to-mysql", key: ["4"], reason: /collides on a unique key|Duplicate/i }],
        },
        {
            // Rows larger than Kafka's default 1 MB message are carried up to tandem:maxRowBytes; beyond, quarantined.
            name: s("t_big_rows"),
            mysql: "id INT PRIMARY KEY, body LONGTEXT NULL, blob_col LONGBLOB NULL",
            postgres: "id integer PRIMARY KEY, body text, blob_col bytea",
            columns: [col("id"), col("body"), col("blob_col", "hex")],
            key: ["id"],
            writes: {
                mysql: [
                    "INSERT INTO `" + s("t_big_rows") + "` (id, body) VALUES (1, REPEAT('large row ', 300000))",
                    "INSERT INTO `" + s("t_big_rows") + "` (id, blob_col) VALUES (3, RANDOM_BYTES(1024))",
                    "INSERT INTO `" + s("t_big_rows") + "` (id, body) VALUES (5, REPEAT('too large ', 700000))",
                    "INSERT INTO `" + s("t_big_rows") + "` (id, body) VALUES (7, 'small after the large one')",
                ],
                postgres: [`INSERT INTO "${s("t_big_rows")}" (id, body) VALUES (2, repeat('pg large ', 250000))`],
            },
            after: {
                mysql: [`INSERT INTO \`${s("t_big_rows")}\` (id, body) VALUES (101, 'after')`],
                postgres: [`INSERT INTO "${s("t_big_rows")}" (id, body) VALUES (102, 'after')`],
            },
            quarantined: [{ direction: "mysql-to-postgres", key: ["5"], reason: /bytes as a change event, more than/ }],
        },
    ];

    return [...identifiers, ...types, ...keys, ...relations, ...generated, ...constraints];
}

/** Tables preflight must refuse (added to the corpus for the preview that lists every problem). */
export function brokenTables(suffix: string): { name: string; mysql: string; postgres: string; expect: RegExp }[] {
    const s = (name: string) => `${name}_${suffix}`;
    return [
        {
            name: s("b_no_key"),
            mysql: "id INT NOT NULL, v INT",
            postgres: "id integer NOT NULL, v integer",
            expect: new RegExp(`${s("b_no_key")} has no primary key in MySQL/MariaDB`),
        },
        {
            name: s("b_ci_key"),
            mysql: "code VARCHAR(10) PRIMARY KEY",
            postgres: "code varchar(10) PRIMARY KEY",
            expect: new RegExp(`${s("b_ci_key")}\\.code: MySQL's utf8mb4_general_ci ignores case`),
        },
        {
            name: s("b_identity"),
            mysql: "id INT PRIMARY KEY",
            postgres: "id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
            expect: new RegExp(`${s("b_identity")}\\.id: a GENERATED ALWAYS identity`),
        },
        {
            name: s("b_computed"),
            mysql: "id INT PRIMARY KEY, a INT, b INT AS (a + 1) VIRTUAL",
            postgres: "id integer PRIMARY KEY, a integer, b integer",
            expect: new RegExp(`${s("b_computed")}\\.b: generated in MySQL/MariaDB only`),
        },
        {
            name: s("b_numeric"),
            mysql: "id INT PRIMARY KEY, n DECIMAL(10,2)",
            postgres: "id integer PRIMARY KEY, n numeric",
            expect: new RegExp(`${s("b_numeric")}\\.n: give the PostgreSQL numeric a precision`),
        },
        {
            name: s("b_spatial"),
            mysql: "id INT PRIMARY KEY, p POINT",
            postgres: "id integer PRIMARY KEY, p point",
            expect: new RegExp(`${s("b_spatial")}\\.p: MySQL type point is not supported`),
        },
        {
            name: s("b_fraction"),
            mysql: "id INT PRIMARY KEY, t DATETIME",
            postgres: "id integer PRIMARY KEY, t timestamp",
            expect: new RegExp(`${s("b_fraction")}\\.t: PostgreSQL keeps 6 fractional-second digits, MySQL 0`),
        },
        {
            name: s("b_scale"),
            mysql: "id INT PRIMARY KEY, d DECIMAL(10,4)",
            postgres: "id integer PRIMARY KEY, d numeric(10,2)",
            expect: new RegExp(`${s("b_scale")}\\.d: MySQL decimal\\(10,4\\) keeps 4 decimal places`),
        },
        {
            name: s("b_missing_col"),
            mysql: "id INT PRIMARY KEY, only_here INT",
            postgres: "id integer PRIMARY KEY",
            expect: new RegExp(`${s("b_missing_col")}\\.only_here exists in MySQL/MariaDB but not in PostgreSQL`),
        },
        {
            name: `${s("b_dq")}"x`,
            mysql: "id INT PRIMARY KEY",
            postgres: "id integer PRIMARY KEY",
            expect: /quotes names without escaping the quote characters/,
        },
        {
            name: `  ${s("b_lead_space")}`,
            mysql: "id INT PRIMARY KEY",
            postgres: "id integer PRIMARY KEY",
            expect: /Debezium's JDBC sink trims the spaces around names/,
        },
        {
            name: `${s("b_topic")} x`,
            mysql: "id INT PRIMARY KEY",
            postgres: "id integer PRIMARY KEY",
            expect: /map to the same Kafka topic name/,
        },
        {
            name: `${s("b_topic")}_x`,
            mysql: "id INT PRIMARY KEY",
            postgres: "id integer PRIMARY KEY",
            expect: /map to the same Kafka topic name/,
        },
    ];
}
