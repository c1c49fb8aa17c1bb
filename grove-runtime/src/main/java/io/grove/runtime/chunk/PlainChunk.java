package io.grove.runtime.chunk;

import java.util.Arrays;

/**
 * One chunk of a file before encryption.
 *
 * <p>{@code data} is a fresh array holding exactly the chunk's bytes, handed over without a copy: the
 * pipeline passes it to another thread to seal, so it must not alias a reader's buffer. Treat it as
 * read-only.
 *
 * @param offset position of the first byte in the file
 * @param data   the chunk's bytes
 */
public record PlainChunk(long offset, byte[] data) {
    public PlainChunk {
        if (offset < 0) {
            throw new IllegalArgumentException("chunk offset must not be negative: " + offset);
        }
        if (data == null) {
            throw new IllegalArgumentException("chunk data is required");
        }
    }

    /** Number of bytes in the chunk. */
    public int length() {
        return data.length;
    }

    /** Position just past the chunk's last byte in the file. */
    public long end() {
        return offset + data.length;
    }

    /** Equal when offsets are equal and the bytes are equal. */
    @Override
    public boolean equals(Object other) {
        return other instanceof PlainChunk that && offset == that.offset && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(offset) + Arrays.hashCode(data);
    }

    /** Position and size only; the content may be megabytes and is private. */
    @Override
    public String toString() {
        return "PlainChunk[offset=" + offset + ", length=" + data.length + "]";
    }
}
