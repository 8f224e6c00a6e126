import * as assert from "node:assert/strict";
import { ConnectSchema, decodeRecord, decodeValue } from "../../ops/envelope";

// The value schema of a MySQL table `shop.orders` as Debezium's MySQL connector describes it.
const ROW_FIELDS: (ConnectSchema & { field: string })[] = [
    { type: "int32", optional: false, field: "id" },
    { type: "bytes", optional: false, name: "org.apache.kafka.connect.data.Decimal", parameters: { scale: "2" }, field: "amount" },
    { type: "int64", optional: true, name: "io.debezium.time.MicroTimestamp", field: "placed_at" },
    { type: "int32", optional: true, name: "io.debezium.time.Date", field: "due" },
    { type: "string", optional: true, name: "io.debezium.data.Json", field: "doc" },
    { type: "string", optional: true, name: "io.debezium.data.Enum", parameters: { allowed: "new,paid" }, field: "status" },
    { type: "bytes", optional: true, field: "digest" },
];
const TOPIC = "tandem.mysql-to-postgres.shop.orders";

function keyOf(id: number): string {
    const schema = { type: "struct", optional: false, name: `${TOPIC}.Key`, fields: [ROW_FIELDS[0]] };
    return JSON.stringify({ schema, payload: { id } });
}

/** A change event as JsonConverter (schemas enabled) writes it. */
function envelope(op: string, before: object | null, after: object | null, source: Record<string, unknown> = {}): string {
    const row = (field: string) => ({ type: "struct", optional: true, name: `${TOPIC}.Value`, fields: ROW_FIELDS, field });
    const schema = {
        type: "struct",
        optional: false,
        name: `${TOPIC}.Envelope`,
        fields: [
            row("before"),
            row("after"),
            { type: "struct", optional: false, name: "io.debezium.connector.mysql.Source", field: "source", fields: [] },
            { type: "string", optional: false, field: "op" },
            { type: "int64", optional: true, field: "ts_ms" },
        ],
    };
    const mysqlSource = {
        version: "2.7.3.Final",
        connector: "mysql",
        name: "tandem.mysql-to-postgres",
        ts_ms: 1704067200000,
        snapshot: "false",
        db: "shop",
        table: "orders",
        server_id: 1,
        file: "mysql-bin.000003",
        pos: 1234,
        row: 0,
    };
    return JSON.stringify({ schema, payload: { before, after, source: { ...mysqlSource, ...source }, op, ts_ms: 1704067200500 } });
}

const PLACED = {
    id: 7,
    amount: "MDk=", // 12345 at scale 2
    placed_at: 1704067200123456,
    due: 19723,
    doc: '{"gift":true,"tags":["a"]}',
    status: "new",
    digest: "3q2+7w==",
};
const PLACED_ROW = {
    id: 7,
    amount: "123.45",
    placed_at: "2024-01-01T00:00:00.123456",
    due: "2024-01-01",
    doc: { gift: true, tags: ["a"] },
    status: "new",
    digest: "0xdeadbeef",
};
const TIMESTAMPS = { sourceTimestamp: "2024-01-01T00:00:00.000Z", eventTimestamp: "2024-01-01T00:00:00.500Z" };

describe("ops/envelope", () => {
    describe("decodeRecord", () => {
        it("reads an insert as the row the database holds, with its key, table and binlog position", () => {
            assert.deepEqual(decodeRecord(keyOf(7), envelope("c", null, PLACED)), {
                kind: "change",
                op: "create",
                key: { id: 7 },
                before: null,
                after: PLACED_ROW,
                position: "mysql-bin.000003:1234",
                table: "shop.orders",
                ...TIMESTAMPS,
            });
        });

        it("reads an update with both rows, naming the row within a multi-row binlog event", () => {
            const paid = { ...PLACED, amount: "z8c=", status: "paid", doc: null }; // -12345
            const record = decodeRecord(Buffer.from(keyOf(7)), Buffer.from(envelope("u", PLACED, paid, { row: 2 })));
            assert.equal(record.op, "update");
            assert.deepEqual(record.before, PLACED_ROW);
            assert.deepEqual(record.after, { ...PLACED_ROW, amount: "-123.45", status: "paid", doc: null });
            assert.equal(record.position, "mysql-bin.000003:1234 row 2");
        });

        it("reads a delete (after null) and a snapshot read", () => {
            const deleted = decodeRecord(keyOf(7), envelope("d", PLACED, null));
            assert.equal(deleted.op, "delete");
            assert.deepEqual(deleted.before, PLACED_ROW);
            assert.equal(deleted.after, null);
            const read = decodeRecord(keyOf(7), envelope("r", null, PLACED, { snapshot: "true" }));
            assert.equal(read.op, "read");
            assert.deepEqual(read.after, PLACED_ROW);
        });

        it("names PostgreSQL tables by schema and positions by LSN; a truncate has no rows", () => {
            const source = { connector: "postgresql", db: "shop", schema: "public", table: "orders", lsn: 24023128, file: undefined };
            const record = decodeRecord(
                null,
                envelope("t", null, null, { ...source, pos: undefined }).replace('"before":null,"after":null,', ""),
            );
            assert.deepEqual(record, {
                kind: "change",
                op: "truncate",
                key: null,
                position: "lsn 24023128",
                table: "public.orders",
                ...TIMESTAMPS,
            });
        });

        it("reads a tombstone, null or as JsonConverter writes a null value with schemas enabled, keeping its key", () => {
            assert.deepEqual(decodeRecord(keyOf(7), null), { kind: "tombstone", key: { id: 7 } });
            assert.deepEqual(decodeRecord(keyOf(7), Buffer.alloc(0)), { kind: "tombstone", key: { id: 7 } });
            assert.deepEqual(decodeRecord(null, '{"schema":null,"payload":null}'), { kind: "tombstone", key: null });
        });

        it("gives heartbeats and schema-change events back as they are", () => {
            const heartbeat = {
                schema: { type: "struct", name: "io.debezium.connector.common.Heartbeat", fields: [{ type: "int64", field: "ts_ms" }] },
                payload: { ts_ms: 1704067200000 },
            };
            const serverKey = JSON.stringify({ schema: { type: "struct", fields: [] }, payload: { serverName: "tandem" } });
            assert.deepEqual(decodeRecord(serverKey, JSON.stringify(heartbeat)), {
                kind: "other",
                key: { serverName: "tandem" },
                payload: { ts_ms: 1704067200000 },
            });
            const ddl = { source: { db: "shop" }, databaseName: "shop", ddl: "ALTER TABLE orders ADD note TEXT", tableChanges: [] };
            assert.deepEqual(decodeRecord(null, JSON.stringify(ddl)), { kind: "other", key: null, payload: ddl });
            const strange = { op: "toString", source: {} }; // not one of Debezium's operations
            assert.deepEqual(decodeRecord(null, JSON.stringify(strange)), { kind: "other", key: null, payload: strange });
        });

        it("reads schemaless change events without decoding their fields (there is no schema to say how)", () => {
            const payload = JSON.parse(envelope("c", null, PLACED)).payload;
            const record = decodeRecord('{"id":7}', JSON.stringify(payload));
            assert.equal(record.kind, "change");
            assert.deepEqual(record.key, { id: 7 });
            assert.deepEqual(record.after, PLACED);
            assert.equal(record.table, "shop.orders");
        });

        it("never throws on a value that is not JSON: kind other, with the raw text; a plain-text key as it is", () => {
            assert.deepEqual(decodeRecord("order-7", "{not json"), { kind: "other", key: "order-7", payload: "{not json" });
            assert.deepEqual(decodeRecord(null, Buffer.from([0xde, 0xad])).kind, "other");
        });

        it("keeps nanosecond timestamps past 2^53 exact, reading the digits as JSON carries them", () => {
            const fields = [
                { type: "int64", name: "io.debezium.time.NanoTimestamp", field: "at" },
                { type: "int64", field: "big" },
            ];
            const schema = { type: "struct", fields: [{ type: "struct", field: "after", fields }] };
            const text = `{"schema":${JSON.stringify(schema)},"payload":{"after":{"at":1704067200123456789,"big":9007199254740993},"op":"c","source":{}}}`;
            assert.deepEqual(decodeRecord(null, text).after, { at: "2024-01-01T00:00:00.123456789", big: "9007199254740993" });
        });
    });

    describe("decodeValue", () => {
        const decimal = (scale: number): ConnectSchema => ({
            type: "bytes",
            name: "org.apache.kafka.connect.data.Decimal",
            parameters: { scale: String(scale) },
        });

        it("renders Decimal at its scale, negative numbers and scale 0 included, past 64 bits too", () => {
            assert.equal(decodeValue(decimal(2), "MDk="), "123.45");
            assert.equal(decodeValue(decimal(2), "z8c="), "-123.45");
            assert.equal(decodeValue(decimal(2), "/w=="), "-0.01");
            assert.equal(decodeValue(decimal(3), "BQ=="), "0.005");
            assert.equal(decodeValue(decimal(0), "AP8="), "255");
            assert.equal(decodeValue(decimal(0), "gA=="), "-128");
            assert.equal(decodeValue(decimal(4), "GiSbHxCgbJav8g=="), "12345678901234567890.1234");
            assert.equal(decodeValue(decimal(4), "5dtk4O9fk2lQDg=="), "-12345678901234567890.1234");
            const variable = { type: "struct", name: "io.debezium.data.VariableScaleDecimal" };
            assert.equal(decodeValue(variable, { scale: 3, value: "MDk=" }), "12.345");
            assert.equal(decodeValue(variable, { scale: 0, value: "z8c=" }), "-12345");
        });

        it("renders dates and zoneless timestamps at full precision, before 1970 too", () => {
            const as = (name: string, value: unknown) => decodeValue({ type: "int64", name }, value);
            assert.equal(as("io.debezium.time.Date", -1), "1969-12-31");
            assert.equal(as("org.apache.kafka.connect.data.Date", 19723), "2024-01-01");
            assert.equal(as("io.debezium.time.MicroTimestamp", 0), "1970-01-01T00:00:00");
            assert.equal(as("io.debezium.time.MicroTimestamp", -1), "1969-12-31T23:59:59.999999");
            assert.equal(as("io.debezium.time.MicroTimestamp", -14182939750000), "1969-07-20T20:17:40.250000");
            assert.equal(as("io.debezium.time.MicroTimestamp", -86400000000), "1969-12-31T00:00:00");
            assert.equal(as("io.debezium.time.Timestamp", 1704067200123), "2024-01-01T00:00:00.123");
            assert.equal(as("io.debezium.time.NanoTimestamp", 1704067200123456789n), "2024-01-01T00:00:00.123456789");
            assert.equal(as("io.debezium.time.ZonedTimestamp", "2024-01-01T00:00:00.5Z"), "2024-01-01T00:00:00.5Z");
        });

        it("renders times, MySQL's negative and past-24-hour TIME values included", () => {
            const as = (name: string, value: number) => decodeValue({ type: "int64", name }, value);
            assert.equal(as("io.debezium.time.MicroTime", -3723000000), "-01:02:03");
            assert.equal(as("io.debezium.time.MicroTime", 3020399000000), "838:59:59");
            assert.equal(as("io.debezium.time.MicroTime", -3020399000000), "-838:59:59");
            assert.equal(as("io.debezium.time.MicroTime", 45296000001), "12:34:56.000001");
            assert.equal(as("io.debezium.time.Time", 45296789), "12:34:56.789");
            assert.equal(as("io.debezium.time.NanoTime", 5), "00:00:00.000000005");
        });

        it("renders bytes as hex, parses JSON columns, and keeps what needs no decoding as it is", () => {
            assert.equal(decodeValue({ type: "bytes" }, "3q2+7w=="), "0xdeadbeef");
            assert.equal(decodeValue({ type: "bytes", name: "io.debezium.data.Bits" }, "BQ=="), "0x05");
            assert.deepEqual(decodeValue({ type: "string", name: "io.debezium.data.Json" }, '[1,{"a":null}]'), [1, { a: null }]);
            assert.deepEqual(decodeValue({ type: "string", name: "io.debezium.data.Json" }, "null"), null);
            assert.equal(decodeValue({ type: "string", name: "io.debezium.data.Json" }, "{oops"), "{oops");
            assert.equal(decodeValue({ type: "string", name: "io.debezium.data.EnumSet" }, "a,b"), "a,b");
            assert.equal(decodeValue({ type: "int32", name: "io.debezium.time.Year" }, 2024), 2024);
            assert.equal(decodeValue({ type: "int64", name: "io.debezium.time.MicroDuration" }, 3600000000), 3600000000);
            assert.equal(decodeValue({ type: "string", name: "com.example.Unknown" }, "x"), "x");
            assert.equal(decodeValue({ type: "bytes", name: "com.example.Unknown" }, "BQ=="), "BQ==");
            assert.equal(decodeValue(undefined, "BQ=="), "BQ==");
            assert.equal(decodeValue(decimal(2), null), null);
        });

        it("recurses into structs and arrays, and leaves values that do not match their schema as they are", () => {
            const schema: ConnectSchema = {
                type: "struct",
                fields: [
                    { type: "array", items: { type: "int32", name: "io.debezium.time.Date" }, field: "days" },
                    { type: "struct", fields: [{ type: "bytes", field: "wkb" }], field: "geometry", optional: true },
                    { type: "int64", name: "io.debezium.time.MicroTimestamp", field: "at" },
                ],
            };
            assert.deepEqual(decodeValue(schema, { days: [0, 19723], geometry: { wkb: "AQ==", srid: null }, at: "soon", extra: 1 }), {
                days: ["1970-01-01", "2024-01-01"],
                geometry: { wkb: "0x01", srid: null },
                at: "soon",
                extra: 1,
            });
            assert.equal(decodeValue({ type: "int32", name: "io.debezium.time.Date" }, 1e12), 1e12); // past Date's range
        });
    });

    it("reads the pipeline's flattened rows: an upsert, a delete marked in __deleted, the table from its header", () => {
        const schema = {
            type: "struct",
            fields: [
                { field: "id", type: "int32" },
                { field: "price", type: "bytes", name: "org.apache.kafka.connect.data.Decimal", parameters: { scale: "2" } },
                { field: "__deleted", type: "string", optional: true },
            ],
        };
        const value = (deleted: string) => JSON.stringify({ schema, payload: { id: 7, price: "AJY=", __deleted: deleted } });
        const key = JSON.stringify({ schema: { type: "struct", fields: [{ field: "id", type: "int32" }] }, payload: { id: 7 } });
        assert.deepEqual(decodeRecord(key, value("false"), { __source_table: "demo items" }), {
            kind: "change",
            op: "upsert",
            key: { id: 7 },
            after: { id: 7, price: "1.50" },
            table: "demo items",
        });
        assert.deepEqual(decodeRecord(key, value("true")), {
            kind: "change",
            op: "delete",
            key: { id: 7 },
            before: { id: 7, price: "1.50" },
            after: null,
        });
    });
});
