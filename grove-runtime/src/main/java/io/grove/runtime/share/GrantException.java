package io.grove.runtime.share;

/** A grant that is malformed, not for this cell, not signed by a member, expired or revoked; nothing was changed. */
public final class GrantException extends RuntimeException {
    public GrantException(String message) {
        super(message);
    }
}
