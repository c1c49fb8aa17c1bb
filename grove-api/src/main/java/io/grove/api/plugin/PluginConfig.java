package io.grove.api.plugin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The configuration node of one plugin instance ({@code transports.<id>}, {@code stores.<id>} …), after the
 * runtime has applied {@code grove.yaml}, environment variables and {@code --set} overrides.
 *
 * <p>Getters never return {@code null}: a missing key yields {@link Optional#empty()} or the given default.
 * A present value of the wrong form throws {@link IllegalArgumentException} naming the full key.
 * Durations accept {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 7d} or ISO-8601
 * ({@code PT5M}); sizes accept {@code 512}, {@code 64k}, {@code 16MiB}, {@code 1g}.
 */
public interface PluginConfig {

    /** The instance id: the key under which the instance is configured ({@code direct} in {@code transports.direct}). */
    String id();

    /** The full key of this node ({@code transports.direct}), for messages. */
    String path();

    /** The keys present directly below this node. */
    Set<String> keys();

    /** A text value. */
    Optional<String> string(String key);

    default String string(String key, String defaultValue) {
        return string(key).orElse(defaultValue);
    }

    /** An integer value. */
    Optional<Integer> integer(String key);

    default int integer(String key, int defaultValue) {
        return integer(key).orElse(defaultValue);
    }

    /** A long value. */
    Optional<Long> longValue(String key);

    default long longValue(String key, long defaultValue) {
        return longValue(key).orElse(defaultValue);
    }

    /** A boolean value ({@code true} or {@code false}). */
    Optional<Boolean> bool(String key);

    default boolean bool(String key, boolean defaultValue) {
        return bool(key).orElse(defaultValue);
    }

    /** A duration value. */
    Optional<Duration> duration(String key);

    default Duration duration(String key, Duration defaultValue) {
        return duration(key).orElse(defaultValue);
    }

    /** A size in bytes. */
    Optional<Long> size(String key);

    default long size(String key, long defaultValue) {
        return size(key).orElse(defaultValue);
    }

    /** A path; relative paths are resolved against the cell folder. */
    Optional<Path> path(String key);

    /** A list of text values (a YAML sequence, or a comma-separated string); empty when missing. */
    List<String> list(String key);

    /** A child node; empty (no keys) when missing. */
    PluginConfig node(String key);
}
