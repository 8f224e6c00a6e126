package dev.tandem.connect.sink;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

/**
 * The order in which a batch is written. Debezium's sink buffers records per target table and flushes the
 * buffers in the order the tables first appeared, so a row and the tombstone (delete) of the same version,
 * routed to two tables, could be applied delete first and the row would come back. Applying every row before
 * any tombstone of the batch is always right: a tombstone deletes only the version it names, and a later
 * version of the row (a re-insert, an update) survives it.
 */
final class ApplyOrder {

    private ApplyOrder() {
    }

    /** The records, rows first then tombstones, each group in its original order. */
    static <R> List<R> rowsBeforeTombstones(Collection<R> records, Predicate<R> isTombstone) {
        final List<R> rows = new ArrayList<>(records.size());
        final List<R> tombstones = new ArrayList<>();
        for (R record : records) {
            (isTombstone.test(record) ? tombstones : rows).add(record);
        }
        rows.addAll(tombstones);
        return rows;
    }
}
