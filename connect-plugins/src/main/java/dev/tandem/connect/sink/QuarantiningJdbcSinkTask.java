package dev.tandem.connect.sink;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debezium.connector.jdbc.JdbcSinkConnectorTask;

/**
 * Writes a batch through Debezium's task; when the database refuses it, finds the refused rows by halving the
 * batch and sends each to the dead-letter topic through Connect's {@link ErrantRecordReporter} (KIP-610), so the
 * other rows and tables keep flowing and the task stays RUNNING.
 * <p>
 * Database-wide failures (connection lost, deadlock, read-only server) are never quarantined: the batch is
 * retried as a whole after a pause ({@link RetriableException}), and the task fails only after
 * {@value QuarantineConfig#TRANSIENT_RETRIES} attempts in a row.
 * <p>
 * Rewriting rows that were already committed before a failure is harmless: the sync's triggers ignore a version
 * they already hold (see docs/bidirectional.md).
 */
public class QuarantiningJdbcSinkTask extends JdbcSinkConnectorTask {

    private static final Logger LOGGER = LoggerFactory.getLogger(QuarantiningJdbcSinkTask.class);

    /** Set by tandem's RouteToTable on deletes (the transforms jar is another plugin: the name is repeated here). */
    static final String TOMBSTONE_HEADER = "tandem.tombstone";

    /** Debezium keeps a failed put's error and throws it on the next put; we take it over instead. */
    private static final Field PREVIOUS_PUT_EXCEPTION = field("previousPutException");
    /** Debezium's private bookkeeping of committed offsets; a quarantined record counts as processed. */
    private static final Method MARK_PROCESSED = method("markProcessed", SinkRecord.class);

    private QuarantineConfig config;
    private Map<String, String> props;
    private ErrantRecordReporter reporter;
    private int transientFailures;
    private long quarantined;

    @Override
    public void start(Map<String, String> props) {
        super.start(props);
        this.props = props;
        this.config = QuarantineConfig.from(props);
        try {
            this.reporter = context == null ? null : context.errantRecordReporter();
        }
        catch (NoSuchMethodError | NoClassDefFoundError e) {
            this.reporter = null;
        }
        if (reporter == null) {
            LOGGER.warn("No dead-letter topic (errors.deadletterqueue.topic.name with errors.tolerance=all): a row the database refuses stops the task");
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        final List<SinkRecord> batch = ApplyOrder.rowsBeforeTombstones(records, QuarantiningJdbcSinkTask::isTombstone);
        if (!batch.isEmpty()) {
            writeIsolating(batch);
        }
        // Every record of the batch is written or quarantined now, not in offset order (rows before tombstones):
        // mark each partition's last record, for the committed offset to pass them all.
        final java.util.Map<String, SinkRecord> last = new java.util.HashMap<>();
        for (SinkRecord record : records) {
            last.merge(topicOf(record) + "-" + record.originalKafkaPartition(), record,
                    (a, b) -> a.originalKafkaOffset() >= b.originalKafkaOffset() ? a : b);
        }
        last.values().forEach(this::markProcessed);
        transientFailures = 0;
    }

    private void writeIsolating(List<SinkRecord> batch) {
        final Throwable failure = write(batch);
        if (failure == null) {
            return;
        }
        if (Failures.isTransient(failure)) {
            retryLater(failure);
        }
        if (reporter == null) {
            throw new ConnectException("JDBC sink failure (no dead-letter topic configured): " + Failures.describe(failure), failure);
        }
        final BatchIsolator<SinkRecord> isolator = new BatchIsolator<>(this::write, this::quarantine, Failures::isTransient);
        try {
            isolator.isolate(batch, failure);
        }
        catch (BatchIsolator.TransientFailure e) {
            retryLater(e.getCause());
        }
        LOGGER.info("Wrote a batch of {} records around the refused ones in {} more writes", batch.size(), isolator.writes());
    }

    private static boolean isTombstone(SinkRecord record) {
        return record.headers().lastWithName(TOMBSTONE_HEADER) != null;
    }

    /** Number of records sent to the dead-letter topic by this task since it started. */
    public long quarantinedCount() {
        return quarantined;
    }

    /** Writes the records through Debezium; returns its failure, if any, and clears it for the next attempt. */
    private Throwable write(List<SinkRecord> records) {
        super.put(records);
        final Throwable failure = getLastProcessingException();
        if (failure != null) {
            clearFailure();
        }
        return failure;
    }

    private void quarantine(SinkRecord record, Throwable failure) {
        final String reason = "table " + record.topic() + ": " + Failures.describe(failure);
        reporter.report(record, new QuarantinedRecordException(reason, failure));
        markProcessed(record);
        quarantined++;
        LOGGER.warn("Quarantined the record at {}-{}@{} ({} so far): {}", topicOf(record), record.originalKafkaPartition(),
                record.originalKafkaOffset(), quarantined, reason);
    }

    private void retryLater(Throwable failure) {
        transientFailures++;
        final String what = Failures.describe(failure);
        if (transientFailures > config.transientRetries) {
            throw new ConnectException("database failure persisted over " + config.transientRetries + " retries: " + what, failure);
        }
        context.timeout(config.transientBackoffMs);
        throw new RetriableException("database failure, retrying the batch in " + config.transientBackoffMs + " ms (attempt "
                + transientFailures + "/" + config.transientRetries + "): " + what, failure);
    }

    private void clearFailure() {
        if (PREVIOUS_PUT_EXCEPTION != null) {
            try {
                PREVIOUS_PUT_EXCEPTION.set(this, null);
                return;
            }
            catch (IllegalAccessException e) {
                LOGGER.debug("Cannot reset Debezium's put failure reflectively", e);
            }
        }
        // A restart also resets it (slower: a new session factory).
        super.stop();
        super.start(props);
    }

    private void markProcessed(SinkRecord record) {
        if (MARK_PROCESSED == null) {
            throw new ConnectException("cannot mark a quarantined record processed: Debezium's JdbcSinkConnectorTask changed");
        }
        try {
            MARK_PROCESSED.invoke(this, record);
        }
        catch (ReflectiveOperationException e) {
            throw new ConnectException("cannot mark a quarantined record processed", e);
        }
    }

    private static String topicOf(SinkRecord record) {
        try {
            return record.originalTopic();
        }
        catch (NoSuchMethodError e) {
            return record.topic();
        }
    }

    private static Field field(String name) {
        try {
            final Field field = JdbcSinkConnectorTask.class.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        }
        catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Method method(String name, Class<?>... parameters) {
        try {
            final Method method = JdbcSinkConnectorTask.class.getDeclaredMethod(name, parameters);
            method.setAccessible(true);
            return method;
        }
        catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
