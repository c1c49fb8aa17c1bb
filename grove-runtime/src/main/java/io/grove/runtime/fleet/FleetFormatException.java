package io.grove.runtime.fleet;

/**
 * Bytes or text that are not a well-formed roster, invite code or fleet-secret message. The decoders of this package
 * throw only this for bad input, whatever the input, so callers facing the network need to catch one type.
 */
public final class FleetFormatException extends RuntimeException {
    public FleetFormatException(String message) {
        super(message);
    }

    public FleetFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
