package io.grove.runtime;

/** The cell cannot start; the message tells the user why and what to do. */
public final class CellStartException extends RuntimeException {
    public CellStartException(String message) {
        super(message);
    }

    public CellStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
