package io.grove.runtime.fleet;

import java.time.Duration;

/**
 * Fleet-wide settings the leader decides and every member follows. The set is closed: a roster carrying a parameter
 * this version does not know is rejected rather than kept as an opaque string, because a member that silently
 * ignored, say, a higher replication factor would under-replicate while believing itself in step. New parameters
 * come with a new roster format version.
 *
 * @param replicationFactor copies of each chunk the fleet keeps (this cell + peers), 1 to 16
 * @param syncInterval      time between opportunistic sync rounds, 10 s to 1 day, whole seconds
 * @param healingGrace      how long a peer may be offline before its copies stop counting, 1 min to 30 days,
 *                          whole seconds
 */
public record RosterParameters(int replicationFactor, Duration syncInterval, Duration healingGrace) {
    /** Factor 2 (this cell + one peer), sync every 5 minutes, re-replicate after 1 hour offline. */
    public static final RosterParameters DEFAULTS = new RosterParameters(2, Duration.ofMinutes(5), Duration.ofHours(1));

    public RosterParameters {
        if (replicationFactor < 1 || replicationFactor > 16) {
            throw new IllegalArgumentException("replicationFactor must be 1..16, not " + replicationFactor);
        }
        requireSeconds("syncInterval", syncInterval, Duration.ofSeconds(10), Duration.ofDays(1));
        requireSeconds("healingGrace", healingGrace, Duration.ofMinutes(1), Duration.ofDays(30));
    }

    private static void requireSeconds(String name, Duration value, Duration min, Duration max) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        if (value.getNano() != 0) {
            throw new IllegalArgumentException(name + " must be whole seconds");
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", not " + value);
        }
    }
}
