package io.grove.runtime.routes;

import io.grove.runtime.config.ConfigException;
import io.grove.runtime.config.ConfigNode;

import java.time.Duration;

/**
 * How often and how hard the {@link RouteBook} measures routes, from the {@code routes} section of the configuration.
 *
 * @param probeInterval       {@code routes.probe-interval}: time between two latency rounds over every member
 *                            (default 60 s, 5 s … 1 d)
 * @param throughputInterval  {@code routes.throughput-interval}: how old a route's throughput figure may get before
 *                            the next round measures it again with a 256 KiB echo (default 6 h, 1 min … 30 d)
 * @param callTimeout         {@code routes.call-timeout}: the longest one probe ping may take before the route counts
 *                            as failed (default 10 s, 100 ms … 5 min)
 * @param maxProbeConcurrency {@code routes.max-probe-concurrency}: how many peers one round probes at once
 *                            (default 4, 1 … 64)
 */
public record RouteSettings(Duration probeInterval, Duration throughputInterval, Duration callTimeout,
                            int maxProbeConcurrency) {
    private static final Duration MIN_PROBE = Duration.ofSeconds(5);
    private static final Duration MAX_PROBE = Duration.ofDays(1);
    private static final Duration MIN_THROUGHPUT = Duration.ofMinutes(1);
    private static final Duration MAX_THROUGHPUT = Duration.ofDays(30);
    private static final Duration MIN_TIMEOUT = Duration.ofMillis(100);
    private static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);
    private static final int MAX_CONCURRENCY = 64;

    public RouteSettings {
        check("probe-interval", probeInterval, MIN_PROBE, MAX_PROBE);
        check("throughput-interval", throughputInterval, MIN_THROUGHPUT, MAX_THROUGHPUT);
        check("call-timeout", callTimeout, MIN_TIMEOUT, MAX_TIMEOUT);
        if (maxProbeConcurrency < 1 || maxProbeConcurrency > MAX_CONCURRENCY) {
            throw new IllegalArgumentException("routes.max-probe-concurrency must be 1 to " + MAX_CONCURRENCY
                    + ", not " + maxProbeConcurrency);
        }
    }

    /** 60 s probes, 6 h throughput, 10 s per probe ping, 4 peers at once. */
    public static RouteSettings defaults() {
        return new RouteSettings(Duration.ofSeconds(60), Duration.ofHours(6), Duration.ofSeconds(10), 4);
    }

    /**
     * Reads the settings under {@code routes} ({@code probe-interval}, {@code throughput-interval},
     * {@code call-timeout}, {@code max-probe-concurrency}); absent keys take the defaults.
     *
     * @throws ConfigException naming the key when a value is malformed or out of range
     */
    public static RouteSettings from(ConfigNode routesNode) {
        RouteSettings defaults = defaults();
        try {
            return new RouteSettings(
                    routesNode.duration("probe-interval").orElse(defaults.probeInterval()),
                    routesNode.duration("throughput-interval").orElse(defaults.throughputInterval()),
                    routesNode.duration("call-timeout").orElse(defaults.callTimeout()),
                    routesNode.integer("max-probe-concurrency").orElse(defaults.maxProbeConcurrency()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("configuration: " + e.getMessage(), e);
        }
    }

    private static void check(String key, Duration value, Duration min, Duration max) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException("routes." + key + " must be between " + min + " and " + max
                    + ", not " + value);
        }
    }
}
