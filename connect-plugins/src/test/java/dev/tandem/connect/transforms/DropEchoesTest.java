package dev.tandem.connect.transforms;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class DropEchoesTest {

    private static final Schema ROW = SchemaBuilder.struct().optional().field("id", Schema.INT32_SCHEMA)
            .field("_tandem_origin", Schema.OPTIONAL_STRING_SCHEMA).build();
    private static final Schema ENVELOPE = SchemaBuilder.struct().field("before", ROW).field("after", ROW)
            .field("op", Schema.STRING_SCHEMA).build();

    private static SourceRecord event(String topic, String op, String beforeOrigin, String afterOrigin) {
        final Struct envelope = new Struct(ENVELOPE).put("op", op);
        if (beforeOrigin != null) envelope.put("before", new Struct(ROW).put("id", 1).put("_tandem_origin", beforeOrigin));
        if (afterOrigin != null) envelope.put("after", new Struct(ROW).put("id", 1).put("_tandem_origin", afterOrigin));
        return new SourceRecord(null, null, topic, null, ENVELOPE, envelope);
    }

    private static DropEchoes<SourceRecord> mysqlSide() {
        final DropEchoes<SourceRecord> smt = new DropEchoes<>();
        smt.configure(Map.of("origin.field", "_tandem_origin", "side", "mysql", "topic.regex", "p\\.mysql-to-postgres\\..*"));
        return smt;
    }

    @Test
    void keepsWhatThisSidesApplicationsWroteAndDropsTheSyncsOwnWrites() {
        final DropEchoes<SourceRecord> smt = mysqlSide();
        final String topic = "p.mysql-to-postgres.app.t";
        assertNotNull(smt.apply(event(topic, "c", null, "mysql")));
        assertNotNull(smt.apply(event(topic, "u", "postgres", "mysql")));
        assertNotNull(smt.apply(event(topic, "r", null, "mysql")));
        assertNull(smt.apply(event(topic, "c", null, "postgres")), "a row the sink wrote");
        assertNull(smt.apply(event(topic, "u", "mysql", "postgres")), "an update the sink applied");
        assertNull(smt.apply(event(topic, "u", "mysql", "deleting")), "the sync marking a row before deleting it");
        assertNull(smt.apply(event(topic, "t", null, null)), "no new version");
    }

    @Test
    void keepsApplicationDeletesAndDropsTheSyncsDeletes() {
        final DropEchoes<SourceRecord> smt = mysqlSide();
        final String topic = "p.mysql-to-postgres.app.t";
        assertNotNull(smt.apply(event(topic, "d", "mysql", null)));
        assertNotNull(smt.apply(event(topic, "d", "postgres", null)), "the application deleted a row the other side wrote");
        assertNull(smt.apply(event(topic, "d", "deleting", null)), "a delete the sync applied");
    }

    @Test
    void passesOtherTopicsAndRecordsWithoutAnEnvelope() {
        final DropEchoes<SourceRecord> smt = mysqlSide();
        final SourceRecord heartbeat = event("__debezium-heartbeat.p", "c", null, "postgres");
        assertSame(heartbeat, smt.apply(heartbeat));
        final SourceRecord plain = new SourceRecord(null, null, "p.mysql-to-postgres.app.t", null, Schema.STRING_SCHEMA, "x");
        assertSame(plain, smt.apply(plain));
    }

    @Test
    void needsTheOriginFieldAndTheSide() {
        assertThrows(ConfigException.class, () -> new DropEchoes<SourceRecord>().configure(Map.of("side", "mysql")));
    }
}
