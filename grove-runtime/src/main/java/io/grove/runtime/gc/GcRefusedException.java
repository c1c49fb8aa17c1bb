package io.grove.runtime.gc;

/** The garbage collector would not run, and deleted nothing; the message says why and what to do. */
public final class GcRefusedException extends RuntimeException {
    public GcRefusedException(String message) {
        super(message);
    }

    public GcRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
