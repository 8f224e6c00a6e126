// Pure: one Kafka record of a Debezium change topic (Kafka Connect's JsonConverter, schemas enabled or not)
// decoded into a readable row for `tandem topics tail`: the operation, the key, the row before and after with
// Connect's logical types rendered as the databases show them, and where in the source the change was read.
// Never throws: what it cannot read comes back as kind "other" with the payload (or the raw text) as it is.

export interface ConnectSchema {
    type: string;
    name?: string;
    parameters?: Record<string, string>;
    fields?: (ConnectSchema & { field: string })[];
    optional?: boolean;
    items?: ConnectSchema;
}

export interface DecodedRecord {
    kind: "change" | "tombstone" | "other";
    /** From c/u/d/r/t/m; `upsert` for a flattened row (ExtractNewRecordState), which does not tell insert from update. */
    op?: "create" | "update" | "delete" | "read" | "truncate" | "message" | "upsert";
    key: unknown; // decoded key payload (object of key columns) or null
    before?: Record<string, unknown> | null;
    after?: Record<string, unknown> | null;
    /** Human position in the source: "mysql-bin.000003:1234" (file:pos, with " row N" past the event's first row) or "lsn 12345" for PostgreSQL; undefined when unknown */
    position?: string;
    table?: string; // "db.table" or "schema.table" from source
    sourceTimestamp?: string; // ISO from source.ts_ms
    eventTimestamp?: string; // ISO from payload ts_ms
    payload?: unknown; // for kind "other"
}

const OPS = { c: "create", u: "update", d: "delete", r: "read", t: "truncate", m: "message" } as const;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const asObject = (value: unknown): Json | null => (isObject(value) ? value : null);

/**
 * JSON.parse, but an integer past 2^53 (an int64 column, a nanosecond timestamp) comes back as its exact digits
 * instead of a rounded number: the logical types below read those digits with BigInt.
 */
function parseJson(text: string): { value: unknown } | undefined {
    const exact = (_key: string, value: unknown, context?: { source?: string }): unknown =>
        typeof value === "number" && !Number.isSafeInteger(value) && /^-?\d+$/.test(context?.source ?? "") ? context!.source : value;
    try {
        return { value: JSON.parse(text, exact as (key: string, value: unknown) => unknown) };
    } catch {
        return undefined;
    }
}

/** JsonConverter with schemas.enable=true wraps every value as {schema, payload}; without, the JSON is the payload. */
function unwrap(text: string): { schema?: ConnectSchema; payload: unknown } | undefined {
    const parsed = parseJson(text);
    if (!parsed) return undefined;
    const json = parsed.value;
    if (isObject(json) && "schema" in json && "payload" in json && Object.keys(json).length === 2) {
        return { schema: isObject(json.schema) ? (json.schema as unknown as ConnectSchema) : undefined, payload: json.payload };
    }
    return { payload: json };
}

function decodeKey(key: Buffer | string | null): unknown {
    if (key === null) return null;
    const text = typeof key === "string" ? key : key.toString("utf8");
    const unwrapped = unwrap(text);
    return unwrapped ? decodeValue(unwrapped.schema, unwrapped.payload) : text; // a key another producer wrote as plain text
}

/** The flattened form's delete marker (ExtractNewRecordState, delete.tombstone.handling.mode=rewrite). */
const DELETED_FIELD = "__deleted";
/** The header naming the source table (ExtractNewRecordState add.headers=source.table). */
const TABLE_HEADER = "__source_table";

export function decodeRecord(
    key: Buffer | string | null,
    value: Buffer | string | null,
    headers: Record<string, string> = {},
): DecodedRecord {
    const decodedKey = decodeKey(key);
    const text = value === null ? "" : typeof value === "string" ? value : value.toString("utf8");
    // An empty value is what a tombstone looks like to a client that does not tell null from empty.
    if (text === "") return { kind: "tombstone", key: decodedKey };
    const unwrapped = unwrap(text);
    if (!unwrapped) return { kind: "other", key: decodedKey, payload: text };
    const { schema, payload } = unwrapped;
    // With schemas enabled, a null value is written as {"schema":null,"payload":null}.
    if (payload === null) return { kind: "tombstone", key: decodedKey };
    if (isObject(payload) && typeof payload[DELETED_FIELD] === "string" && !isChange(payload)) {
        // The pipeline's own topics carry rows flattened from the envelope, a delete marked in a field.
        const { [DELETED_FIELD]: deleted, ...row } = asObject(decodeValue(schema, payload)) ?? {};
        const gone = deleted === "true";
        const flattened: DecodedRecord = {
            kind: "change",
            op: gone ? "delete" : "upsert",
            key: decodedKey,
            before: gone ? row : undefined,
            after: gone ? null : row,
        };
        if (headers[TABLE_HEADER]) flattened.table = headers[TABLE_HEADER];
        if (flattened.before === undefined) delete flattened.before;
        return flattened;
    }
    if (!isChange(payload)) return { kind: "other", key: decodedKey, payload: decodeValue(schema, payload) };
    const fieldSchema = (name: string) => schema?.fields?.find((field) => field.field === name);
    const row = (name: "before" | "after") => (name in payload ? asObject(decodeValue(fieldSchema(name), payload[name])) : undefined);
    const source = isObject(payload.source) ? payload.source : {};
    const record: DecodedRecord = {
        kind: "change",
        op: OPS[payload.op as keyof typeof OPS],
        key: decodedKey,
        before: row("before"),
        after: row("after"),
        position: positionOf(source),
        table: typeof source.table === "string" ? [source.schema ?? source.db, source.table].filter((s) => s != null).join(".") : undefined,
        sourceTimestamp: isoOfMillis(source.ts_ms),
        eventTimestamp: isoOfMillis(payload.ts_ms),
    };
    for (const name of Object.keys(record) as (keyof DecodedRecord)[]) if (record[name] === undefined) delete record[name];
    return record;
}

/** A Debezium envelope: a known op and at least one of its parts (heartbeats and schema changes have neither). */
function isChange(payload: unknown): payload is Json {
    if (!isObject(payload) || typeof payload.op !== "string" || !Object.hasOwn(OPS, payload.op)) return false;
    return "before" in payload || "after" in payload || "source" in payload;
}

function positionOf(source: Json): string | undefined {
    if (typeof source.file === "string" && source.file !== "" && source.pos != null) {
        // Rows of one binlog event share its position; `row` tells them apart (0 for the first, left unsaid).
        const row = typeof source.row === "number" && source.row > 0 ? ` row ${source.row}` : "";
        return `${source.file}:${String(source.pos)}${row}`;
    }
    return source.lsn != null ? `lsn ${String(source.lsn)}` : undefined;
}

function isoOfMillis(value: unknown): string | undefined {
    const ms = typeof value === "string" ? Number(value) : value;
    return typeof ms === "number" && Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : undefined;
}

/** Units per second of each temporal logical type (Debezium's and Connect's own). */
const TIMESTAMPS: Record<string, bigint> = {
    "io.debezium.time.Timestamp": 1000n,
    "org.apache.kafka.connect.data.Timestamp": 1000n,
    "io.debezium.time.MicroTimestamp": 1_000_000n,
    "io.debezium.time.NanoTimestamp": 1_000_000_000n,
};
const TIMES: Record<string, bigint> = {
    "io.debezium.time.Time": 1000n,
    "org.apache.kafka.connect.data.Time": 1000n,
    "io.debezium.time.MicroTime": 1_000_000n,
    "io.debezium.time.NanoTime": 1_000_000_000n,
};
const DATES = new Set(["io.debezium.time.Date", "org.apache.kafka.connect.data.Date"]);

/** Field-level decoding of one Connect-schema'd value: exported for tests. */
export function decodeValue(schema: ConnectSchema | undefined, value: unknown): unknown {
    if (value === null || value === undefined || !schema) return value;
    try {
        const name = schema.name ?? "";
        if (name === "org.apache.kafka.connect.data.Decimal" && typeof value === "string") {
            return decimal(unscaled(value), Number(schema.parameters?.scale ?? 0));
        }
        if (name === "io.debezium.data.VariableScaleDecimal" && isObject(value) && typeof value.value === "string") {
            return decimal(unscaled(value.value), Number(value.scale ?? 0));
        }
        const units = integer(value);
        if (units !== undefined) {
            if (DATES.has(name)) return dateOfDays(Number(units));
            if (name in TIMESTAMPS) return timestamp(units, TIMESTAMPS[name]);
            if (name in TIMES) return duration(units, TIMES[name]);
        }
        if (name === "io.debezium.data.Json" && typeof value === "string") return (parseJson(value) ?? { value }).value;
        if (schema.type === "bytes" && (!schema.name || name === "io.debezium.data.Bits") && typeof value === "string") {
            return `0x${Buffer.from(value, "base64").toString("hex")}`;
        }
        if (schema.type === "struct" && isObject(value)) {
            const out: Json = { ...value };
            for (const field of schema.fields ?? []) if (field.field in value) out[field.field] = decodeValue(field, value[field.field]);
            return out;
        }
        if (schema.type === "array" && Array.isArray(value)) return value.map((item) => decodeValue(schema.items, item));
    } catch {
        // A value that does not match its schema is shown as it came.
    }
    return value; // ZonedTimestamp, Enum, EnumSet, Year, MicroDuration, unknown names: readable as they are
}

/** An integer as JSON carried it: a number, or the exact digits of one past 2^53 (see parseJson). */
function integer(value: unknown): bigint | undefined {
    if (typeof value === "bigint") return value;
    if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
    return typeof value === "string" && /^-?\d+$/.test(value) ? BigInt(value) : undefined;
}

/** Connect's Decimal: base64 of a big-endian two's-complement integer. */
function unscaled(base64: string): bigint {
    const bytes = Buffer.from(base64, "base64");
    if (bytes.length === 0) return 0n;
    const magnitude = BigInt(`0x${bytes.toString("hex")}`);
    return bytes[0] & 0x80 ? magnitude - (1n << BigInt(bytes.length * 8)) : magnitude;
}

function decimal(unscaledValue: bigint, scale: number): string {
    const digits = (unscaledValue < 0n ? -unscaledValue : unscaledValue).toString();
    const sign = unscaledValue < 0n ? "-" : "";
    if (scale <= 0) return sign + digits + "0".repeat(-scale);
    const padded = digits.padStart(scale + 1, "0");
    return `${sign}${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
}

const pad = (n: number | bigint, width: number) => n.toString().padStart(width, "0");

function dateOfDays(days: number): string {
    const date = new Date(days * 86_400_000);
    const year = date.getUTCFullYear();
    if (Number.isNaN(year)) throw new RangeError("date out of range");
    return `${year < 0 ? "-" : ""}${pad(Math.abs(year), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}

/** Datetimes without a zone, to the unit's precision: floor division keeps pre-1970 instants on the right day. */
function timestamp(units: bigint, perSecond: bigint): string {
    const perDay = 86_400n * perSecond;
    let days = units / perDay;
    if (units % perDay < 0n) days -= 1n;
    return `${dateOfDays(Number(days))}T${duration(units - days * perDay, perSecond)}`;
}

/** A time of day, or a MySQL TIME interval: signed, and hours past 24 (-838:59:59 to 838:59:59). */
function duration(units: bigint, perSecond: bigint): string {
    const abs = units < 0n ? -units : units;
    const seconds = abs / perSecond;
    const fraction = abs % perSecond;
    const clock = `${pad(seconds / 3600n, 2)}:${pad((seconds / 60n) % 60n, 2)}:${pad(seconds % 60n, 2)}`;
    const digits = perSecond.toString().length - 1;
    return `${units < 0n ? "-" : ""}${clock}${fraction > 0n ? `.${pad(fraction, digits)}` : ""}`;
}
