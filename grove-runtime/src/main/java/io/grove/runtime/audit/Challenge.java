package io.grove.runtime.audit;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One storage challenge the owner of a chunk keeps for one copy: a random nonce and the digest a holder of the
 * chunk must answer, {@code SHA-256(nonce ‖ chunk)}. Computed while the owner still has the chunk's bytes (when it
 * places the copy), so the chunk need not stay local to be audited later.
 *
 * @param nonce    32 random bytes, lower-case hex
 * @param expected the expected answer, lower-case hex SHA-256
 */
public record Challenge(String nonce, String expected) {
    /** Bytes of a nonce. */
    public static final int NONCE_BYTES = 32;
    /** The most challenges kept per copy. */
    public static final int MAX_PER_COPY = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    public Challenge {
        if (!isHex(nonce, 2 * NONCE_BYTES) || !isHex(expected, 64)) {
            throw new IllegalArgumentException("a challenge is a 32-byte nonce and a SHA-256 digest, both in "
                    + "lower-case hex");
        }
    }

    /** {@code n} fresh challenges ({@code 1 …} {@value #MAX_PER_COPY}) for {@code chunk}. */
    public static List<Challenge> create(byte[] chunk, int n) {
        return create(chunk, n, RANDOM);
    }

    /** {@code n} fresh challenges for {@code chunk}, nonces from {@code random}. */
    public static List<Challenge> create(byte[] chunk, int n, SecureRandom random) {
        if (n < 1 || n > MAX_PER_COPY) {
            throw new IllegalArgumentException("between 1 and " + MAX_PER_COPY + " challenges per copy, not " + n);
        }
        List<Challenge> challenges = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            challenges.add(new Challenge(HexFormat.of().formatHex(nonce), AuditAnswer.of(nonce, chunk)));
        }
        return List.copyOf(challenges);
    }

    static boolean isHex(String text, int length) {
        if (text == null || text.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
