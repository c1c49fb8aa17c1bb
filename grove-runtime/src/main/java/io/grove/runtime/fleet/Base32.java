package io.grove.runtime.fleet;

/**
 * RFC 4648 base32, upper case, unpadded ({@link io.grove.api.Base32} encodes); decoding accepts exactly the one
 * spelling the encoder writes, and reports errors as {@link FleetFormatException}.
 */
final class Base32 {
    private static final String ALPHABET = io.grove.api.Base32.ALPHABET;

    private Base32() {
    }

    static String encode(byte[] bytes) {
        return io.grove.api.Base32.encode(bytes);
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
