package io.grove.runtime.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Files of this machine handed to an archive put one after the other ({@link FileService#putArchive}): each is
 * opened only when its turn comes, without following a link, and closed at the next; what is passed over is
 * counted. Subclasses decide which files come, in {@link #next()}, starting with {@link #close()}.
 */
public abstract class LocalFileEntries implements ArchiveEntries {
    private InputStream open;
    private int skipped;

    /** Opens {@code file} as the next entry, named {@code name}; the caller closed the previous one. */
    protected final Entry open(String name, Path file, long mtime, long size) throws IOException {
        // Not through a link that replaced the file since it was listed.
        open = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
        return new Entry(name, mtime, size, open);
    }

    /** Counts one entry passed over. */
    protected final void skip() {
        skipped++;
    }

    @Override
    public final int skipped() {
        return skipped;
    }

    /** Closes the entry opened last, if any. */
    @Override
    public void close() throws IOException {
        if (open != null) {
            InputStream done = open;
            open = null;
            done.close();
        }
    }
}
