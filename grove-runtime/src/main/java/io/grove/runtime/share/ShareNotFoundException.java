package io.grove.runtime.share;

/** No grant with that id is kept on this cell (or, for the Feed, none that still stands). */
public final class ShareNotFoundException extends RuntimeException {
    public ShareNotFoundException(String message) {
        super(message);
    }
}
