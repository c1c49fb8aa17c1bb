package io.grove.api;

import java.util.HexFormat;

/**
 * The name of a stored chunk: the SHA-256 of its ciphertext, as 64 lowercase hexadecimal characters.
 *
 * <p>Because the name is the hash of the stored bytes, anyone holding a chunk can check it without a key,
 * and the same ciphertext is never stored twice.
 *
 * @param hex 64 lowercase hexadecimal characters
 */
public record ChunkId(String hex) implements Comparable<ChunkId> {
    /** Length of {@link #hex()}. */
    public static final int HEX_LENGTH = 64;

    public ChunkId {
        if (!isValid(hex)) {
            throw new IllegalArgumentException("chunk id must be 64 lowercase hexadecimal characters");
        }
    }

    /** Parses a chunk id, rejecting anything that is not 64 lowercase hex characters. */
    public static ChunkId of(String hex) {
        return new ChunkId(hex);
    }

    /** The id of the given 32-byte SHA-256 digest. */
    public static ChunkId ofDigest(byte[] sha256) {
        if (sha256.length != 32) {
            throw new IllegalArgumentException("a SHA-256 digest has 32 bytes, not " + sha256.length);
        }
        return new ChunkId(HexFormat.of().formatHex(sha256));
    }

    /** Whether {@code text} is a well-formed chunk id; never throws. */
    public static boolean isValid(String text) {
        if (text == null || text.length() != HEX_LENGTH) {
            return false;
        }
        for (int i = 0; i < HEX_LENGTH; i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** The 32 digest bytes. */
    public byte[] digest() {
        return HexFormat.of().parseHex(hex);
    }

    /** The first two hex characters, used to fan chunks out over folders. */
    public String prefix() {
        return hex.substring(0, 2);
    }

    @Override
    public int compareTo(ChunkId other) {
        return hex.compareTo(other.hex);
    }

    @Override
    public String toString() {
        return hex;
    }
}
