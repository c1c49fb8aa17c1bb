package io.grove.runtime.crypto;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * HKDF-SHA256 (RFC 5869), the one place Grove derives keys from other keys.
 *
 * <p>Bouncy Castle rather than the JDK because the JDK has no public HKDF before release 24; it is off the
 * bulk-data path (one short derivation per chunk costs microseconds), so its pure-Java speed does not matter.
 */
public final class Hkdf {
    /** The most RFC 5869 allows for SHA-256: 255 blocks of 32 bytes. */
    public static final int MAX_LENGTH = 255 * 32;

    private Hkdf() {
    }

    /**
     * Derives {@code length} bytes with a textual context label.
     *
     * @param ikm    input keying material, not empty
     * @param salt   salt; empty means the RFC's default of 32 zero bytes
     * @param info   context label, encoded as UTF-8, so that keys for different purposes never coincide
     * @param length number of bytes wanted, 1 to {@link #MAX_LENGTH}
     * @return a fresh array of {@code length} bytes
     */
    public static byte[] derive(byte[] ikm, byte[] salt, String info, int length) {
        if (info == null) {
            throw new IllegalArgumentException("HKDF info label is required");
        }
        return derive(ikm, salt, info.getBytes(StandardCharsets.UTF_8), length);
    }

    /**
     * Derives {@code length} bytes with a binary context, for labels that embed a digest.
     *
     * @param ikm    input keying material, not empty
     * @param salt   salt; empty means the RFC's default of 32 zero bytes
     * @param info   context bytes
     * @param length number of bytes wanted, 1 to {@link #MAX_LENGTH}
     * @return a fresh array of {@code length} bytes
     */
    public static byte[] derive(byte[] ikm, byte[] salt, byte[] info, int length) {
        if (ikm == null || ikm.length == 0) {
            throw new IllegalArgumentException("HKDF input keying material must not be empty");
        }
        if (salt == null || info == null) {
            throw new IllegalArgumentException("HKDF salt and info must not be null (use an empty array)");
        }
        if (length < 1 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("HKDF-SHA256 output length must be 1.." + MAX_LENGTH + ", not " + length);
        }
        HKDFBytesGenerator generator = new HKDFBytesGenerator(new SHA256Digest());
        // An empty salt is passed as null: RFC 5869 then uses HashLen zero bytes, which HMAC treats exactly
        // like an empty key anyway; null keeps Bouncy Castle away from a zero-length KeyParameter.
        generator.init(new HKDFParameters(ikm, salt.length == 0 ? null : salt, info));
        byte[] out = new byte[length];
        generator.generateBytes(out, 0, length);
        return out;
    }
}
