package io.grove.runtime.replication;

import io.grove.runtime.config.ConfigException;
import io.grove.runtime.config.ConfigNode;
import io.grove.runtime.fleet.RosterParameters;
import io.grove.runtime.gc.GarbageCollector;

import java.time.Duration;
import java.util.Optional;

/**
 * Replication settings: the fleet's roster parameters, overridden per cell by configuration
 * ({@code replication.factor}, {@code sync.interval}, {@code healing.grace-period}) and the cell's own limits.
 *
 * @param factor        copies wanted of every chunk, this cell's included; empty: the roster's
 * @param interval      time between sync rounds; empty: the roster's
 * @param grace         how long a peer may be unseen before its copies stop counting; empty: the roster's
 * @param maxConcurrent transfers at once while replicating and healing
 * @param maxBytesPerRound bytes pushed per round at most, so one lost cell cannot start a storm
 * @param releaseAfter  how long a copy must stay above the factor before it is released (hysteresis)
 * @param inventoryPages inventory pages (10,000 ids each) read from each peer per round
 * @param folders       per-folder factor, erasure coding and offload ({@code replication.folders})
 * @param orphanGrace   how long a chunk no version references must stay so before other cells' copies of it are
 *                      released ({@code gc.grace-period}, as for local garbage)
 */
public record ReplicationSettings(Optional<Integer> factor, Optional<Duration> interval, Optional<Duration> grace,
                                  int maxConcurrent, long maxBytesPerRound, Optional<Duration> releaseAfter,
                                  int inventoryPages, FolderPolicies folders, Duration orphanGrace) {
    public ReplicationSettings {
        if (folders == null) {
            throw new IllegalArgumentException("folder settings are required (FolderPolicies.NONE for none)");
        }
        if (orphanGrace == null || orphanGrace.isNegative()) {
            throw new IllegalArgumentException("the orphan grace period must be zero or more");
        }
    }

    /** Reads the settings from the configuration root. */
    public static ReplicationSettings from(ConfigNode root) {
        Optional<Integer> factor = root.integer("replication.factor");
        factor.ifPresent(f -> {
            if (f < 1 || f > 16) {
                throw new ConfigException("configuration key 'replication.factor' must be 1..16, not " + f);
            }
        });
        Optional<Duration> interval = root.duration("sync.interval");
        interval.ifPresent(d -> requireBetween("sync.interval", d, Duration.ofMillis(200), Duration.ofDays(1)));
        Optional<Duration> grace = root.duration("healing.grace-period");
        grace.ifPresent(d -> requireBetween("healing.grace-period", d, Duration.ofMillis(200), Duration.ofDays(30)));
        int concurrent = root.integer("healing.max-concurrent", 4, 1, 64);
        long bytes = root.size("healing.max-bytes-per-round", 4L << 30);
        if (bytes < 1 << 20) {
            throw new ConfigException("configuration key 'healing.max-bytes-per-round' must be at least 1MiB");
        }
        Optional<Duration> release = root.duration("healing.release-after");
        release.ifPresent(d -> requireBetween("healing.release-after", d, Duration.ZERO, Duration.ofDays(30)));
        int pages = root.integer("sync.inventory-pages", 10, 1, 1000);
        return new ReplicationSettings(factor, interval, grace, concurrent, bytes, release, pages,
                FolderPolicies.from(root), GarbageCollector.gracePeriod(root));
    }

    /** The factor in effect under {@code roster}. */
    public int factor(RosterParameters roster) {
        return factor.orElse(roster.replicationFactor());
    }

    /** The interval in effect under {@code roster}. */
    public Duration interval(RosterParameters roster) {
        return interval.orElse(roster.syncInterval());
    }

    /** The grace period in effect under {@code roster}. */
    public Duration grace(RosterParameters roster) {
        return grace.orElse(roster.healingGrace());
    }

    /** How long a surplus copy waits before it is released: {@code healing.release-after}, else the grace period. */
    public Duration releaseAfter(RosterParameters roster) {
        return releaseAfter.orElse(grace(roster));
    }

    private static void requireBetween(String key, Duration d, Duration min, Duration max) {
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new ConfigException("configuration key '" + key + "' must be between " + min + " and " + max);
        }
    }
}
