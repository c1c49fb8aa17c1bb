package io.grove.runtime.audit;

import io.grove.api.store.ChunkStore;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The answer to a storage challenge, {@code SHA-256(nonce ‖ chunk)}: what a holder computes over the chunk it
 * stores, and what the owner computed in advance. The nonce comes first so that no digest can be precomputed
 * without the whole chunk.
 */
public final class AuditAnswer {
    private static final int SLICE = 64 * 1024;

    private AuditAnswer() {
    }

    /** The lower-case hex answer for {@code nonce} over the chunk bytes {@code chunk}. */
    public static String of(byte[] nonce, byte[] chunk) {
        MessageDigest sha = start(nonce);
        for (int off = 0; off < chunk.length; off += SLICE) {
            sha.update(chunk, off, Math.min(SLICE, chunk.length - off));
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * The answer for {@code nonce} over the chunk read from {@code chunk} to its end (not closed here).
     *
     * @throws IOException when reading fails or the stream is longer than {@link ChunkStore#MAX_CHUNK_BYTES}
     */
    public static String of(byte[] nonce, InputStream chunk) throws IOException {
        MessageDigest sha = start(nonce);
        byte[] buffer = new byte[SLICE];
        long total = 0;
        for (int n; (n = chunk.read(buffer)) > 0; ) {
            total += n;
            if (total > ChunkStore.MAX_CHUNK_BYTES) {
                throw new IOException("a chunk is at most " + ChunkStore.MAX_CHUNK_BYTES + " bytes");
            }
            sha.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest start(byte[] nonce) {
        if (nonce.length != Challenge.NONCE_BYTES) {
            throw new IllegalArgumentException("a nonce has " + Challenge.NONCE_BYTES + " bytes");
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(nonce);
            return sha;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
