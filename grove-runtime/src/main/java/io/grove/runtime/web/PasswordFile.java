package io.grove.runtime.web;

import io.grove.runtime.io.DurableFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The dashboard password's Argon2id hash in the cell folder ({@code dashboard.password}, mode 0600, written durably).
 * It is read on every check, so {@code grove password} takes effect on a running cell at the next login.
 */
public final class PasswordFile {
    /** The file's name inside the cell folder. */
    public static final String NAME = "dashboard.password";
    private static final int MAX_BYTES = 512;
    private final Path file;

    public PasswordFile(Path cellDir) {
        this.file = cellDir.resolve(NAME);
    }

    public Path path() {
        return file;
    }

    /** Whether a password has been set. */
    public boolean exists() {
        return Files.isRegularFile(file);
    }

    /** The stored hash, if a password has been set; a damaged or shared file is an error naming the fix. */
    public Optional<PasswordHash> read() {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IllegalStateException(file + " is not a password hash (too large); delete it and run 'grove password'");
            }
            if (DurableFiles.isShared(file)) {
                throw new IllegalStateException(file + " has mode " + DurableFiles.mode(file)
                        + " but must be readable by its owner only; run: chmod 600 " + file);
            }
            return Optional.of(PasswordHash.parse(Files.readString(file, StandardCharsets.US_ASCII)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file + ": " + e.getMessage() + "; delete it and run 'grove password'");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Replaces the stored hash (temp file, fsync, rename, fsync folder; 0600). */
    public void write(PasswordHash hash) throws IOException {
        DurableFiles.writePrivate(file, (hash.encode() + "\n").getBytes(StandardCharsets.US_ASCII));
    }
}
