package io.grove.runtime.fleet;

/** RFC 4648 base32, upper case, unpadded; decoding accepts exactly the one spelling {@link #encode} writes. */
final class Base32 {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private Base32() {
    }

    static String encode(byte[] bytes) {
        StringBuilder out = new StringBuilder((bytes.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    /** @throws FleetFormatException on a character outside the alphabet, an impossible length or non-zero spare bits */
    static byte[] decode(String text) {
        byte[] out = new byte[text.length() * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            int v = ALPHABET.indexOf(text.charAt(i));
            if (v < 0) {
                throw new FleetFormatException("invalid character '" + text.charAt(i) + "' at " + i + " (base32 is A-Z and 2-7)");
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out[n++] = (byte) (buffer >> (bits - 8));
                bits -= 8;
            }
            buffer &= (1 << bits) - 1;
        }
        // Leftover bits must be fewer than one character's worth and zero; otherwise two texts would decode alike.
        if (bits >= 5 || buffer != 0) {
            throw new FleetFormatException("the code has been truncated or mistyped (base32 does not end cleanly)");
        }
        return out;
    }
}
