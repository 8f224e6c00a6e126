package dev.tandem.connect.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.DateTimeException;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    private static Throwable wrapped(Throwable cause) {
        return new ConnectException("JDBC sink connector failure", new ConnectException("Failed to flush records for table 'x'", cause));
    }

    @Test
    void databaseWideFailuresAreTransient() {
        assertTrue(Failures.isTransient(wrapped(new SQLTransientConnectionException("Connection refused"))));
        assertTrue(Failures.isTransient(wrapped(new SQLException("terminating connection due to administrator command", "57P01"))));
        assertTrue(Failures.isTransient(wrapped(new SQLException("An I/O error occurred while sending to the backend.", "08006"))));
        assertTrue(Failures.isTransient(wrapped(new SQLException("could not serialize access", "40001"))));
        assertTrue(Failures.isTransient(wrapped(new SQLException("Deadlock found when trying to get lock", "40001", 1213))));
        assertTrue(Failures.isTransient(wrapped(new SQLException("Lock wait timeout exceeded", "HY000", 1205))));
        assertTrue(Failures.isTransient(wrapped(new SQLException("The MariaDB server is running with the --read-only option", "HY000", 1290))));
        assertTrue(Failures.isTransient(wrapped(new SQLException("cannot execute INSERT in a read-only transaction", "25006"))));
        assertTrue(Failures.isTransient(wrapped(new RuntimeException(new EOFException("socket closed")))));
    }

    @Test
    void failuresOfTheRowsAreNot() {
        assertFalse(Failures.isTransient(wrapped(new SQLException("value too long for type character varying(10)", "22001"))));
        assertFalse(Failures.isTransient(wrapped(new SQLException("duplicate key value violates unique constraint", "23505"))));
        assertFalse(Failures.isTransient(wrapped(new SQLException("Duplicate entry 'a' for key 'u'", "23000", 1062))));
        assertFalse(Failures.isTransient(wrapped(new SQLException("Data truncated for column 'e' at row 1", "01000", 1265))));
        // MariaDB Connector/J's class for it says "transient connection": the SQLSTATE decides.
        assertFalse(Failures.isTransient(wrapped(new java.sql.BatchUpdateException("batch", "01000", 1265, new int[0],
                new SQLTransientConnectionException("Data truncated for column 'e' at row 1", "01000", 1265)))));
        assertFalse(Failures.isTransient(wrapped(new SQLException("tandem: collides on a unique key", "45000", 1644))));
        assertFalse(Failures.isTransient(wrapped(new SQLException("syntax error at or near \"order\"", "42601"))));
        assertFalse(Failures.isTransient(wrapped(new DateTimeException("Invalid value for NanoOfDay"))));
        assertFalse(Failures.isTransient(wrapped(new DataException("Schema change records are not supported"))));
    }

    @Test
    void describesTheDatabasesOwnErrorFromABatch() {
        final BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT INTO \"public\".\"t\" … was aborted: ERROR: value too long. Call getNextException to see other errors in the batch.", "22001", new int[0]);
        batch.setNextException(new SQLException("ERROR: value too long for type character varying(10)\n  Where: …", "22001"));
        assertEquals("ERROR: value too long for type character varying(10) [SQLSTATE 22001]", Failures.describe(wrapped(batch)));
        assertEquals("java.time.DateTimeException: Invalid value for NanoOfDay", Failures.describe(wrapped(new DateTimeException("Invalid value for NanoOfDay"))));
    }
}
