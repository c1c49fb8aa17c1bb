package io.grove.runtime.db;

/** The database cannot be opened or used. */
public final class DatabaseException extends RuntimeException {
    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
