package io.grove.runtime.routes;

import io.grove.api.transport.Route;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One candidate route to a peer with what is known about it, as {@link RouteBook#ranked} orders them.
 *
 * @param route               the route
 * @param latencyMs           the median round trip of the last latency probe, in milliseconds
 * @param throughputMBps      the last 256 KiB echo's throughput, in MB/s (10^6 bytes per second)
 * @param score               {@code latency_ms − throughput_MBps × 0.1} (lower is better; throughput counts as 0
 *                            until measured); empty while the latency is unknown
 * @param measuredAt          when the latency was last measured
 * @param consecutiveFailures failed attempts (probes and calls) since the last success
 * @param up                  the last attempt succeeded, recently enough (within three probe intervals)
 * @param throughputAt        when the throughput was last measured
 */
public record RankedRoute(Route route, OptionalDouble latencyMs, OptionalDouble throughputMBps, OptionalDouble score,
                          Optional<Instant> measuredAt, int consecutiveFailures, boolean up,
                          Optional<Instant> throughputAt) {
    public RankedRoute {
        if (route == null || latencyMs == null || throughputMBps == null || score == null || measuredAt == null
                || throughputAt == null || consecutiveFailures < 0) {
            throw new IllegalArgumentException("a ranked route needs a route, optional figures and failures >= 0");
        }
    }

    /** The ranking formula of docs/fleet.md: lower is better. */
    public static double score(double latencyMs, double throughputMBps) {
        return latencyMs - throughputMBps * 0.1;
    }
}
