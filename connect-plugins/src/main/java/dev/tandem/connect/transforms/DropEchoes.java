package dev.tandem.connect.transforms;

import java.util.Map;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * Source, before the envelope is flattened: keeps only what an application of this side wrote, dropping the
 * changes the sync itself made (echoes). Inserts and updates pass when their new version carries this side's
 * origin; deletes pass unless the sync marked the row as being deleted.
 * <p>
 * The same rule as Debezium's scripted Filter with a Groovy condition, without a script engine: profiling a
 * burst showed the Groovy evaluation taking about a quarter of the Connect worker's CPU.
 */
public class DropEchoes<R extends ConnectRecord<R>> implements Transformation<R>, Versioned {

    static final String ORIGIN_FIELD = "origin.field";
    static final String SIDE = "side";
    static final String DELETING = "deleting.value";
    static final String TOPIC_REGEX = "topic.regex";

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(ORIGIN_FIELD, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.Importance.HIGH,
                    "The bookkeeping column naming the side whose application wrote the row version.")
            .define(SIDE, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.Importance.HIGH,
                    "This source's side: rows whose origin is another side are echoes.")
            .define(DELETING, ConfigDef.Type.STRING, "deleting", ConfigDef.Importance.MEDIUM,
                    "The origin the sync sets on a row just before deleting it.")
            .define(TOPIC_REGEX, ConfigDef.Type.STRING, null, ConfigDef.Importance.MEDIUM,
                    "Only records of matching topics are filtered (others, e.g. heartbeats, pass).");

    private String origin;
    private String side;
    private String deleting;
    private Pattern topics;

    @Override
    public String version() {
        return "tandem-1.0.0";
    }

    @Override
    public void configure(Map<String, ?> props) {
        final Map<String, Object> values = CONFIG.parse(props);
        origin = (String) values.get(ORIGIN_FIELD);
        side = (String) values.get(SIDE);
        deleting = (String) values.get(DELETING);
        final String regex = (String) values.get(TOPIC_REGEX);
        if (origin.isEmpty() || side.isEmpty()) {
            throw new ConfigException("DropEchoes needs " + ORIGIN_FIELD + " and " + SIDE);
        }
        topics = regex == null || regex.isEmpty() ? null : Pattern.compile(regex);
    }

    @Override
    public R apply(R record) {
        if (topics != null && !topics.matcher(record.topic()).matches()) {
            return record;
        }
        if (!(record.value() instanceof Struct)) {
            return record;
        }
        final Struct envelope = (Struct) record.value();
        if (envelope.schema().field("op") == null) {
            return record;
        }
        final boolean keep;
        if ("d".equals(envelope.getString("op"))) {
            keep = !deleting.equals(originOf(envelope, "before"));
        } else {
            keep = side.equals(originOf(envelope, "after"));
        }
        return keep ? record : null;
    }

    /** The origin of the envelope's `before` or `after` row, or null when there is none. */
    private String originOf(Struct envelope, String part) {
        final Field field = envelope.schema().field(part);
        final Object row = field == null ? null : envelope.get(field);
        if (!(row instanceof Struct)) {
            return null;
        }
        final Field column = ((Struct) row).schema().field(origin);
        final Object value = column == null ? null : ((Struct) row).get(column);
        return value == null ? null : value.toString();
    }

    @Override
    public ConfigDef config() {
        return CONFIG;
    }

    @Override
    public void close() {
    }
}
