package io.grove.runtime.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.api.plugin.PluginConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.LinkedHashSet;

/** A node of the {@link GroveConfig}; also what a plugin instance receives as its {@link PluginConfig}. */
public final class ConfigNode implements PluginConfig {
    private final GroveConfig root;
    private final String path;

    ConfigNode(GroveConfig root, String path) {
        this.root = root;
        this.path = path;
    }

    @Override
    public String id() {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public Set<String> keys() {
        Set<String> keys = new LinkedHashSet<>();
        Iterator<String> names = root.fileNode(path).fieldNames();
        names.forEachRemaining(keys::add);
        String prefix = path.isEmpty() ? "" : path + ".";
        for (String key : root.overrides().keySet()) {
            if (key.startsWith(prefix)) {
                String rest = key.substring(prefix.length());
                int dot = rest.indexOf('.');
                keys.add(dot < 0 ? rest : rest.substring(0, dot));
            }
        }
        return keys;
    }

    @Override
    public Optional<String> string(String key) {
        return root.lookup(full(key));
    }

    @Override
    public Optional<Integer> integer(String key) {
        return string(key).map(v -> ConfigValues.integer(full(key), v));
    }

    @Override
    public Optional<Long> longValue(String key) {
        return string(key).map(v -> ConfigValues.longValue(full(key), v));
    }

    @Override
    public Optional<Boolean> bool(String key) {
        return string(key).map(v -> ConfigValues.bool(full(key), v));
    }

    @Override
    public Optional<Duration> duration(String key) {
        return string(key).map(v -> ConfigValues.duration(full(key), v));
    }

    @Override
    public Optional<Long> size(String key) {
        return string(key).map(v -> ConfigValues.size(full(key), v));
    }

    @Override
    public Optional<Path> path(String key) {
        return string(key).map(v -> root.cellDir().resolve(v).normalize());
    }

    @Override
    public List<String> list(String key) {
        String full = full(key);
        JsonNode node = root.overridden(full) ? null : root.fileNode(full);
        if (node != null && node.isArray()) {
            List<String> values = new ArrayList<>();
            node.forEach(n -> values.add(n.asText()));
            return List.copyOf(values);
        }
        return string(key)
                .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    /**
     * A list of small records: in {@code grove.yaml} a sequence whose items are mappings of scalars
     * ({@code - {path: photos, factor: 3}}) or strings; from {@code --set} or the environment, items separated by
     * commas, each {@code name=value} pairs separated by semicolons ({@code path=photos;factor=3}). A string item in
     * the file uses the same semicolon form. Names and values are trimmed; a value may not contain {@code ;}.
     *
     * @throws ConfigException when an item is neither, or a pair has no {@code =}, or a name repeats
     */
    public List<java.util.Map<String, String>> records(String key) {
        String full = full(key);
        JsonNode node = root.overridden(full) ? null : root.fileNode(full);
        List<java.util.Map<String, String>> out = new ArrayList<>();
        if (node != null && node.isArray()) {
            for (JsonNode item : node) {
                if (item.isObject()) {
                    java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
                    item.fields().forEachRemaining(e -> {
                        if (e.getValue().isContainerNode()) {
                            throw new ConfigException("configuration key '" + full + "': field '" + e.getKey()
                                    + "' must be a value");
                        }
                        fields.put(e.getKey().trim(), e.getValue().asText().trim());
                    });
                    out.add(java.util.Map.copyOf(fields));
                } else if (item.isTextual()) {
                    out.add(pairs(full, item.asText()));
                } else {
                    throw new ConfigException("configuration key '" + full + "' lists " + item.getNodeType()
                            + "; expected mappings or 'name=value;…' strings");
                }
            }
            return List.copyOf(out);
        }
        for (String item : list(key)) {
            out.add(pairs(full, item));
        }
        return List.copyOf(out);
    }

    private static java.util.Map<String, String> pairs(String key, String item) {
        java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
        for (String pair : item.split(";")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("configuration key '" + key + "': '" + pair.trim()
                        + "' is not name=value");
            }
            if (fields.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim()) != null) {
                throw new ConfigException("configuration key '" + key + "': '" + pair.substring(0, eq).trim()
                        + "' is given twice in one item");
            }
        }
        return java.util.Map.copyOf(fields);
    }

    @Override
    public ConfigNode node(String key) {
        return new ConfigNode(root, full(key));
    }

    /** An integer that must lie within bounds, with a message naming the key otherwise. */
    public int integer(String key, int defaultValue, int min, int max) {
        int value = integer(key).orElse(defaultValue);
        if (value < min || value > max) {
            throw new ConfigException("configuration key '" + full(key) + "' is " + value
                    + "; expected " + min + " to " + max);
        }
        return value;
    }

    /** A duration that must be zero or more, with a message naming the key otherwise. */
    public Duration nonNegativeDuration(String key, Duration defaultValue) {
        Duration value = duration(key, defaultValue);
        if (value.isNegative()) {
            throw new ConfigException("configuration key '" + full(key) + "' is " + value + "; expected zero or more");
        }
        return value;
    }

    private String full(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    @Override
    public String toString() {
        return path.isEmpty() ? "<root>" : path;
    }
}
