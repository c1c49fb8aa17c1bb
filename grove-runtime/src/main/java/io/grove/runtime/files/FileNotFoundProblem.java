package io.grove.runtime.files;

/** No such file, or no such version of it. */
public final class FileNotFoundProblem extends RuntimeException {
    public FileNotFoundProblem(String message) {
        super(message, null, false, false);
    }
}
