package io.grove.runtime.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When a round asked for after a commit starts: at once for a lone put, spaced for a burst of commits. */
class SyncSoonTest {
    private static long ms(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }

    @Test
    void aRoundAskedForLongAfterTheLastStartsAtOnce() {
        assertEquals(Duration.ofMillis(20), Replicator.soonDelay(ms(10_000)));
        assertEquals(Duration.ofMillis(20), Replicator.soonDelay(ms(500)));
    }

    @Test
    void roundsAskedForBackToBackAreSpacedFromTheLastOnesEnd() {
        assertEquals(Duration.ofMillis(500), Replicator.soonDelay(0));
        assertEquals(Duration.ofMillis(100), Replicator.soonDelay(ms(400)));
        assertEquals(Duration.ofMillis(20), Replicator.soonDelay(ms(490)));
    }
}
