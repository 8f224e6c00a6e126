package dev.tandem.connect.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class BatchIsolatorTest {

    /** A fake database: refuses any write that contains a bad record, records what it accepted, in order. */
    private final List<Integer> written = new ArrayList<>();
    private final List<Integer> quarantined = new ArrayList<>();

    private BatchIsolator<Integer> isolator(Set<Integer> bad, boolean transientFailures) {
        return new BatchIsolator<>(records -> {
            if (records.stream().anyMatch(bad::contains)) {
                return new IllegalStateException(transientFailures ? "connection lost" : "bad value");
            }
            written.addAll(records);
            return null;
        }, (record, failure) -> quarantined.add(record), failure -> failure.getMessage().equals("connection lost"));
    }

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    @Test
    void writesEverythingButTheRefusedRecordsInOrder() {
        final List<Integer> batch = range(500);
        final BatchIsolator<Integer> isolator = isolator(Set.of(7, 250, 499), false);
        isolator.isolate(batch, new IllegalStateException("bad value"));
        assertEquals(List.of(7, 250, 499), quarantined);
        final List<Integer> expected = new ArrayList<>(batch);
        expected.removeAll(Set.of(7, 250, 499));
        assertEquals(expected, written);
        // One bad record among 500 costs about 2·log2(500) writes, not 500.
        final BatchIsolator<Integer> one = isolator(Set.of(123), false);
        written.clear();
        quarantined.clear();
        one.isolate(batch, new IllegalStateException("bad value"));
        assertEquals(List.of(123), quarantined);
        assertEquals(18, one.writes());
    }

    @Test
    void aSingleRecordBatchGoesStraightToTheQuarantine() {
        isolator(Set.of(1), false).isolate(List.of(1), new IllegalStateException("bad value"));
        assertEquals(List.of(1), quarantined);
        assertEquals(List.of(), written);
    }

    @Test
    void aTransientFailureStopsTheSearchWithoutQuarantining() {
        final BatchIsolator<Integer> isolator = isolator(Set.of(3), true);
        assertThrows(BatchIsolator.TransientFailure.class, () -> isolator.isolate(range(8), new IllegalStateException("bad value")));
        assertEquals(List.of(), quarantined);
    }
}
