package io.grove.runtime.share;

/** A share that cannot be made or read as asked (unknown recipient, no such file, refused by the owner). */
public final class ShareRefusedException extends RuntimeException {
    public ShareRefusedException(String message) {
        super(message);
    }
}
