package io.grove.runtime.routes;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What is known about one route, replaced as a whole on every outcome so readers never see half an update.
 *
 * @param latencyMs      median latency of the last successful latency probe
 * @param throughputMBps throughput of the last successful 256 KiB echo
 * @param measuredAt     when the latency was measured
 * @param throughputAt   when the throughput was measured
 * @param failures       consecutive failed attempts
 * @param failedAt       when the last attempt failed
 * @param okAt           when the last attempt succeeded
 */
record RouteState(OptionalDouble latencyMs, OptionalDouble throughputMBps, Optional<Instant> measuredAt,
                  Optional<Instant> throughputAt, int failures, Optional<Instant> failedAt, Optional<Instant> okAt) {
    /** A route never tried. */
    static final RouteState UNKNOWN = new RouteState(OptionalDouble.empty(), OptionalDouble.empty(), Optional.empty(),
            Optional.empty(), 0, Optional.empty(), Optional.empty());
    /** The first back-off after a failure; each further failure doubles it up to {@link #MAX_BACK_OFF}. */
    static final Duration FIRST_BACK_OFF = Duration.ofSeconds(15);
    static final Duration MAX_BACK_OFF = Duration.ofMinutes(30);
    private static final int MAX_FAILURES = 1_000_000;

    RouteState {
        if (failures < 0 || failures > MAX_FAILURES) {
            throw new IllegalArgumentException("failures out of range: " + failures);
        }
    }

    /** A successful latency probe. */
    RouteState measured(double latency, Instant at) {
        return new RouteState(OptionalDouble.of(latency), throughputMBps, Optional.of(at), throughputAt, 0,
                failedAt, Optional.of(at));
    }

    /** A successful throughput echo. */
    RouteState withThroughput(double mbps, Instant at) {
        return new RouteState(latencyMs, OptionalDouble.of(mbps), measuredAt, Optional.of(at), 0, failedAt,
                Optional.of(at));
    }

    /** A successful call. */
    RouteState succeeded(Instant at) {
        return new RouteState(latencyMs, throughputMBps, measuredAt, throughputAt, 0, failedAt, Optional.of(at));
    }

    /** A failed probe or call. */
    RouteState failed(Instant at) {
        return new RouteState(latencyMs, throughputMBps, measuredAt, throughputAt,
                Math.min(failures + 1, MAX_FAILURES), Optional.of(at), okAt);
    }

    /** When the route may be tried again first: the last failure plus 15 s × 2^(failures − 1), at most 30 min. */
    Optional<Instant> retryAt() {
        if (failures == 0 || failedAt.isEmpty()) {
            return Optional.empty();
        }
        Duration backOff = FIRST_BACK_OFF.multipliedBy(1L << Math.min(failures - 1, 7));
        return Optional.of(failedAt.get().plus(backOff.compareTo(MAX_BACK_OFF) > 0 ? MAX_BACK_OFF : backOff));
    }

    /** Failed recently: ranked last and skipped by probes until {@link #retryAt()}. */
    boolean backingOff(Instant now) {
        return retryAt().filter(now::isBefore).isPresent();
    }

    /** The last attempt succeeded, no longer than {@code staleAfter} ago. */
    boolean up(Instant now, Duration staleAfter) {
        return failures == 0 && okAt.filter(ok -> !ok.plus(staleAfter).isBefore(now)).isPresent();
    }

    /** Whether the throughput figure is missing or older than {@code interval}. */
    boolean throughputDue(Instant now, Duration interval) {
        return throughputAt.map(at -> !at.plus(interval).isAfter(now)).orElse(true);
    }

    /** The score of the ranking formula, once the latency is known. */
    OptionalDouble score() {
        return latencyMs.isPresent()
                ? OptionalDouble.of(RankedRoute.score(latencyMs.getAsDouble(), throughputMBps.orElse(0)))
                : OptionalDouble.empty();
    }

    /** The latest moment anything happened on the route, for pruning. */
    Optional<Instant> lastActivity() {
        return java.util.stream.Stream.of(measuredAt, throughputAt, failedAt, okAt)
                .flatMap(Optional::stream).max(Instant::compareTo);
    }
}
