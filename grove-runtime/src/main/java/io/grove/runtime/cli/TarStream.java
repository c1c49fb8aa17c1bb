package io.grove.runtime.cli;

import io.grove.runtime.files.ArchiveEntries;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.util.function.UnaryOperator;

/**
 * A folder's files as a tar stream, produced as it is read: each read writes the next piece of the archive (at most
 * {@link #STEP} bytes of file content at a time) into a buffer and returns from it. No second thread and no pipe:
 * the HTTP client pulls the archive at its own pace. (A {@code PipedInputStream} fed by a writer thread wakes its
 * reader only on flushes or once a second, and cost {@code grove put} of 10,000 small files half its time.)
 *
 * <p>The files come from {@link ArchiveEntries} (a {@link io.grove.runtime.files.FolderEntries}: the same walk, order
 * and rules as a cell reading the folder itself, never holding the whole file list). Each file goes in with the size
 * it was listed with: a file that grew since is cut there (as tar does), one that shrank fails the stream.
 */
final class TarStream extends InputStream {
    /** File bytes written into the archive per step: bounds the buffer whatever the file sizes. */
    static final int STEP = 256 * 1024;

    private final ArchiveEntries files;
    private final UnaryOperator<InputStream> track;
    private final Buffer buffer = new Buffer();
    private final TarArchiveOutputStream tar;
    private final byte[] step = new byte[STEP];
    private ArchiveEntries.Entry entry;
    private InputStream current;
    private long remaining;
    private boolean finished;

    /**
     * @param files the files, in archive order; closed with this stream
     * @param track wraps each file's stream (progress)
     */
    TarStream(ArchiveEntries files, UnaryOperator<InputStream> track) {
        this.files = files;
        this.track = track;
        this.tar = new TarArchiveOutputStream(buffer, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        // Ends: each step moves through a file or to the next one, and there are finitely many of both.
        while (buffer.available() == 0) {
            if (finished) {
                return -1;
            }
            step();
        }
        return buffer.take(b, off, len);
    }

    private void step() throws IOException {
        if (current == null) {
            entry = files.next();
            if (entry == null) {
                tar.finish();
                finished = true;
                return;
            }
            // Name, size and mtime only: what the cell keeps. The File constructor would also look up owner names and
            // add PAX headers for access and change times, which cost both sides time per file.
            TarArchiveEntry header = new TarArchiveEntry(entry.name());
            header.setSize(entry.size());
            header.setModTime(FileTime.fromMillis(entry.mtime()));
            tar.putArchiveEntry(header);
            current = track.apply(entry.content());
            remaining = entry.size();
        }
        int n = current.readNBytes(step, 0, (int) Math.min(STEP, remaining));
        if (n == 0 && remaining > 0) {
            throw new IOException(entry.name() + " shrank while it was read (" + remaining + " bytes short)");
        }
        tar.write(step, 0, n);
        remaining -= n;
        if (remaining == 0) {
            current.close();
            current = null;
            tar.closeArchiveEntry();
        }
    }

    @Override
    public void close() throws IOException {
        try (ArchiveEntries closing = files) {
            if (current != null) {
                current.close();
                current = null;
            }
        }
    }

    /** Bytes written by the archiver and not read yet. */
    private static final class Buffer extends OutputStream {
        private byte[] bytes = new byte[STEP + 64 * 1024];
        private int start;
        private int end;

        int available() {
            return end - start;
        }

        int take(byte[] b, int off, int len) {
            int n = Math.min(len, end - start);
            System.arraycopy(bytes, start, b, off, n);
            start += n;
            if (start == end) {
                start = 0;
                end = 0;
            }
            return n;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (end + len > bytes.length) {
                if (end - start + len <= bytes.length) {
                    System.arraycopy(bytes, start, bytes, 0, end - start);
                } else {
                    byte[] grown = new byte[Math.max(bytes.length * 2, end - start + len)];
                    System.arraycopy(bytes, start, grown, 0, end - start);
                    bytes = grown;
                }
                end -= start;
                start = 0;
            }
            System.arraycopy(b, off, bytes, end, len);
            end += len;
        }
    }
}
