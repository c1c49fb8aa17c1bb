package io.grove.runtime.manifest;

/** A file path that breaks the rules of {@link FilePaths}; the message says which. */
public final class InvalidPathException extends IllegalArgumentException {
    public InvalidPathException(String message) {
        super(message);
    }
}
