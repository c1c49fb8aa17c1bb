package io.grove.runtime.stats;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TransferMeterTest {
    /** A clock the test moves. */
    private static final class StepClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    @Test
    void countsPerTenSecondBucketOverTheLastHour() {
        StepClock clock = new StepClock();
        TransferMeter meter = new TransferMeter(clock);
        meter.record(TransferMeter.Kind.UPLOADED, 100);
        meter.record(TransferMeter.Kind.UPLOADED, 50);
        meter.record(TransferMeter.Kind.PEER_OUT, 7);
        meter.record(TransferMeter.Kind.DOWNLOADED, 0);
        meter.record(TransferMeter.Kind.DOWNLOADED, -5);
        clock.advance(Duration.ofSeconds(10));
        meter.record(TransferMeter.Kind.PEER_IN, 3);

        List<TransferMeter.Bucket> hour = meter.lastHour();
        assertThat(hour).hasSize(360);
        TransferMeter.Bucket previous = hour.get(358);
        TransferMeter.Bucket current = hour.get(359);
        assertThat(current.start()).isEqualTo(clock.instant());
        assertThat(previous.start()).isEqualTo(clock.instant().minusSeconds(10));
        assertThat(previous).isEqualTo(new TransferMeter.Bucket(previous.start(), 150, 0, 0, 7));
        assertThat(current).isEqualTo(new TransferMeter.Bucket(current.start(), 0, 0, 3, 0));
        assertThat(hour.subList(0, 358)).allMatch(b -> b.uploaded() + b.downloaded() + b.peerIn() + b.peerOut() == 0);
    }

    @Test
    void anHourLaterTheRingHasForgottenAndReusesItsBuckets() {
        StepClock clock = new StepClock();
        TransferMeter meter = new TransferMeter(clock);
        meter.record(TransferMeter.Kind.UPLOADED, 1000);
        clock.advance(Duration.ofHours(1));
        assertThat(meter.lastHour()).allMatch(b -> b.uploaded() == 0);
        meter.record(TransferMeter.Kind.UPLOADED, 1); // the same slot, a new period: the old count is cleared
        assertThat(meter.lastHour().get(359).uploaded()).isEqualTo(1);
        assertThat(meter.lastHour().stream().mapToLong(TransferMeter.Bucket::uploaded).sum()).isEqualTo(1);
    }

    @Test
    void concurrentRecordsInOneBucketAreAllCounted() throws Exception {
        StepClock clock = new StepClock();
        TransferMeter meter = new TransferMeter(clock);
        meter.record(TransferMeter.Kind.PEER_IN, 1); // the bucket is claimed; later records only add
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int t = 0; t < 4; t++) {
                pool.execute(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        meter.record(TransferMeter.Kind.PEER_IN, 2);
                    }
                });
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(meter.lastHour().get(359).peerIn()).isEqualTo(1 + 4 * 10_000 * 2);
    }
}
