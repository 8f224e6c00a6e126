// Pure: every name the sync derives from a table name, and how names are written where Debezium and Kafka
// read them. Table and column names of a legacy schema may hold anything either engine allows (reserved
// words, spaces, dots, quotes, non-ASCII letters, 64 characters); names we derive must stay within both
// engines' limits (MySQL: 64 characters; PostgreSQL: 63 bytes, longer names are silently cut) and never
// collide.
import { createHash } from "crypto";

/** The longest identifier valid on both engines: PostgreSQL's 63 bytes (UTF-8) and MySQL's 64 characters. */
export const MAX_IDENTIFIER_BYTES = 63;
export const MAX_IDENTIFIER_CHARS = 64;

function utf8Length(text: string): number {
    return Buffer.byteLength(text, "utf8");
}

/** The longest prefix of `text` (whole code points) within `bytes` UTF-8 bytes. */
function truncateBytes(text: string, bytes: number): string {
    let out = "";
    for (const char of text) {
        if (utf8Length(out + char) > bytes) break;
        out += char;
    }
    return out;
}

export function shortHash(text: string, length = 10): string {
    return createHash("sha256").update(text, "utf8").digest("hex").slice(0, length);
}

/**
 * A derived identifier that fits both engines: `name` itself when it does, else its longest fitting start
 * followed by `_` and a hash of the whole name (so two long names never end up the same).
 */
export function fitIdentifier(name: string, maxBytes = MAX_IDENTIFIER_BYTES): string {
    if (utf8Length(name) <= maxBytes && [...name].length <= MAX_IDENTIFIER_CHARS) return name;
    const hash = shortHash(name);
    return `${truncateBytes(name, maxBytes - hash.length - 1)}_${hash}`;
}

/** Prefix of the per-table tables that receive the other side's deletes. */
export const TOMBSTONE_PREFIX = "_tandem_del__";

/** The table (same name on both sides) that receives the other side's deletes of `table`. */
export function tombstoneTable(table: string): string {
    return fitIdentifier(`${TOMBSTONE_PREFIX}${table}`);
}

/** Tables whose tombstone table is not simply the prefix plus their name (see RouteToTable's tombstone.names). */
export function tombstoneOverrides(tables: string[]): Record<string, string> {
    return Object.fromEntries(
        tables.filter((table) => tombstoneTable(table) !== `${TOMBSTONE_PREFIX}${table}`).map((table) => [table, tombstoneTable(table)]),
    );
}

/** A MySQL trigger of the sync on `table` (`kind`: bi, bu, ti, tu). */
export function mysqlTriggerName(kind: string, table: string): string {
    return fitIdentifier(`_tandem_${kind}__${table}`);
}

/** A PostgreSQL function of the sync made for one table. */
export function postgresTableFunction(functionPrefix: string, kind: string, table: string): string {
    return fitIdentifier(`${functionPrefix}_${kind}__${table}`);
}

/**
 * A Java regular expression matching exactly `literal`, in a form that survives Debezium's comma-separated
 * lists: only ASCII letters, digits and '_' appear as themselves, everything else as `\x{hex}` (no comma, no
 * space that Debezium would trim, no '.' or '$' with a meaning).
 */
export function javaRegexLiteral(literal: string): string {
    let out = "";
    for (const char of literal) out += /[A-Za-z0-9_]/.test(char) ? char : `\\x{${char.codePointAt(0)!.toString(16)}}`;
    return out;
}

/**
 * A Debezium include/exclude list entry matching exactly the dotted path of `parts` (e.g. database and
 * table): case-sensitive (Debezium compiles these lists case-insensitively, and `Orders` and `orders` can be
 * two tables).
 */
export function debeziumExactName(...parts: string[]): string {
    return `(?-i)${exactPath(...parts)}`;
}

/** A Java regular expression matching exactly the dotted path of `parts`. */
export function exactPath(...parts: string[]): string {
    return parts.map(javaRegexLiteral).join("\\.");
}

/** A table id as Debezium's TableIdParser reads it back verbatim: `"db"."table"` with `""` for a quote. */
export function debeziumQuotedId(...parts: string[]): string {
    return parts.map((part) => `"${part.replace(/"/g, '""')}"`).join(".");
}

/**
 * Debezium's JDBC sink looks tables up through JDBC metadata, where `_` and `%` in a name are LIKE wildcards:
 * the names among `others` that the pattern of `name` also matches (the sink could read their columns).
 */
export function likePatternMatches(name: string, others: string[], caseInsensitive = false): string[] {
    if (!/[_%]/.test(name)) return [];
    const regex = new RegExp(
        `^${[...name].map((char) => (char === "_" ? "." : char === "%" ? ".*" : char.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("")}$`,
        caseInsensitive ? "siu" : "su",
    );
    return others.filter((other) => other !== name && regex.test(other));
}
