package io.grove.runtime.cell;

/** The cell folder is missing, unreadable, or has unsafe permissions; the message says what to do. */
public final class CellFolderException extends RuntimeException {
    public CellFolderException(String message) {
        super(message);
    }
}
