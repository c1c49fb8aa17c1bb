package io.grove.api;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The identity of a cell: the SHA-256 of its Ed25519 public key in base32 (RFC 4648 alphabet, no padding),
 * with a check character after each 13-character group, so a mistyped id is caught before it is used.
 *
 * <p>The canonical form is 56 upper-case characters (4 groups of 13 data characters, each followed by a
 * Luhn mod 32 check character). {@link #grouped()} shows it to humans as 8 groups of 7 separated by dashes;
 * {@link #parse(String)} accepts either form, in any case, with or without dashes or spaces.
 *
 * @param value the 56-character canonical form
 */
public record CellId(String value) implements Comparable<CellId> {
    /** The base32 alphabet of RFC 4648. */
    static final String ALPHABET = Base32.ALPHABET;
    /** Length of the canonical form. */
    public static final int LENGTH = 56;
    private static final int GROUP = 13;

    public CellId {
        if (value == null || value.length() != LENGTH) {
            throw new IllegalArgumentException("cell id must have " + LENGTH + " characters");
        }
        for (int g = 0; g < 4; g++) {
            String group = value.substring(g * (GROUP + 1), g * (GROUP + 1) + GROUP);
            for (int i = 0; i < GROUP; i++) {
                if (ALPHABET.indexOf(group.charAt(i)) < 0) {
                    throw new IllegalArgumentException("cell id may only contain A-Z and 2-7");
                }
            }
            if (value.charAt(g * (GROUP + 1) + GROUP) != checkCharacter(group)) {
                throw new IllegalArgumentException("cell id has a wrong check character (typo?) in group " + (g + 1));
            }
        }
    }

    /** Parses a cell id as typed by a human: case-insensitive, dashes and spaces ignored. */
    public static CellId parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("cell id is missing");
        }
        StringBuilder clean = new StringBuilder(LENGTH);
        for (int i = 0; i < text.length() && clean.length() <= LENGTH; i++) {
            char c = text.charAt(i);
            if (c != '-' && c != ' ') {
                clean.append(Character.toUpperCase(c));
            }
        }
        return new CellId(clean.toString());
    }

    /** The cell id of an Ed25519 public key given as its 32 raw bytes. */
    public static CellId ofPublicKey(byte[] ed25519PublicKey) {
        if (ed25519PublicKey.length != 32) {
            throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, not " + ed25519PublicKey.length);
        }
        String data = Base32.encode(sha256(ed25519PublicKey));
        StringBuilder id = new StringBuilder(LENGTH);
        for (int g = 0; g < 4; g++) {
            String group = data.substring(g * GROUP, (g + 1) * GROUP);
            id.append(group).append(checkCharacter(group));
        }
        return new CellId(id.toString());
    }

    /** The form shown to humans: {@code XXXXXXX-XXXXXXX-…}, 8 groups of 7. */
    public String grouped() {
        StringBuilder out = new StringBuilder(LENGTH + 7);
        for (int i = 0; i < LENGTH; i += 7) {
            if (i > 0) {
                out.append('-');
            }
            out.append(value, i, i + 7);
        }
        return out.toString();
    }

    /** A short form for logs and lists: the first 7 characters. */
    public String shortForm() {
        return value.substring(0, 7);
    }

    @Override
    public int compareTo(CellId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }

    /** Luhn mod N over the base32 alphabet (the generalisation of the Luhn algorithm to base N). */
    static char checkCharacter(String group) {
        int n = ALPHABET.length();
        int factor = 2;
        int sum = 0;
        for (int i = group.length() - 1; i >= 0; i--) {
            int addend = factor * ALPHABET.indexOf(group.charAt(i));
            factor = factor == 2 ? 1 : 2;
            sum += addend / n + addend % n;
        }
        int remainder = sum % n;
        return ALPHABET.charAt((n - remainder) % n);
    }


    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
