package dev.tandem.connect.transforms;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * MySQL/MariaDB source, before the envelope is flattened: gives ENUM and SET values back their text.
 * <p>
 * While streaming, Debezium (3.5) turns the binlog's option index into the option's text as its DDL parser
 * kept it: a comma escaped as {@code \,} and the literal's backslash escapes left in ({@code 'x\\y'} stays
 * {@code x\\y}). Snapshot reads come from JDBC and are right. This undoes the escaping on streamed events only,
 * the way MySQL reads a string literal.
 */
public class UnescapeEnumValues<R extends ConnectRecord<R>> implements Transformation<R>, Versioned {

    @Override
    public String version() {
        return "tandem-1.0.0";
    }

    static final String ENUM = "io.debezium.data.Enum";
    static final String ENUM_SET = "io.debezium.data.EnumSet";

    private final Map<Schema, List<String>> enumFields = new ConcurrentHashMap<>();

    @Override
    public void configure(Map<String, ?> props) {
    }

    @Override
    public R apply(R record) {
        if (!(record.value() instanceof Struct)) {
            return record;
        }
        final Struct envelope = (Struct) record.value();
        final Schema schema = envelope.schema();
        if (schema.field("after") == null || schema.field("source") == null || !streamed(envelope)) {
            return record;
        }
        for (String part : new String[]{ "before", "after" }) {
            final Object row = envelope.get(part);
            if (row instanceof Struct) {
                unescape((Struct) row);
            }
        }
        return record;
    }

    private static boolean streamed(Struct envelope) {
        final Object source = envelope.get("source");
        if (!(source instanceof Struct) || ((Struct) source).schema().field("snapshot") == null) {
            return true;
        }
        final Object snapshot = ((Struct) source).get("snapshot");
        return snapshot == null || "false".equals(snapshot.toString());
    }

    private void unescape(Struct row) {
        final List<String> fields = enumFields.computeIfAbsent(row.schema(), UnescapeEnumValues::enumFieldsOf);
        for (String name : fields) {
            final Object value = row.get(name);
            if (value instanceof String) {
                row.put(name, unescape((String) value));
            }
        }
    }

    private static List<String> enumFieldsOf(Schema schema) {
        final List<String> names = new ArrayList<>();
        for (Field field : schema.fields()) {
            final String logical = field.schema().name();
            if (ENUM.equals(logical) || ENUM_SET.equals(logical)) {
                names.add(field.name());
            }
        }
        return names;
    }

    /** MySQL's reading of backslash escapes in a string literal, plus Debezium's {@code \,}. */
    static String unescape(String value) {
        if (value.indexOf('\\') < 0) {
            return value;
        }
        final StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            if (c != '\\' || i + 1 == value.length()) {
                out.append(c);
                continue;
            }
            final char next = value.charAt(++i);
            switch (next) {
                case '0' -> out.append('\0');
                case 'b' -> out.append('\b');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'Z' -> out.append('\u001A');
                // MySQL keeps the backslash of \% and \_ (they are LIKE escapes).
                case '%', '_' -> out.append('\\').append(next);
                default -> out.append(next);
            }
        }
        return out.toString();
    }

    @Override
    public ConfigDef config() {
        return new ConfigDef();
    }

    @Override
    public void close() {
    }
}
