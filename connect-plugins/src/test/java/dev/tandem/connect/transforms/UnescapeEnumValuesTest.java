package dev.tandem.connect.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class UnescapeEnumValuesTest {

    @Test
    void readsBackslashEscapesTheWayMysqlReadsALiteral() {
        assertEquals("b,c", UnescapeEnumValues.unescape("b\\,c"));
        assertEquals("x\\y", UnescapeEnumValues.unescape("x\\\\y"));
        assertEquals("a\\,b", UnescapeEnumValues.unescape("a\\\\\\,b"));
        assertEquals("tab\there", UnescapeEnumValues.unescape("tab\\there"));
        assertEquals("it's", UnescapeEnumValues.unescape("it's"));
        assertEquals("100\\%", UnescapeEnumValues.unescape("100\\%"));
        assertEquals("trailing\\", UnescapeEnumValues.unescape("trailing\\"));
        assertEquals("", UnescapeEnumValues.unescape(""));
    }

    private static final Schema ENUM = SchemaBuilder.string().optional().name(UnescapeEnumValues.ENUM).build();
    private static final Schema ROW = SchemaBuilder.struct().optional().field("id", Schema.INT32_SCHEMA).field("e", ENUM)
            .field("plain", Schema.OPTIONAL_STRING_SCHEMA).build();
    private static final Schema SOURCE = SchemaBuilder.struct().field("snapshot", Schema.OPTIONAL_STRING_SCHEMA).build();
    private static final Schema ENVELOPE = SchemaBuilder.struct().field("before", ROW).field("after", ROW).field("source", SOURCE)
            .field("op", Schema.STRING_SCHEMA).build();

    private static SourceRecord event(String snapshot, String value) {
        final Struct after = new Struct(ROW).put("id", 1).put("e", value).put("plain", "p\\,q");
        final Struct envelope = new Struct(ENVELOPE).put("after", after).put("source", new Struct(SOURCE).put("snapshot", snapshot)).put("op", "c");
        return new SourceRecord(null, null, "t", null, ENVELOPE, envelope);
    }

    private static Struct after(SourceRecord record) {
        return ((Struct) record.value()).getStruct("after");
    }

    @Test
    void fixesStreamedEnumFieldsOnly() {
        final UnescapeEnumValues<SourceRecord> smt = new UnescapeEnumValues<>();
        final SourceRecord streamed = smt.apply(event("false", "b\\,c"));
        assertEquals("b,c", after(streamed).get("e"));
        assertEquals("p\\,q", after(streamed).get("plain"));
        // Snapshot values come from JDBC and are already right.
        assertEquals("a\\,b", after(smt.apply(event("true", "a\\,b"))).get("e"));
        assertEquals("a\\,b", after(smt.apply(event("incremental", "a\\,b"))).get("e"));
    }
}
