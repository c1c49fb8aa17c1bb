package io.grove.runtime.cli;

import io.grove.runtime.files.FolderEntries;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A folder's files as a tar stream, produced as it is read: each read writes the next piece of the archive (at most
 * {@link #STEP} bytes of file content at a time) into a buffer and returns from it. No second thread and no pipe:
 * the HTTP client pulls the archive at its own pace. (A {@code PipedInputStream} fed by a writer thread wakes its
 * reader only on flushes or once a second, and cost {@code grove put} of 10,000 small files half its time.)
 */
final class TarStream extends InputStream {
    /** File bytes written into the archive per step: bounds the buffer whatever the file sizes. */
    static final int STEP = 256 * 1024;

    private final Path folder;
    private final List<Path> files;
    private final UnaryOperator<InputStream> track;
    private final Buffer buffer = new Buffer();
    private final TarArchiveOutputStream tar;
    private final byte[] step = new byte[STEP];
    private int next;
    private InputStream current;
    private boolean finished;

    /**
     * @param folder the folder the names are relative to
     * @param files  its regular files, in archive order
     * @param track  wraps each file's stream (progress)
     */
    TarStream(Path folder, List<Path> files, UnaryOperator<InputStream> track) {
        this.folder = folder;
        this.files = List.copyOf(files);
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
            if (next == files.size()) {
                tar.finish();
                finished = true;
                return;
            }
            Path file = files.get(next++);
            // Name, size and mtime only: what the cell keeps. The File constructor would also look up owner names and
            // add PAX headers for access and change times, which cost both sides time per file.
            TarArchiveEntry entry = new TarArchiveEntry(FolderEntries.name(folder, file));
            entry.setSize(Files.size(file));
            entry.setModTime(Files.getLastModifiedTime(file));
            tar.putArchiveEntry(entry);
            current = track.apply(Files.newInputStream(file));
        }
        int n = current.readNBytes(step, 0, STEP);
        tar.write(step, 0, n);
        if (n < STEP) {
            current.close();
            current = null;
            tar.closeArchiveEntry();
        }
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            current.close();
            current = null;
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
