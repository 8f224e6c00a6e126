package dev.tandem.connect.sink;

import org.apache.kafka.connect.errors.DataException;

/** Why a record was set aside: its table and the database's error, as the dead-letter headers show them. */
public class QuarantinedRecordException extends DataException {

    private static final long serialVersionUID = 1L;

    public QuarantinedRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
