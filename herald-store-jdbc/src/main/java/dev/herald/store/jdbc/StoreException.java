package dev.herald.store.jdbc;

/** The database failed or could not be reached; the message says what the store was doing. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(cause == null || cause.getMessage() == null ? message : message + ": " + cause.getMessage(), cause);
    }
}
