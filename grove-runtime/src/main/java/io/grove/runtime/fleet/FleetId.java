package io.grove.runtime.fleet;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The identity of a fleet: 128 random bits chosen by its founding cell, as 32 lower-case hex characters. It never
 * changes, so a roster from another fleet can never be mistaken for a newer version of ours.
 *
 * @param hex 32 lower-case hex characters
 */
public record FleetId(String hex) {
    /** Bytes of a fleet id. */
    public static final int BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    public FleetId {
        if (hex == null || hex.length() != BYTES * 2) {
            throw new IllegalArgumentException("a fleet id has " + BYTES * 2 + " hex characters");
        }
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                throw new IllegalArgumentException("a fleet id is lower-case hex");
            }
        }
    }

    /** A new random fleet id. */
    public static FleetId random() {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return of(bytes);
    }

    /** The fleet id of 16 raw bytes. */
    public static FleetId of(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("a fleet id has " + BYTES + " bytes");
        }
        return new FleetId(HexFormat.of().formatHex(bytes));
    }

    /** The 16 raw bytes. */
    public byte[] bytes() {
        return HexFormat.of().parseHex(hex);
    }

    @Override
    public String toString() {
        return hex;
    }
}
