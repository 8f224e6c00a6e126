package dev.tandem.connect.sink;

import io.debezium.sink.DebeziumSinkRecord;
import io.debezium.sink.naming.CollectionNamingStrategy;

/**
 * Names the target table after the record's topic exactly as RouteToTable set it ({@code "schema"."table"},
 * quoted): Debezium's default strategy turns every '.' of the topic into '_', which would break the quoting
 * and rename tables whose names hold dots.
 */
public class ExactTopicNaming implements CollectionNamingStrategy {

    @Override
    public String resolveCollectionName(DebeziumSinkRecord record, String collectionNameFormat) {
        return collectionNameFormat.replace("${topic}", record.topicName());
    }
}
