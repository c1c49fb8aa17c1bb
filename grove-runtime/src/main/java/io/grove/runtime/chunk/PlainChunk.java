package io.grove.runtime.chunk;

import java.util.Arrays;

/**
 * One chunk of a file before encryption.
 *
 * <p>{@code buffer} is a fresh array holding the chunk's bytes in {@code [0, length)}, handed over without a copy:
 * the pipeline passes it to another thread to seal, so it must not alias a reader's buffer. The chunkers leave
 * {@link #SEAL_ROOM} spare bytes after the content, so that the chunk can be sealed in place
 * ({@code ChunkSealer.sealInPlace}): its ciphertext and tag then take the same array, and a chunk in flight costs
 * one array instead of two (for the collector, the difference between chunks that die young and full collections).
 * Treat the content as read-only.
 *
 * @param offset position of the first byte in the file
 * @param buffer the chunk's bytes, then possibly spare room
 * @param length bytes of content at the start of {@code buffer}
 */
public record PlainChunk(long offset, byte[] buffer, int length) {
    /** Spare bytes the chunkers leave after a chunk's content: the ChaCha20-Poly1305 tag's length. */
    public static final int SEAL_ROOM = 16;

    public PlainChunk {
        if (offset < 0) {
            throw new IllegalArgumentException("chunk offset must not be negative: " + offset);
        }
        if (buffer == null) {
            throw new IllegalArgumentException("chunk data is required");
        }
        if (length < 0 || length > buffer.length) {
            throw new IllegalArgumentException("chunk length " + length + " does not fit a " + buffer.length
                    + "-byte buffer");
        }
    }

    /** A chunk of exactly {@code data} (no spare room). */
    public PlainChunk(long offset, byte[] data) {
        this(offset, data, data == null ? 0 : data.length);
    }

    /** The chunk's content: the buffer itself when it has no spare room, else a copy of its first bytes. */
    public byte[] data() {
        return buffer.length == length ? buffer : Arrays.copyOf(buffer, length);
    }

    /** Whether the buffer has exactly {@link #SEAL_ROOM} spare bytes, so the chunk can be sealed in place. */
    public boolean sealableInPlace() {
        return buffer.length == length + SEAL_ROOM;
    }

    /** Position just past the chunk's last byte in the file. */
    public long end() {
        return offset + length;
    }

    /** Equal when offsets are equal and the contents are equal (spare room aside). */
    @Override
    public boolean equals(Object other) {
        return other instanceof PlainChunk that && offset == that.offset && length == that.length
                && Arrays.equals(buffer, 0, length, that.buffer, 0, that.length);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0; i < length; i++) {
            h = 31 * h + buffer[i];
        }
        return 31 * Long.hashCode(offset) + h;
    }

    /** Position and size only; the content may be megabytes and is private. */
    @Override
    public String toString() {
        return "PlainChunk[offset=" + offset + ", length=" + length + "]";
    }
}
