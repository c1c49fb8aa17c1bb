package io.grove.runtime.bounty;

import java.math.BigInteger;

/**
 * The unit of the bounty ledger. One credit is one GiB stored for one day (2^30 × 86,400 byte-seconds); amounts are
 * whole micro-credits (about 88 MiB·s each), so that sums of a long history stay exact integers.
 */
public final class Credits {
    /** Byte-seconds in one credit: one GiB for one day. */
    public static final long BYTE_SECONDS_PER_CREDIT = (1L << 30) * 86_400;
    /** Micro-credits in one credit. */
    public static final long MICROS_PER_CREDIT = 1_000_000;
    /** The unit name the REST summary states. */
    public static final String UNIT = "microcredit";

    private static final BigInteger PER_CREDIT = BigInteger.valueOf(BYTE_SECONDS_PER_CREDIT);
    private static final BigInteger MICROS = BigInteger.valueOf(MICROS_PER_CREDIT);

    private Credits() {
    }

    /** The whole micro-credits that {@code byteSeconds} earn, rounded down. */
    public static long micros(long byteSeconds) {
        if (byteSeconds < 0) {
            throw new IllegalArgumentException("byte-seconds are not negative");
        }
        return BigInteger.valueOf(byteSeconds).multiply(MICROS).divide(PER_CREDIT).longValueExact();
    }
}
