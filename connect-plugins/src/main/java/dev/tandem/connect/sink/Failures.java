package dev.tandem.connect.sink;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.connect.errors.RetriableException;

/**
 * Tells a failure of the database as a whole (connection lost, deadlock, server shutting down or read-only:
 * worth a retry, never a reason to set rows aside) from a failure of the rows being written (a value the
 * column refuses, a constraint, a missing column: the row goes to the quarantine).
 */
public final class Failures {

    /** SQLSTATE classes of errors that are about the server or the session, not the row. */
    private static final List<String> TRANSIENT_STATES = List.of(
            "08", // connection exception
            "40", // transaction rollback: serialization failure, deadlock
            "53", // insufficient resources (disk full, out of memory, too many connections)
            "57", // operator intervention (shutdown, cancel)
            "58", // system error
            "HYT", // timeout
            "25006", // read-only transaction
            "55P03", // lock not available
            "XX"); // internal error

    /** MySQL/MariaDB error codes of the same kind (their SQLSTATE is often the generic HY000). */
    private static final Set<Integer> TRANSIENT_MYSQL_CODES = Set.of(
            1040, // too many connections
            1053, // server shutdown in progress
            1152, 1153, 1158, 1159, 1160, 1161, // network errors
            1205, // lock wait timeout
            1213, // deadlock
            1290, // --read-only
            1317, // query interrupted
            1836, // read-only mode
            1927, // connection killed
            1969, // statement timeout (MariaDB)
            2002, 2003, 2006, 2013, // cannot connect, server gone away, lost connection
            4031); // disconnected for inactivity (MariaDB)

    private static final Set<String> TRANSIENT_CLASS_NAMES = Set.of(
            "org.hibernate.exception.JDBCConnectionException",
            "org.hibernate.exception.LockAcquisitionException",
            "org.hibernate.exception.LockTimeoutException",
            "org.hibernate.PessimisticLockException",
            "org.hibernate.QueryTimeoutException");

    private Failures() {
    }

    /** Every throwable in the chain: causes, suppressed ones and SQLException#getNextException. */
    static List<Throwable> chain(Throwable failure) {
        final List<Throwable> all = new ArrayList<>();
        final Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        final List<Throwable> queue = new ArrayList<>();
        queue.add(failure);
        while (!queue.isEmpty() && all.size() < 50) {
            final Throwable next = queue.remove(0);
            if (next == null || seen.put(next, Boolean.TRUE) != null) {
                continue;
            }
            all.add(next);
            queue.add(next.getCause());
            if (next instanceof SQLException) {
                queue.add(((SQLException) next).getNextException());
            }
            for (Throwable suppressed : next.getSuppressed()) {
                queue.add(suppressed);
            }
        }
        return all;
    }

    /**
     * SQLSTATE classes of errors about the rows themselves: warnings turned errors by strict mode (01), no data
     * (02), cardinality (21), data exceptions (22), integrity constraints (23), triggered data changes (27),
     * syntax or access (42), WITH CHECK OPTION (44), and SIGNAL from the sync's triggers (45).
     */
    private static final List<String> ROW_STATES = List.of("01", "02", "21", "22", "23", "27", "42", "44", "45");

    /**
     * True when the failure is about the database or the connection rather than the rows written. The
     * database's own SQLSTATE and error code decide first: drivers' exception classes are not reliable
     * (MariaDB Connector/J reports "Data truncated", SQLSTATE 01000, as an SQLTransientConnectionException).
     */
    public static boolean isTransient(Throwable failure) {
        final List<Throwable> all = chain(failure);
        for (Throwable t : all) {
            if (t instanceof SQLException) {
                final SQLException sql = (SQLException) t;
                final String state = sql.getSQLState();
                if (TRANSIENT_MYSQL_CODES.contains(sql.getErrorCode())) {
                    return true;
                }
                if (state != null && TRANSIENT_STATES.stream().anyMatch(state::startsWith)) {
                    return true;
                }
                if (state != null && ROW_STATES.stream().anyMatch(state::startsWith)) {
                    return false;
                }
            }
        }
        for (Throwable t : all) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof SQLNonTransientConnectionException || t instanceof IOException
                    || t instanceof RetriableException || t instanceof InterruptedException) {
                return true;
            }
            if (TRANSIENT_CLASS_NAMES.contains(t.getClass().getName())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The most telling message of a failure: the database's own error (with its SQLSTATE) when there is one,
     * else the deepest cause. Bounded, as it travels in a record header.
     */
    public static String describe(Throwable failure) {
        SQLException deepestSql = null;
        Throwable deepest = failure;
        for (Throwable t : chain(failure)) {
            if (t instanceof SQLException) {
                deepestSql = (SQLException) t;
            }
            deepest = t;
        }
        final String text;
        if (deepestSql != null) {
            final String state = deepestSql.getSQLState() == null ? "" : " [SQLSTATE " + deepestSql.getSQLState()
                    + (deepestSql.getErrorCode() != 0 ? ", error " + deepestSql.getErrorCode() : "") + "]";
            text = firstLine(deepestSql.getMessage()) + state;
        }
        else {
            text = deepest.getClass().getName() + ": " + firstLine(deepest.getMessage());
        }
        return text.length() > 2000 ? text.substring(0, 2000) + "…" : text;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        final int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
