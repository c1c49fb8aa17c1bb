package io.grove.testing;

import io.grove.api.plugin.PluginConfig;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link PluginConfig} over a map shaped like parsed YAML (nested maps for nodes, lists for sequences), so
 * plugin tests can configure an instance without the runtime.
 *
 * <p>Every value is read through its text form, so {@code 30}, {@code "30"} and a {@code Duration} behave as
 * they would coming from a YAML file or an environment variable. A {@code null} value counts as missing, as
 * an empty YAML value does.
 */
public final class MapPluginConfig implements PluginConfig {
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(?:([kmg])(?:i?b)?|b)?", Pattern.CASE_INSENSITIVE);

    private final String path;
    private final Map<String, Object> values;
    private final Path cellDir;

    /**
     * @param path    the full key of this node, such as {@code stores.main}; its last segment is the instance id
     * @param values  the keys below the node
     * @param cellDir the folder relative {@linkplain #path(String) paths} are resolved against
     */
    public MapPluginConfig(String path, Map<?, ?> values, Path cellDir) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("a config node needs its full key, such as stores.main");
        }
        if (values == null || cellDir == null) {
            throw new IllegalArgumentException("config node " + path + " needs values and a cell folder");
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            if (value != null) {
                copy.put(String.valueOf(key), value);
            }
        });
        this.path = path;
        this.values = Collections.unmodifiableMap(copy);
        this.cellDir = cellDir;
    }

    /** A node without keys, so every getter returns its default. */
    public static MapPluginConfig empty(String path, Path cellDir) {
        return new MapPluginConfig(path, Map.of(), cellDir);
    }

    @Override
    public String id() {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public Set<String> keys() {
        return values.keySet();
    }

    @Override
    public Optional<String> string(String key) {
        Object value = values.get(key);
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            throw wrong(key, "a single value, not a " + (value instanceof Map<?, ?> ? "node" : "list"));
        }
        return Optional.ofNullable(value).map(String::valueOf);
    }

    @Override
    public Optional<Integer> integer(String key) {
        return trimmed(key).map(text -> {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw wrong(key, "a whole number between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE, text);
            }
        });
    }

    @Override
    public Optional<Long> longValue(String key) {
        return trimmed(key).map(text -> {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw wrong(key, "a whole number", text);
            }
        });
    }

    @Override
    public Optional<Boolean> bool(String key) {
        return trimmed(key).map(text -> switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw wrong(key, "true or false", text);
        });
    }

    @Override
    public Optional<Duration> duration(String key) {
        return trimmed(key).map(text -> {
            Duration duration = parseDuration(text)
                    .orElseThrow(() -> wrong(key, "a duration such as 500ms, 30s, 5m, 1h, 7d or PT5M", text));
            if (duration.isNegative()) {
                throw wrong(key, "a duration that is not negative", text);
            }
            return duration;
        });
    }

    @Override
    public Optional<Long> size(String key) {
        return trimmed(key).map(text -> parseSize(text)
                .orElseThrow(() -> wrong(key, "a size such as 512, 64k, 16MiB or 1g", text)));
    }

    @Override
    public Optional<Path> path(String key) {
        return trimmed(key).map(text -> {
            if (text.isEmpty()) {
                throw wrong(key, "a path", text);
            }
            try {
                return cellDir.resolve(text);
            } catch (InvalidPathException e) {
                throw wrong(key, "a path", text);
            }
        });
    }

    @Override
    public List<String> list(String key) {
        Object value = values.get(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> items) {
            return items.stream().map(item -> {
                if (item == null || item instanceof Map<?, ?> || item instanceof List<?>) {
                    throw wrong(key, "a list of single values");
                }
                return String.valueOf(item);
            }).toList();
        }
        if (value instanceof Map<?, ?>) {
            throw wrong(key, "a list, not a node");
        }
        return Arrays.stream(String.valueOf(value).split(","))
                .map(String::trim)
                .filter(item -> !item.isEmpty())
                .toList();
    }

    @Override
    public PluginConfig node(String key) {
        Object value = values.get(key);
        if (value == null) {
            return empty(fullKey(key), cellDir);
        }
        if (value instanceof Map<?, ?> child) {
            return new MapPluginConfig(fullKey(key), child, cellDir);
        }
        throw wrong(key, "a node with keys below it");
    }

    @Override
    public String toString() {
        return path + values.keySet();
    }

    private Optional<String> trimmed(String key) {
        return string(key).map(String::trim);
    }

    private static Optional<Duration> parseDuration(String text) {
        try {
            if (text.startsWith("P") || text.startsWith("p")) {
                return Optional.of(Duration.parse(text));
            }
            Matcher m = SHORT_DURATION.matcher(text);
            if (!m.matches()) {
                return Optional.empty();
            }
            long amount = Long.parseLong(m.group(1));
            return Optional.of(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            });
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Sizes use binary multiples whichever spelling is used, so {@code 1kB} and {@code 1KiB} are both 1024. */
    private static Optional<Long> parseSize(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            long amount = Long.parseLong(m.group(1));
            int shift = m.group(2) == null ? 0 : switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "k" -> 10;
                case "m" -> 20;
                default -> 30;
            };
            return Optional.of(Math.multiplyExact(amount, 1L << shift));
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    private String fullKey(String key) {
        return path + "." + key;
    }

    private IllegalArgumentException wrong(String key, String expected) {
        return new IllegalArgumentException(fullKey(key) + " must be " + expected);
    }

    private IllegalArgumentException wrong(String key, String expected, String actual) {
        return new IllegalArgumentException(fullKey(key) + " must be " + expected + ", not '" + actual + "'");
    }
}
