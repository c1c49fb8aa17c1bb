package io.grove.runtime.manifest;

/** A sealed manifest that cannot be opened: wrong key, altered bytes, bad signature, or malformed content. */
public final class ManifestException extends Exception {
    public ManifestException(String message) {
        super(message);
    }

    public ManifestException(String message, Throwable cause) {
        super(message, cause);
    }
}
