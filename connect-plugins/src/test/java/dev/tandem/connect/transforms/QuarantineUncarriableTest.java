package dev.tandem.connect.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class QuarantineUncarriableTest {

    private static final Schema KEY = SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).build();
    private static final Schema ROW = SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).field("body", Schema.OPTIONAL_STRING_SCHEMA)
            .field("blob", Schema.OPTIONAL_BYTES_SCHEMA).build();

    private static SourceRecord row(String body, byte[] blob) {
        return new SourceRecord(null, null, "p.m2p.app.docs", null, KEY, new Struct(KEY).put("id", 7), ROW,
                new Struct(ROW).put("id", 7).put("body", body).put("blob", blob));
    }

    private static QuarantineUncarriable<SourceRecord> smt(long max) {
        final QuarantineUncarriable<SourceRecord> smt = new QuarantineUncarriable<>();
        smt.configure(Map.of("max.bytes", String.valueOf(max), "quarantine.topic", "p.dlq.mysql-to-postgres"));
        return smt;
    }

    @Test
    void estimatesAtLeastWhatJsonConverterWrites() {
        final JsonConverter json = new JsonConverter();
        json.configure(Map.of("schemas.enable", "true"), false);
        final QuarantineUncarriable<SourceRecord> smt = smt(1 << 20);
        for (String body : new String[]{ "plain", "😀 é ü \" \\ \n\t", "x".repeat(100_000), "ü".repeat(50_000) }) {
            final SourceRecord record = row(body, body.getBytes(StandardCharsets.UTF_8));
            final long actual = json.fromConnectData("t", record.valueSchema(), record.value()).length
                    + json.fromConnectData("t", record.keySchema(), record.key()).length;
            final long estimate = smt.jsonSize(record.keySchema(), record.key()) + smt.jsonSize(record.valueSchema(), record.value());
            assertTrue(estimate >= actual, "estimate " + estimate + " < actual " + actual + " for " + body.length() + " chars");
            assertTrue(estimate < actual * 1.2 + 2048, "estimate " + estimate + " far above actual " + actual);
        }
    }

    @Test
    void passesRowsWithinTheLimitAndReportsLargerOnes() {
        final SourceRecord small = row("small", null);
        assertSame(small, smt(10_000).apply(small));
        final SourceRecord large = smt(10_000).apply(row("x".repeat(20_000), null));
        assertEquals("p.dlq.mysql-to-postgres", large.topic());
        assertEquals(7, ((Struct) large.key()).get("id"));
        final Struct marker = (Struct) large.value();
        assertEquals("p.m2p.app.docs", marker.get("topic"));
        assertTrue(marker.getString("reason").contains("more than the 10000 bytes"));
        assertEquals("p.m2p.app.docs", large.headers().lastWithName("__connect.errors.topic").value());
    }

    @Test
    void quarantinesNaNAndInfinitiesWhenAskedTo() {
        final Schema floats = SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).field("d", Schema.OPTIONAL_FLOAT64_SCHEMA).build();
        final QuarantineUncarriable<SourceRecord> smt = new QuarantineUncarriable<>();
        smt.configure(Map.of("max.bytes", "100000", "quarantine.topic", "p.dlq.postgres-to-mysql", "non.finite.values", "quarantine"));
        final SourceRecord nan = new SourceRecord(null, null, "p.p2m.public.f", null, KEY, new Struct(KEY).put("id", 1), floats, new Struct(floats).put("id", 1).put("d", Double.NaN));
        assertEquals("p.dlq.postgres-to-mysql", smt.apply(nan).topic());
        assertTrue(((Struct) smt.apply(nan).value()).getString("reason").contains("column d is NaN"));
        final SourceRecord fine = new SourceRecord(null, null, "p.p2m.public.f", null, KEY, new Struct(KEY).put("id", 1), floats, new Struct(floats).put("id", 1).put("d", 1.5));
        assertSame(fine, smt.apply(fine));
        assertSame(nan, smt(100000).apply(nan), "passed on by default");
        final Schema zoned = SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA)
                .field("ts", SchemaBuilder.string().optional().name("io.debezium.time.ZonedTimestamp").build()).build();
        final SourceRecord infinite = new SourceRecord(null, null, "p.p2m.public.f", null, KEY, new Struct(KEY).put("id", 1), zoned, new Struct(zoned).put("id", 1).put("ts", "-infinity"));
        assertTrue(((Struct) smt.apply(infinite).value()).getString("reason").contains("column ts is -infinity"));
    }
}
