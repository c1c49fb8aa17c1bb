package io.grove.runtime.fleet;

/** A fleet secret that this cell does not hold, or a sealed message or wrapped secret that does not open. */
public final class FleetSecretException extends RuntimeException {
    public FleetSecretException(String message) {
        super(message);
    }

    public FleetSecretException(String message, Throwable cause) {
        super(message, cause);
    }
}
