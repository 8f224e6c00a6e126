package dev.tandem.connect.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    private static SinkRecord record(String topic, String table) {
        final ConnectHeaders headers = new ConnectHeaders();
        if (table != null) {
            headers.addString("__source_table", table);
        }
        return new SinkRecord(topic, 0, null, null, Schema.STRING_SCHEMA, "v", 42L, null, null, headers);
    }

    private static RouteToTable<SinkRecord> smt(String namespace) {
        final RouteToTable<SinkRecord> smt = new RouteToTable<>();
        smt.configure(Map.of("namespace", namespace, "tombstone.topic.regex", "p\\.m2p-deletes\\..*",
                "tombstone.names", "{\"a_very_long_name\":\"_tandem_del__a_very_1234567890\"}"));
        return smt;
    }

    @Test
    void namesTheExactTableQuoted() {
        assertEquals("\"public\".\"Order Items\"", smt("public").apply(record("p.m2p.app.Order_Items", "Order Items")).topic());
        assertEquals("\"say \"\"hi\"\".x\"", smt("").apply(record("p.m2p.app.say__hi__x", "say \"hi\".x")).topic());
        assertEquals("\"public\".\"café\"", smt("public").apply(record("p.m2p.app.caf_", "café")).topic());
    }

    @Test
    void routesDeletesToTheTombstoneTable() {
        assertEquals("\"public\".\"_tandem_del__order\"", smt("public").apply(record("p.m2p-deletes.app.order", "order")).topic());
        assertEquals("\"_tandem_del__a_very_1234567890\"", smt("").apply(record("p.m2p-deletes.app.a_very_long_name", "a_very_long_name")).topic());
    }

    @Test
    void tombstonesKeepOnlyTheKeyAndTheBookkeeping() {
        final Schema keySchema = SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).build();
        final Schema valueSchema = SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).field("body", Schema.OPTIONAL_STRING_SCHEMA)
                .field("_tandem_version", Schema.INT64_SCHEMA).build();
        final ConnectHeaders headers = new ConnectHeaders();
        headers.addString("__source_table", "t");
        final SinkRecord delete = new SinkRecord("p.m2p-deletes.app.t", 0, keySchema, new Struct(keySchema).put("id", 1), valueSchema,
                new Struct(valueSchema).put("id", 1).put("body", "x").put("_tandem_version", 5L), 3L, null, null, headers);
        final RouteToTable<SinkRecord> smt = new RouteToTable<>();
        smt.configure(Map.of("namespace", "public", "tombstone.topic.regex", "p\\.m2p-deletes\\..*", "tombstone.fields", "_tandem_version,_tandem_origin"));
        final Struct value = (Struct) smt.apply(delete).value();
        assertEquals(List.of("id", "_tandem_version"), value.schema().fields().stream().map(Field::name).toList());
        assertEquals(5L, value.get("_tandem_version"));
    }

    @Test
    void keepsOffsetsAndRefusesRecordsWithoutTheHeader() {
        final SinkRecord routed = smt("public").apply(record("p.m2p.app.t", "t"));
        assertEquals(42L, routed.kafkaOffset());
        assertThrows(DataException.class, () -> smt("public").apply(record("p.m2p.app.t", null)));
    }
}
