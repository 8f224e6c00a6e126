package dev.tandem.connect.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class RouteToTableTest {

    private static final Schema KEY = SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).build();
    private static final Schema VALUE = SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).field("body", Schema.OPTIONAL_STRING_SCHEMA)
            .field("_tandem_version", Schema.INT64_SCHEMA).field("__deleted", Schema.OPTIONAL_STRING_SCHEMA).build();

    private static SinkRecord record(String topic, String table, boolean deleted) {
        final ConnectHeaders headers = new ConnectHeaders();
        if (table != null) {
            headers.addString("__source_table", table);
        }
        final Struct value = new Struct(VALUE).put("id", 1).put("body", "x").put("_tandem_version", 5L).put("__deleted", String.valueOf(deleted));
        return new SinkRecord(topic, 0, KEY, new Struct(KEY).put("id", 1), VALUE, value, 42L, null, null, headers);
    }

    private static RouteToTable<SinkRecord> smt(String namespace) {
        final RouteToTable<SinkRecord> smt = new RouteToTable<>();
        smt.configure(Map.of("namespace", namespace, "tombstone.fields", "_tandem_version,_tandem_origin",
                "tombstone.names", "{\"a_very_long_name\":\"_tandem_del__a_very_1234567890\"}"));
        return smt;
    }

    private static List<String> fields(SinkRecord record) {
        return ((Struct) record.value()).schema().fields().stream().map(Field::name).toList();
    }

    @Test
    void namesTheExactTableQuotedAndDropsTheDeletedFlag() {
        final SinkRecord routed = smt("public").apply(record("p.m2p.app.Order_Items", "Order Items", false));
        assertEquals("\"public\".\"Order Items\"", routed.topic());
        assertEquals(List.of("id", "body", "_tandem_version"), fields(routed));
        assertNull(routed.headers().lastWithName(RouteToTable.TOMBSTONE_HEADER));
        assertEquals("\"say \"\"hi\"\".x\"", smt("").apply(record("p.m2p.app.say__hi__x", "say \"hi\".x", false)).topic());
        assertEquals("\"public\".\"café\"", smt("public").apply(record("p.m2p.app.caf_", "café", false)).topic());
    }

    @Test
    void routesDeletesToTheTombstoneTableWithTheKeyAndBookkeepingOnly() {
        final SinkRecord delete = smt("public").apply(record("p.m2p.app.order", "order", true));
        assertEquals("\"public\".\"_tandem_del__order\"", delete.topic());
        assertEquals(List.of("id", "_tandem_version"), fields(delete));
        assertEquals(true, delete.headers().lastWithName(RouteToTable.TOMBSTONE_HEADER).value());
        assertEquals("\"_tandem_del__a_very_1234567890\"", smt("").apply(record("p.m2p.app.a_very_long_name", "a_very_long_name", true)).topic());
    }

    @Test
    void keepsOffsetsAndRefusesRecordsWithoutTheHeader() {
        assertEquals(42L, smt("public").apply(record("p.m2p.app.t", "t", false)).kafkaOffset());
        assertThrows(DataException.class, () -> smt("public").apply(record("p.m2p.app.t", null, false)));
    }
}
