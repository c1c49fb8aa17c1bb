package io.grove.runtime.files;

/** An archive that cannot be stored as it is (a bad entry name, too many files); the message names the entry. */
public final class ArchiveException extends RuntimeException {
    public ArchiveException(String message) {
        super(message, null, false, false);
    }
}
