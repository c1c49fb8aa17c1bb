package io.grove.store.filesystem;

import com.sun.nio.file.ExtendedOpenOption;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Writes large chunk files with direct I/O ({@code O_DIRECT}): from an aligned buffer straight to the disk,
 * bypassing the page cache.
 *
 * <p>Why: on a virtual machine whose host takes back the guest's free pages (a balloon with free page reporting, as
 * by all signs on the machines Grove is measured on), every page the page cache fills is a fresh page the host must
 * back again. There, writing 1 GiB through the page cache cost 3.0–3.4 s of kernel time, the same GiB written
 * directly 0.1–0.4 s, at the disk's speed (~1.3 GB/s); see docs/benchmarks.md, "Session 12". A chunk is written
 * once and read rarely, so the cache gains little from holding it. The writer's thread waits for the disk instead
 * of spending the CPU, which replication and sealing need.
 *
 * <p>Direct writes must start at, and be a multiple of, the file system's block size, from a buffer aligned to
 * it. So the data is copied into pooled aligned buffers of {@link #BUFFER_BYTES}; the last block is padded with
 * zeros and the file then truncated to its length. Durability is unchanged: a direct write may still sit in the
 * disk's own cache, so the caller flushes the file as before (cheaply: only the metadata and the disk's cache).
 *
 * <p>Direct I/O is used only where the probe made when the store opens ({@link #probe}) succeeds: file systems
 * without it (tmpfs before Linux 6.6, some network file systems) refuse {@code O_DIRECT}, and then chunks go
 * through the page cache.
 */
final class DirectWrites {
    /** Chunks below this go through the page cache: a direct write waits for the disk, which small files feel. */
    static final long MIN_BYTES = 256 * 1024;
    static final int BUFFER_BYTES = 1 << 20;
    /**
     * Enough for the large puts a cell runs at once; beyond it buffers are allocated and dropped rather than waited
     * for, so that peers streaming slowly into their puts can never hold up the cell's own.
     */
    static final int POOLED_BUFFERS = 8;

    private final int alignment;
    private final BlockingQueue<ByteBuffer> buffers = new ArrayBlockingQueue<>(POOLED_BUFFERS);

    private DirectWrites(int alignment) {
        this.alignment = alignment;
    }

    /**
     * Direct writes into {@code folder}, if its file system takes them: a one-block file is written directly and
     * removed. Empty where it is refused, or where the block size is not a power of two up to the buffer size.
     */
    static Optional<DirectWrites> probe(Path folder) {
        Path probe = null;
        try {
            long blockSize = Files.getFileStore(folder).getBlockSize();
            if (blockSize <= 0 || blockSize > BUFFER_BYTES || Long.bitCount(blockSize) != 1) {
                return Optional.empty();
            }
            DirectWrites writes = new DirectWrites((int) blockSize);
            probe = Files.createTempFile(folder, FilesystemChunkStore.TEMP_PREFIX, ".direct");
            ByteBuffer block = writes.buffer();
            try (FileChannel out = FileChannel.open(probe, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)) {
                block.clear().limit((int) blockSize);
                while (block.hasRemaining()) {
                    out.write(block);
                }
            } finally {
                writes.release(block);
            }
            return Optional.of(writes);
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        } finally {
            if (probe != null) {
                try {
                    Files.deleteIfExists(probe);
                } catch (IOException e) {
                    // a temporary file: the next open removes it
                }
            }
        }
    }

    /** Whether a chunk of {@code length} bytes is written directly. */
    boolean suits(long length) {
        return length >= MIN_BYTES;
    }

    /**
     * Writes exactly {@code length} bytes of {@code data} into the (existing, empty) file {@code target}, directly.
     *
     * @param staging a heap array the stream is read into on its way to the aligned buffer (the store's pooled one)
     * @throws IllegalArgumentException if the stream ends early
     */
    void write(Path target, InputStream data, long length, boolean force, byte[] staging) throws IOException {
        ByteBuffer buffer = buffer();
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)) {
            long remaining = length;
            while (remaining > 0) {
                buffer.clear();
                int wanted = (int) Math.min(remaining, buffer.capacity());
                while (buffer.position() < wanted) {
                    int read = data.readNBytes(staging, 0, Math.min(staging.length, wanted - buffer.position()));
                    if (read == 0) {
                        throw new IllegalArgumentException("chunk stream ended after "
                                + (length - remaining + buffer.position()) + " of " + length + " bytes");
                    }
                    buffer.put(staging, 0, read);
                }
                remaining -= wanted;
                int padded = (wanted + alignment - 1) & -alignment; // only the last write is ever padded
                while (buffer.position() < padded) {
                    buffer.put((byte) 0);
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
            if (length % alignment != 0) {
                out.truncate(length);
            }
            if (force) {
                out.force(true);
            }
        } finally {
            release(buffer);
        }
    }

    private ByteBuffer buffer() {
        ByteBuffer buffer = buffers.poll();
        return buffer != null ? buffer : ByteBuffer.allocateDirect(BUFFER_BYTES + alignment).alignedSlice(alignment)
                .limit(BUFFER_BYTES).slice();
    }

    private void release(ByteBuffer buffer) {
        buffers.offer(buffer.clear());
    }
}
