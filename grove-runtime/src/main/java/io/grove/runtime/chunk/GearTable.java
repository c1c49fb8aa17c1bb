package io.grove.runtime.chunk;

import io.grove.runtime.crypto.Hkdf;
import java.nio.ByteBuffer;

/**
 * The 256 random 64-bit values of FastCDC's gear hash, derived from the owner's master key.
 *
 * <p>With the public table every FastCDC user shares, chunk boundaries — and so the sequence of chunk sizes
 * visible to a store or a network observer — would fingerprint known files. A keyed table makes the
 * boundaries unpredictable to anyone without the master key, while staying deterministic for the owner so
 * that deduplication across files and versions still works.
 */
public final class GearTable {
    /** Number of entries: one per byte value. */
    public static final int SIZE = 256;

    private static final String INFO = "grove gear v1";
    private static final byte[] NO_SALT = new byte[0];

    private final long[] values;

    private GearTable(long[] values) {
        this.values = values;
    }

    /**
     * Derives the table as HKDF-SHA256(master key, info "grove gear v1") → 2048 bytes read as 256 big-endian
     * longs.
     *
     * @param masterKey the owner's 32-byte master key
     */
    public static GearTable derive(byte[] masterKey) {
        if (masterKey == null || masterKey.length != 32) {
            throw new IllegalArgumentException("a master key has 32 bytes");
        }
        ByteBuffer bytes = ByteBuffer.wrap(Hkdf.derive(masterKey, NO_SALT, INFO, SIZE * Long.BYTES));
        long[] values = new long[SIZE];
        for (int i = 0; i < SIZE; i++) {
            values[i] = bytes.getLong();
        }
        return new GearTable(values);
    }

    /** The entry for byte value {@code index} (0–255). */
    public long value(int index) {
        if (index < 0 || index >= SIZE) {
            throw new IllegalArgumentException("gear table index must be 0..255, not " + index);
        }
        return values[index];
    }

    /** The backing array itself, for the chunking loop only; never exposed outside the package. */
    long[] values() {
        return values;
    }
}
