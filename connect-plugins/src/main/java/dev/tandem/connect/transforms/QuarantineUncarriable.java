package dev.tandem.connect.transforms;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * Source-side: a row change the pipeline cannot carry faithfully is not sent; a small record naming the table,
 * key and reason goes to the dead-letter topic instead, with the same headers a sink's dead-letter record
 * carries. Everything else passes unchanged. Such rows are:
 * <ul>
 * <li>larger than {@code max.bytes} as JSON with its schema (the producer would fail the whole task with
 * RecordTooLargeException);</li>
 * <li>with {@code non.finite.values=quarantine}, holding NaN or ±Infinity in a float column (Kafka's JSON converter
 * writes them as strings that read back as 0, and MySQL has no such values anyway), or ±infinity in a timestamp
 * with time zone (Debezium's JDBC sink would write MySQL TIMESTAMP's first or last second instead).</li>
 * </ul>
 */
public class QuarantineUncarriable<R extends ConnectRecord<R>> implements Transformation<R>, Versioned {

    @Override
    public String version() {
        return "tandem-1.0.0";
    }

    public static final String MAX_BYTES = "max.bytes";
    public static final String QUARANTINE_TOPIC = "quarantine.topic";
    public static final String TABLE_HEADER = "table.header";
    public static final String NON_FINITE_VALUES = "non.finite.values";
    private static final String ZONED_TIMESTAMP = "io.debezium.time.ZonedTimestamp";

    static final Schema MARKER = SchemaBuilder.struct().name("dev.tandem.connect.UncarriableRow")
            .field("reason", Schema.STRING_SCHEMA)
            .field("table", Schema.OPTIONAL_STRING_SCHEMA)
            .field("topic", Schema.STRING_SCHEMA)
            .field("estimated_bytes", Schema.INT64_SCHEMA)
            .field("limit_bytes", Schema.INT64_SCHEMA)
            .build();

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(MAX_BYTES, Type.LONG, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.Range.atLeast(1024), Importance.HIGH,
                    "Largest change event (JSON with schema, uncompressed) sent to its topic.")
            .define(QUARANTINE_TOPIC, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH, "Where oversized rows are reported.")
            .define(TABLE_HEADER, Type.STRING, "__source_table", Importance.LOW, "Header naming the source table, if any.")
            .define(NON_FINITE_VALUES, Type.STRING, "pass", ConfigDef.ValidString.in("pass", "quarantine"), Importance.MEDIUM,
                    "What to do with NaN and infinities (float columns, timestamps with time zone): pass them on, or quarantine the row.");

    private long maxBytes;
    private String quarantineTopic;
    private String tableHeader;
    private boolean quarantineNonFinite;
    private final Map<Schema, Long> schemaSizes = new ConcurrentHashMap<>();

    @Override
    public void configure(Map<String, ?> props) {
        final Map<String, Object> values = CONFIG.parse(props);
        maxBytes = (Long) values.get(MAX_BYTES);
        quarantineTopic = (String) values.get(QUARANTINE_TOPIC);
        tableHeader = (String) values.get(TABLE_HEADER);
        quarantineNonFinite = "quarantine".equals(values.get(NON_FINITE_VALUES));
    }

    @Override
    public R apply(R record) {
        if (record.value() == null) {
            return record;
        }
        final long size = jsonSize(record.keySchema(), record.key()) + jsonSize(record.valueSchema(), record.value());
        final String nonFinite = quarantineNonFinite ? nonFiniteValue(record.value()) : null;
        if (size <= maxBytes && nonFinite == null) {
            return record;
        }
        final Header table = record.headers().lastWithName(tableHeader);
        final String tableName = table == null || table.value() == null ? null : table.value().toString();
        final String reason = "row of " + (tableName == null ? record.topic() : tableName) + (nonFinite != null ? ": " + nonFinite
                : " is about " + size + " bytes as a change event, more than the " + maxBytes + " bytes the topics carry (tandem:maxRowBytes)");
        final Struct marker = new Struct(MARKER)
                .put("reason", reason)
                .put("table", tableName)
                .put("topic", record.topic())
                .put("estimated_bytes", size)
                .put("limit_bytes", maxBytes);
        final Headers headers = new ConnectHeaders(record.headers());
        headers.addString("__connect.errors.topic", record.topic());
        headers.addString("__connect.errors.stage", "SOURCE_TRANSFORMATION");
        headers.addString("__connect.errors.class.name", getClass().getName());
        headers.addString("__connect.errors.exception.class.name", nonFinite != null ? "dev.tandem.connect.NonFiniteValue" : "dev.tandem.connect.RowTooLarge");
        headers.addString("__connect.errors.exception.message", reason);
        return record.newRecord(quarantineTopic, null, record.keySchema(), record.key(), MARKER, marker, record.timestamp(), headers);
    }

    /** Why a row cannot travel: NaN or ±Infinity in a float column, ±infinity in a timestamp; or null. */
    static String nonFiniteValue(Object value) {
        if (!(value instanceof Struct)) {
            return null;
        }
        final Struct row = (Struct) value;
        for (Field field : row.schema().fields()) {
            final Schema.Type type = field.schema().type();
            final Object raw = row.get(field);
            if (ZONED_TIMESTAMP.equals(field.schema().name()) && ("infinity".equals(raw) || "-infinity".equals(raw))) {
                return "column " + field.name() + " is " + raw + ", which MySQL/MariaDB cannot store (it would become TIMESTAMP's first or last second)";
            }
            if (type != Schema.Type.FLOAT32 && type != Schema.Type.FLOAT64) {
                continue;
            }
            if (raw instanceof Number && (Double.isNaN(((Number) raw).doubleValue()) || Double.isInfinite(((Number) raw).doubleValue()))) {
                return "column " + field.name() + " is " + raw + ", which MySQL/MariaDB cannot store and Kafka's JSON would turn into 0";
            }
        }
        return null;
    }

    /** The size of {@code value} as JsonConverter writes it with schemas enabled: {"schema":…,"payload":…}. */
    long jsonSize(Schema schema, Object value) {
        if (schema == null) {
            return value == null ? 4 : String.valueOf(value).length();
        }
        return 24 + schemaSizes.computeIfAbsent(schema, QuarantineUncarriable::schemaSize) + payloadSize(schema, value);
    }

    static long schemaSize(Schema schema) {
        long size = 40 + (schema.name() == null ? 0 : schema.name().length() + 10);
        if (schema.parameters() != null) {
            for (Map.Entry<String, String> parameter : schema.parameters().entrySet()) {
                size += parameter.getKey().length() + parameter.getValue().length() + 8;
            }
        }
        switch (schema.type()) {
            case STRUCT:
                for (Field field : schema.fields()) {
                    size += schemaSize(field.schema()) + field.name().length() + 12;
                }
                break;
            case ARRAY:
                size += schemaSize(schema.valueSchema());
                break;
            case MAP:
                size += schemaSize(schema.keySchema()) + schemaSize(schema.valueSchema());
                break;
            default:
                break;
        }
        return size;
    }

    static long payloadSize(Schema schema, Object value) {
        if (value == null) {
            return 4;
        }
        switch (schema.type()) {
            case STRUCT: {
                final Struct struct = (Struct) value;
                long size = 2;
                for (Field field : schema.fields()) {
                    size += field.name().length() + 4 + payloadSize(field.schema(), struct.get(field));
                }
                return size;
            }
            case STRING:
                return stringSize(value.toString());
            case BYTES: {
                final long length;
                if (value instanceof byte[]) {
                    length = ((byte[]) value).length;
                }
                else if (value instanceof ByteBuffer) {
                    length = ((ByteBuffer) value).remaining();
                }
                else if (value instanceof BigDecimal) {
                    length = ((BigDecimal) value).unscaledValue().bitLength() / 8 + 1;
                }
                else {
                    length = value.toString().length();
                }
                return (length + 2) / 3 * 4 + 2;
            }
            case ARRAY: {
                long size = 2;
                for (Object item : (List<?>) value) {
                    size += payloadSize(schema.valueSchema(), item) + 1;
                }
                return size;
            }
            case MAP: {
                long size = 2;
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    size += payloadSize(schema.keySchema(), entry.getKey()) + payloadSize(schema.valueSchema(), entry.getValue()) + 2;
                }
                return size;
            }
            default:
                return 24;
        }
    }

    /** UTF-8 length plus JSON escapes (quotes, backslashes and control characters). */
    static long stringSize(String text) {
        long size = 2;
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c < 0x20) {
                size += 6;
            }
            else if (c == '"' || c == '\\') {
                size += 2;
            }
            else if (c < 0x80) {
                size += 1;
            }
            else if (c < 0x800 || Character.isSurrogate(c)) {
                size += 2; // a surrogate pair is 4 bytes: 2 per half
            }
            else {
                size += 3;
            }
        }
        return size;
    }

    @Override
    public ConfigDef config() {
        return CONFIG;
    }

    @Override
    public void close() {
    }
}
