package dev.tandem.connect.sink;

import java.util.List;
import java.util.function.Predicate;

/**
 * Finds the records of a failed batch that fail on their own: halves the batch, writes each half again in
 * order, and keeps halving the halves that fail, down to single records, which are handed to the quarantine.
 * Everything else is written, in the original order. A failure the predicate calls transient stops the search
 * (the caller retries the whole batch later).
 */
final class BatchIsolator<R> {

    /** Writes records; returns the failure, or null when they were written. */
    interface Writer<R> {
        Throwable write(List<R> records);
    }

    interface Quarantine<R> {
        void accept(R record, Throwable failure);
    }

    /** Thrown out of {@link #isolate} when a write failed for a reason that is not the records'. */
    static final class TransientFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TransientFailure(Throwable cause) {
            super(cause);
        }
    }

    private final Writer<R> writer;
    private final Quarantine<R> quarantine;
    private final Predicate<Throwable> isTransient;
    private int writes;

    BatchIsolator(Writer<R> writer, Quarantine<R> quarantine, Predicate<Throwable> isTransient) {
        this.writer = writer;
        this.quarantine = quarantine;
        this.isTransient = isTransient;
    }

    /** Isolates within {@code records}, which failed as a whole with {@code failure}. */
    void isolate(List<R> records, Throwable failure) {
        if (records.size() == 1) {
            quarantine.accept(records.get(0), failure);
            return;
        }
        final int middle = records.size() / 2;
        for (List<R> half : List.of(records.subList(0, middle), records.subList(middle, records.size()))) {
            writes++;
            final Throwable halfFailure = writer.write(half);
            if (halfFailure == null) {
                continue;
            }
            if (isTransient.test(halfFailure)) {
                throw new TransientFailure(halfFailure);
            }
            isolate(half, halfFailure);
        }
    }

    /** Writes attempted so far (the cost of the search). */
    int writes() {
        return writes;
    }
}
