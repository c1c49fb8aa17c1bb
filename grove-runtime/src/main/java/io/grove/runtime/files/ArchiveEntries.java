package io.grove.runtime.files;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * The files of an archive put, one after the other: a tar stream sent to the cell ({@link TarEntries}) or a folder
 * on this machine that the cell reads itself ({@link FolderEntries}). {@link FileService#putArchive} stores them.
 */
public interface ArchiveEntries extends Closeable {
    /**
     * One regular file.
     *
     * @param name    its path below the archive's root, '/'-separated, checked by the caller
     * @param mtime   modification time (milliseconds since the epoch)
     * @param size    its size as the archive announces it (bytes read may differ for a file that is changing)
     * @param content its bytes; readable until the next call of {@link #next()}
     */
    record Entry(String name, long mtime, long size, InputStream content) {
    }

    /** The next regular file, or {@code null} after the last; the previous entry's content is done with. */
    Entry next() throws IOException;

    /** Entries passed over so far because they are not regular files (folders, links, devices). */
    int skipped();
}
