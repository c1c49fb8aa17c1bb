package io.grove.runtime.erasure;

/**
 * Arithmetic in GF(2^8) with the field polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D) and generator 2, the field of
 * most storage Reed-Solomon codes. Multiplication of the hot loop goes through {@link #row(int)}: the 256 products
 * of one coefficient, so that a shard byte costs one table load.
 */
final class Gf256 {
    private static final int POLYNOMIAL = 0x11D;
    private static final int[] LOG = new int[256];
    private static final int[] EXP = new int[510];
    private static final byte[][] PRODUCTS = new byte[256][256];

    static {
        int x = 1;
        for (int i = 0; i < 255; i++) {
            EXP[i] = x;
            EXP[i + 255] = x;
            LOG[x] = i;
            x <<= 1;
            if (x >= 256) {
                x ^= POLYNOMIAL;
            }
        }
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                PRODUCTS[a][b] = (byte) slowMultiply(a, b);
            }
        }
    }

    private Gf256() {
    }

    private static int slowMultiply(int a, int b) {
        return a == 0 || b == 0 ? 0 : EXP[LOG[a] + LOG[b]];
    }

    /** {@code a · b}. */
    static int multiply(int a, int b) {
        return PRODUCTS[a][b] & 0xff;
    }

    /** {@code a / b}; {@code b} must not be 0. */
    static int divide(int a, int b) {
        if (b == 0) {
            throw new ArithmeticException("division by zero in GF(2^8)");
        }
        return a == 0 ? 0 : EXP[LOG[a] - LOG[b] + 255];
    }

    /** {@code a^n} for {@code n ≥ 0} ({@code 0^0 = 1}). */
    static int power(int a, int n) {
        if (n == 0) {
            return 1;
        }
        return a == 0 ? 0 : EXP[(int) ((long) LOG[a] * n % 255)];
    }

    /** The products {@code c · b} for every byte {@code b}, indexed by {@code b & 0xff}. Shared: never modify. */
    static byte[] row(int c) {
        return PRODUCTS[c];
    }
}
