package dev.tandem.connect.transforms;

import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.transforms.Transformation;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Sink-side: names the table a record is written to from the exact source table name its producer put in a
 * header (Debezium's {@code add.headers=source.table}), not from the topic. Topic names are sanitized (spaces,
 * quotes and non-ASCII letters become '_', so two tables can share a topic); the table name is not.
 * <p>
 * The new topic is the quoted, fully qualified name ({@code "schema"."table"}), which Debezium's JDBC sink
 * parses back exactly with {@code collection.name.format=${topic}}. Records on topics matching
 * {@code tombstone.topic.regex} go to the table's tombstone table instead.
 */
public class RouteToTable<R extends ConnectRecord<R>> implements Transformation<R>, Versioned {

    @Override
    public String version() {
        return "tandem-1.0.0";
    }

    public static final String TABLE_HEADER = "table.header";
    public static final String NAMESPACE = "namespace";
    public static final String DELETED_FIELD = "deleted.field";
    /** Header set on records routed to a tombstone table (the sink applies rows before tombstones). */
    public static final String TOMBSTONE_HEADER = "tandem.tombstone";
    public static final String TOMBSTONE_PREFIX = "tombstone.prefix";
    public static final String TOMBSTONE_NAMES = "tombstone.names";
    public static final String TOMBSTONE_FIELDS = "tombstone.fields";

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(TABLE_HEADER, Type.STRING, "__source_table", Importance.HIGH, "Header holding the source table's exact name.")
            .define(NAMESPACE, Type.STRING, "", Importance.HIGH, "Schema of the target tables (empty: the connection's database).")
            .define(DELETED_FIELD, Type.STRING, "__deleted", Importance.HIGH, "Value field that is \"true\" on deletes (ExtractNewRecordState's rewrite mode).")
            .define(TOMBSTONE_PREFIX, Type.STRING, "_tandem_del__", Importance.MEDIUM, "Tombstone table name = prefix + table name …")
            .define(TOMBSTONE_NAMES, Type.STRING, "{}", Importance.MEDIUM,
                    "… unless this JSON object names it (tables whose prefixed name would exceed the engines' identifier length).")
            .define(TOMBSTONE_FIELDS, Type.LIST, "", Importance.MEDIUM,
                    "Value fields a tombstone record keeps besides the key's (empty: all of them).");

    private String header;
    private String namespace;
    private String deletedField;
    private String tombstonePrefix;
    private Map<String, String> tombstoneNames;
    private Set<String> tombstoneFields;
    private final Map<Schema, Schema> rowProjections = new IdentityHashMap<>();
    private final Map<Schema, Schema> tombstoneProjections = new IdentityHashMap<>();
    private final Map<String, String> routed = new HashMap<>();

    @Override
    public void configure(Map<String, ?> props) {
        final Map<String, Object> values = CONFIG.parse(props);
        header = (String) values.get(TABLE_HEADER);
        namespace = (String) values.get(NAMESPACE);
        deletedField = (String) values.get(DELETED_FIELD);
        tombstonePrefix = (String) values.get(TOMBSTONE_PREFIX);
        @SuppressWarnings("unchecked")
        final java.util.List<String> fields = (java.util.List<String>) values.get(TOMBSTONE_FIELDS);
        tombstoneFields = fields.isEmpty() ? null : new HashSet<>(fields);
        try {
            tombstoneNames = new ObjectMapper().readValue((String) values.get(TOMBSTONE_NAMES), new TypeReference<Map<String, String>>() {
            });
        }
        catch (Exception e) {
            throw new ConfigException(TOMBSTONE_NAMES, values.get(TOMBSTONE_NAMES), "must be a JSON object of table name to tombstone table name");
        }
    }

    @Override
    public R apply(R record) {
        final Header tableHeader = record.headers().lastWithName(header);
        if (tableHeader == null || tableHeader.value() == null) {
            throw new DataException("record on " + record.topic() + " has no " + header + " header naming its table");
        }
        final String table = tableHeader.value().toString();
        final Struct row = record.value() instanceof Struct ? (Struct) record.value() : null;
        final boolean tombstone = row != null && row.schema().field(deletedField) != null && "true".equals(String.valueOf(row.get(deletedField)));
        final String target = tombstone ? tombstoneNames.getOrDefault(table, tombstonePrefix + table) : table;
        final String topic = routed.computeIfAbsent((tombstone ? "d" : "r") + target, key -> qualified(target));
        final Headers headers = record.headers().duplicate();
        if (tombstone) {
            headers.addBoolean(TOMBSTONE_HEADER, true);
        }
        if (row == null) {
            return record.newRecord(topic, record.kafkaPartition(), record.keySchema(), record.key(), record.valueSchema(), record.value(), record.timestamp(), headers);
        }
        // Tasks run their transformations on one thread: identity caches need no locking. Schemas repeat.
        final Map<Schema, Schema> cache = tombstone ? tombstoneProjections : rowProjections;
        Schema projected = cache.get(row.schema());
        if (projected == null) {
            final Set<String> keep = new HashSet<>();
            for (Field field : row.schema().fields()) {
                if (!field.name().equals(deletedField)) {
                    keep.add(field.name());
                }
            }
            if (tombstone && tombstoneFields != null) {
                keep.retainAll(tombstoneFields);
                if (record.key() instanceof Struct) {
                    ((Struct) record.key()).schema().fields().forEach(field -> keep.add(field.name()));
                }
            }
            projected = project(row.schema(), keep);
            cache.put(row.schema(), projected);
        }
        final Struct out = new Struct(projected);
        for (Field field : projected.fields()) {
            out.put(field.name(), row.get(field.name()));
        }
        return record.newRecord(topic, record.kafkaPartition(), record.keySchema(), record.key(), projected, out, record.timestamp(), headers);
    }

    private static Schema project(Schema schema, Set<String> keep) {
        final SchemaBuilder builder = SchemaBuilder.struct().name(schema.name()).version(schema.version());
        if (schema.isOptional()) {
            builder.optional();
        }
        for (Field field : schema.fields()) {
            if (keep.contains(field.name())) {
                builder.field(field.name(), field.schema());
            }
        }
        return builder.build();
    }

    private String qualified(String table) {
        return namespace.isEmpty() ? quote(table) : quote(namespace) + "." + quote(table);
    }

    /** Debezium's TableIdParser reads a double-quoted part verbatim, with "" standing for one quote. */
    static String quote(String part) {
        return '"' + part.replace("\"", "\"\"") + '"';
    }

    @Override
    public ConfigDef config() {
        return CONFIG;
    }

    @Override
    public void close() {
    }
}
