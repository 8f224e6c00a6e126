package dev.tandem.connect.sink;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

import io.debezium.connector.jdbc.JdbcSinkConnector;

/**
 * Debezium's JDBC sink, except that a row the database refuses goes to the dead-letter topic (with the error,
 * the original topic, partition and offset) while every other row keeps flowing. Debezium 3.5 stops the task
 * on the first such row; routing write errors to the dead-letter topic came only with 3.7, which is not served
 * here. Configured exactly like Debezium's sink, plus {@link QuarantineConfig}'s keys.
 */
public class QuarantiningJdbcSinkConnector extends JdbcSinkConnector {

    @Override
    public Class<? extends Task> taskClass() {
        return QuarantiningJdbcSinkTask.class;
    }

    @Override
    public ConfigDef config() {
        return QuarantineConfig.addTo(super.config());
    }

    @Override
    public String version() {
        return QuarantineConfig.VERSION + "+" + super.version();
    }
}
