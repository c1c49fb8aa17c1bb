package io.grove.runtime.manifest;

import java.time.Clock;

/**
 * A hybrid logical clock (Kulkarni et al., "Logical Physical Clocks", 2014): wall-clock milliseconds in the high
 * 48 bits and a counter in the low 16, never going backwards and always ahead of every timestamp seen from peers,
 * so versions order by causality when clocks drift.
 */
public final class HybridClock {
    private static final int COUNTER_BITS = 16;
    private final Clock clock;
    private long last;

    public HybridClock(Clock clock, long lastIssued) {
        this.clock = clock;
        this.last = lastIssued;
    }

    /** A new timestamp, greater than every one issued or observed before. */
    public synchronized long now() {
        long physical = clock.millis() << COUNTER_BITS;
        last = Math.max(physical, last + 1);
        return last;
    }

    /** Takes a timestamp seen in a peer's manifest into account. */
    public synchronized void observe(long remote) {
        last = Math.max(last, remote);
    }

    /** The wall-clock milliseconds of a timestamp. */
    public static long millis(long hlc) {
        return hlc >>> COUNTER_BITS;
    }
}
