package dev.tandem.connect.sink;

import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/** The options the quarantining sink adds to Debezium's JDBC sink, each declared once. */
public final class QuarantineConfig {

    public static final String VERSION = "tandem-1.0.0";

    public static final String TRANSIENT_RETRIES = "tandem.transient.retries";
    public static final String TRANSIENT_BACKOFF_MS = "tandem.transient.backoff.ms";


    private static final int DEFAULT_RETRIES = 60;
    private static final long DEFAULT_BACKOFF_MS = 5_000L;

    final int transientRetries;
    final long transientBackoffMs;

    private QuarantineConfig(int transientRetries, long transientBackoffMs) {
        this.transientRetries = transientRetries;
        this.transientBackoffMs = transientBackoffMs;
    }

    static ConfigDef addTo(ConfigDef def) {
        return def
                .define(TRANSIENT_RETRIES, Type.INT, DEFAULT_RETRIES, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                        "How many times in a row a batch is retried after a database-wide failure (lost connection, deadlock, "
                                + "read-only server) before the task fails. Such failures never send rows to the dead-letter topic.")
                .define(TRANSIENT_BACKOFF_MS, Type.LONG, DEFAULT_BACKOFF_MS, ConfigDef.Range.atLeast(0), Importance.LOW,
                        "Pause before retrying a batch after a database-wide failure.");
    }

    static QuarantineConfig from(Map<String, String> props) {
        return new QuarantineConfig(
                Integer.parseInt(props.getOrDefault(TRANSIENT_RETRIES, String.valueOf(DEFAULT_RETRIES))),
                Long.parseLong(props.getOrDefault(TRANSIENT_BACKOFF_MS, String.valueOf(DEFAULT_BACKOFF_MS))));
    }
}
