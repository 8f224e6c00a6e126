import { Side } from "./vocabulary";
// Pure: column types as the catalogs spell them, parsed into what the preflight rules compare (families,
// value ranges, lengths, fractional-second precision).

/** Type families that carry values across the engines (see docs/bidirectional.md for the mapping). */
export type TypeFamily =
    "boolean" | "integer" | "decimal" | "float" | "text" | "binary" | "date" | "time" | "datetime" | "timestamptz" | "json" | "uuid";

export function mysqlFamily(type: string): TypeFamily | undefined {
    const t = type.toLowerCase();
    if (/^tinyint\(1\)/.test(t) || /^bool/.test(t) || /^bit\(1\)$/.test(t)) return "boolean";
    if (/^year\b/.test(t)) return "integer";
    if (/^(tinyint|smallint|mediumint|int|integer|bigint)\b/.test(t)) return "integer";
    if (/^(decimal|numeric)\b/.test(t)) return "decimal";
    if (/^(float|double|real)\b/.test(t)) return "float";
    if (/^(char|varchar|tinytext|text|mediumtext|longtext|enum|set)\b/.test(t)) return "text";
    if (/^(json)\b/.test(t)) return "json";
    if (/^(binary|varbinary|tinyblob|blob|mediumblob|longblob)\b/.test(t)) return "binary";
    if (/^date$/.test(t)) return "date";
    if (/^time\b/.test(t)) return "time";
    if (/^datetime\b/.test(t)) return "datetime";
    if (/^timestamp\b/.test(t)) return "timestamptz";
    if (/^uuid\b/.test(t)) return "uuid";
    return undefined;
}

export function postgresFamily(type: string, enumValues?: string[]): TypeFamily | undefined {
    const t = type.toLowerCase();
    if (t === "boolean") return "boolean";
    if (/^(smallint|integer|bigint)$/.test(t)) return "integer";
    if (/^numeric(\(\d+(,\s*\d+)?\))?$/.test(t)) return "decimal";
    if (/^(real|double precision)$/.test(t)) return "float";
    if (/^(character varying|character|text|citext)\b/.test(t)) return "text";
    if (/^jsonb?$/.test(t)) return "json";
    if (t === "bytea") return "binary";
    if (t === "date") return "date";
    if (/^time(\(\d\))?( without time zone)?$/.test(t)) return "time";
    if (/^timestamp(\(\d\))? without time zone$/.test(t)) return "datetime";
    if (/^timestamp(\(\d\))? with time zone$/.test(t)) return "timestamptz";
    if (t === "uuid") return "uuid";
    if (enumValues && enumValues.length > 0) return "text";
    // Any other plain type name is taken for a user-defined enum, which travels as text.
    if (/^"?[a-z_][a-z0-9_]*"?$/.test(t) && !KNOWN_PG.includes(t)) return "text";
    return undefined;
}

const KNOWN_PG = ["numeric", "money", "interval", "inet", "cidr", "xml", "point", "tsvector", "oid"];

/** Which families a MySQL family may face in PostgreSQL (uuid and json travel as text). */
export const COMPATIBLE: Record<TypeFamily, TypeFamily[]> = {
    // TINYINT(1) is a number: a boolean in PostgreSQL or any integer column.
    boolean: ["boolean", "integer"],
    integer: ["integer", "decimal"],
    decimal: ["decimal", "integer"],
    float: ["float"],
    text: ["text", "uuid", "json"],
    binary: ["binary"],
    date: ["date"],
    time: ["time"],
    datetime: ["datetime"],
    timestamptz: ["timestamptz"],
    json: ["json", "text"],
    uuid: ["uuid", "text"],
};

/** Inclusive range of the values a numeric type holds, as decimal strings scaled by 10^scale. */
export interface NumericRange {
    min: bigint;
    max: bigint;
    /** Digits after the decimal point (0 for integers). */
    scale: number;
}

const MYSQL_INTEGER_BITS: Record<string, number> = { tinyint: 8, smallint: 16, mediumint: 24, int: 32, integer: 32, bigint: 64 };
const PG_INTEGER_BITS: Record<string, number> = { smallint: 16, integer: 32, bigint: 64 };

function signedRange(bits: number): NumericRange {
    return { min: -(1n << BigInt(bits - 1)), max: (1n << BigInt(bits - 1)) - 1n, scale: 0 };
}

function decimalRange(precision: number, scale: number): NumericRange {
    const max = 10n ** BigInt(precision) - 1n;
    return { min: -max, max, scale };
}

export function mysqlNumericRange(type: string): NumericRange | undefined {
    const t = type.toLowerCase();
    const integer = /^(tinyint|smallint|mediumint|int|integer|bigint)\b/.exec(t);
    if (integer) {
        const bits = MYSQL_INTEGER_BITS[integer[1]];
        return /unsigned/.test(t) ? { min: 0n, max: (1n << BigInt(bits)) - 1n, scale: 0 } : signedRange(bits);
    }
    if (/^year\b/.test(t)) return { min: 0n, max: 2155n, scale: 0 };
    const decimal = /^(decimal|numeric)(?:\((\d+)(?:,\s*(\d+))?\))?/.exec(t);
    if (decimal) {
        const range = decimalRange(Number(decimal[2] ?? 10), Number(decimal[3] ?? 0));
        return /unsigned/.test(t) ? { ...range, min: 0n } : range;
    }
    return undefined;
}

export function postgresNumericRange(type: string): NumericRange | undefined {
    const t = type.toLowerCase();
    if (PG_INTEGER_BITS[t]) return signedRange(PG_INTEGER_BITS[t]);
    const decimal = /^numeric\((\d+)(?:,\s*(\d+))?\)$/.exec(t);
    if (decimal) return decimalRange(Number(decimal[1]), Number(decimal[2] ?? 0));
    return undefined;
}

/** Whether every value of `inner` fits `outer` (same scale compared by aligning digits). */
export function rangeFits(inner: NumericRange, outer: NumericRange): boolean {
    const shift = (value: bigint, from: number, to: number) =>
        to >= from ? value * 10n ** BigInt(to - from) : value / 10n ** BigInt(from - to);
    const scale = Math.max(inner.scale, outer.scale);
    return (
        shift(inner.min, inner.scale, scale) >= shift(outer.min, outer.scale, scale) &&
        shift(inner.max, inner.scale, scale) <= shift(outer.max, outer.scale, scale)
    );
}

export function formatRange(range: NumericRange): string {
    const show = (value: bigint) => {
        if (range.scale === 0) return value.toString();
        const digits = (value < 0n ? -value : value).toString().padStart(range.scale + 1, "0");
        return `${value < 0n ? "-" : ""}${digits.slice(0, -range.scale)}.${digits.slice(-range.scale)}`;
    };
    return `${show(range.min)}..${show(range.max)}`;
}

/** Longest string a column holds: in characters (`chars`) or, for MySQL's TEXT types, in bytes. */
export interface TextCapacity {
    chars?: number;
    bytes?: number;
}

export function mysqlTextCapacity(type: string): TextCapacity | undefined {
    const t = type.toLowerCase();
    const sized = /^(?:var)?char\((\d+)\)/.exec(t);
    if (sized) return { chars: Number(sized[1]) };
    if (/^char\b/.test(t)) return { chars: 1 };
    const bytes: Record<string, number> = { tinytext: 255, text: 65_535, mediumtext: 16_777_215, longtext: 4_294_967_295 };
    const text = /^(tinytext|text|mediumtext|longtext)\b/.exec(t);
    return text ? { bytes: bytes[text[1]] } : undefined;
}

export function postgresTextCapacity(type: string): TextCapacity | undefined {
    const t = type.toLowerCase();
    const sized = /^(?:character varying|character)\((\d+)\)$/.exec(t);
    if (sized) return { chars: Number(sized[1]) };
    if (t === "character") return { chars: 1 };
    if (/^(text|citext|character varying)$/.test(t)) return {};
    return undefined;
}

/** Largest value of a binary column in bytes (undefined: unbounded for our purposes). */
export function mysqlBinaryCapacity(type: string): number | undefined {
    const t = type.toLowerCase();
    const sized = /^(?:var)?binary\((\d+)\)/.exec(t);
    if (sized) return Number(sized[1]);
    return ({ tinyblob: 255, blob: 65_535, mediumblob: 16_777_215, longblob: 4_294_967_295 } as Record<string, number>)[t];
}

/** Whether a text capacity holds every string of another (characters of utf8mb4 are up to 4 bytes). */
export function textFits(inner: TextCapacity, outer: TextCapacity): boolean {
    if (outer.chars === undefined && outer.bytes === undefined) return true;
    if (inner.chars === undefined && inner.bytes === undefined) return false;
    const innerBytes = inner.bytes ?? inner.chars! * 4;
    if (outer.bytes !== undefined) return innerBytes <= outer.bytes;
    return inner.chars !== undefined ? inner.chars <= outer.chars! : inner.bytes! <= outer.chars!;
}

export function describeCapacity(capacity: TextCapacity): string {
    if (capacity.chars !== undefined) return `${capacity.chars} characters`;
    if (capacity.bytes !== undefined) return `${capacity.bytes.toLocaleString("en")} bytes`;
    return "unlimited";
}

/** Digits of fractional seconds a temporal column keeps (MySQL default 0, PostgreSQL default 6). */
export function fractionDigits(type: string, engine: Side): number | undefined {
    const t = type.toLowerCase();
    if (!/^(time|datetime|timestamp)/.test(t)) return undefined;
    const digits = /\((\d)\)/.exec(t);
    return digits ? Number(digits[1]) : engine === "mysql" ? 0 : 6;
}

/** What a string equality ignores: nothing (exact), case, or case and accents. */
export type Strength = "exact" | "case" | "case-accent" | "unknown";

/** The equality of a MySQL collation (trailing spaces aside: every PAD SPACE collation ignores them). */
export function mysqlStrength(collation: string | undefined): Strength {
    if (!collation) return "exact";
    const c = collation.toLowerCase();
    if (c === "binary" || /_bin$/.test(c) || /_cs$/.test(c)) return "exact";
    if (/_as_ci$/.test(c)) return "case";
    if (/_ci$/.test(c)) return "case-accent";
    return "unknown";
}

/** The equality of a PostgreSQL column: citext ignores case; ICU strength 1 case and accents, 2 case. */
export function postgresStrength(column: { type: string; collationDeterministic?: boolean; collationLocale?: string }): Strength {
    if (/^citext$/i.test(column.type)) return "case";
    if (column.collationDeterministic !== false) return "exact";
    const level = /-ks-level([12])/.exec(column.collationLocale ?? "");
    return level ? (level[1] === "1" ? "case-accent" : "case") : "unknown";
}

/** MySQL collations whose equality is byte equality without trailing-space padding. */
export function mysqlCollationIsExact(collation: string | undefined): boolean {
    if (!collation) return true; // binary strings, numbers
    const c = collation.toLowerCase();
    return c === "binary" || /_nopad_bin$/.test(c) || /_0900_bin$/.test(c);
}
