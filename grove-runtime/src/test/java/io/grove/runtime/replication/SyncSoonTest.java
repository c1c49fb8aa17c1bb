package io.grove.runtime.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * When a round asked for after a commit starts: 20 ms after it is asked for (a lone put), and never sooner than
 * 500 ms after the last such round ended (a burst of commits, or one that came while a round ran).
 */
class SyncSoonTest {
    private static long ms(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }

    @Test
    void aRoundDueLongAfterTheLastRunsAtOnce() {
        assertEquals(Duration.ZERO, Replicator.spacingLeft(ms(10_000)));
        assertEquals(Duration.ZERO, Replicator.spacingLeft(ms(500)));
    }

    @Test
    void aRoundDueSoonAfterTheLastWaitsUntilItsSpacingHasPassed() {
        assertEquals(Duration.ofMillis(500), Replicator.spacingLeft(0));
        assertEquals(Duration.ofMillis(100), Replicator.spacingLeft(ms(400)));
        assertEquals(Duration.ofMillis(10), Replicator.spacingLeft(ms(490)));
    }
}
