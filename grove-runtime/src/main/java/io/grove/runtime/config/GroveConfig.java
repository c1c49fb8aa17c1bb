package io.grove.runtime.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The cell's configuration: {@code grove.yaml}, overridden by environment variables, overridden by
 * {@code --set key=value} flags.
 *
 * <p>Keys are lower-case with dashes, nested by dots ({@code healing.grace-period}). The environment variable of a
 * key is {@code GROVE_} followed by the key in upper case with dots and dashes as underscores
 * ({@code GROVE_HEALING_GRACE_PERIOD}); variables are looked up by key, so they override any key the cell reads.
 * A {@code --set} flag may also add keys, including whole plugin instances
 * ({@code --set transports.lan.type=lan-mdns}).
 */
public final class GroveConfig {
    /** The name of the configuration file in the cell folder. */
    public static final String FILE_NAME = "grove.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Path cellDir;
    private final JsonNode file;
    private final Map<String, String> overrides;
    private final Map<String, String> environment;

    private GroveConfig(Path cellDir, JsonNode file, Map<String, String> overrides, Map<String, String> environment) {
        this.cellDir = cellDir;
        this.file = file;
        // Insertion order matters: instances added with --set are created in the order given.
        this.overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
        this.environment = Map.copyOf(environment);
    }

    /**
     * Reads {@code grove.yaml} from the cell folder (absent is the same as empty) and layers the overrides on it.
     *
     * @throws ConfigException when the file cannot be read or is not a YAML mapping
     */
    public static GroveConfig load(Path cellDir, Map<String, String> overrides, Map<String, String> environment) {
        Path yaml = cellDir.resolve(FILE_NAME);
        JsonNode tree;
        try {
            tree = parse(Files.readString(yaml));
        } catch (NoSuchFileException e) {
            tree = MissingNode.getInstance();
        } catch (JsonProcessingException e) {
            throw new ConfigException(yaml + " is not valid YAML: " + problem(e.getOriginalMessage())
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + yaml + ": " + e.getMessage(), e);
        }
        if (!tree.isMissingNode() && !tree.isNull() && !tree.isObject()) {
            throw new ConfigException(yaml + " must be a mapping of keys to values");
        }
        overrides.keySet().forEach(GroveConfig::checkKey);
        return new GroveConfig(cellDir, tree, overrides, environment);
    }

    /** A configuration with only the given overrides, for tests and in-process cells. */
    public static GroveConfig of(Path cellDir, Map<String, String> overrides) {
        overrides.keySet().forEach(GroveConfig::checkKey);
        return new GroveConfig(cellDir, MissingNode.getInstance(), overrides, Map.of());
    }

    /** Parses {@code key=value} as given to {@code --set}. */
    public static Map.Entry<String, String> parseAssignment(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException("'" + assignment + "' is not key=value");
        }
        String key = assignment.substring(0, eq).trim();
        checkKey(key);
        return Map.entry(key, assignment.substring(eq + 1));
    }

    /** Several {@code key=value} assignments, later ones winning. */
    public static Map<String, String> parseAssignments(Iterable<String> assignments) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String a : assignments) {
            Map.Entry<String, String> e = parseAssignment(a);
            map.put(e.getKey(), e.getValue());
        }
        return map;
    }

    /** The root node. */
    public ConfigNode root() {
        return new ConfigNode(this, "");
    }

    /** The node at a dotted key. */
    public ConfigNode node(String key) {
        return root().node(key);
    }

    /** The cell folder, against which relative paths are resolved. */
    public Path cellDir() {
        return cellDir;
    }

    /** The environment variable that sets {@code key}. */
    public static String environmentName(String key) {
        return "GROVE_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    Optional<String> lookup(String key) {
        String value = overrides.get(key);
        if (value == null) {
            value = environment.get(environmentName(key));
        }
        if (value != null) {
            return Optional.of(value);
        }
        JsonNode node = fileNode(key);
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        if (node.isContainerNode()) {
            throw new ConfigException("configuration key '" + key + "' is a section; expected a value");
        }
        return Optional.of(node.asText());
    }

    boolean overridden(String key) {
        return overrides.containsKey(key) || environment.containsKey(environmentName(key));
    }

    JsonNode fileNode(String key) {
        JsonNode node = file;
        if (key.isEmpty()) {
            return node;
        }
        for (String part : key.split("\\.")) {
            node = node.path(part);
        }
        return node;
    }

    Map<String, String> overrides() {
        return overrides;
    }

    /** The parser's explanation without its multi-line excerpt of the file. */
    private static String problem(String message) {
        return String.join(": ", message.lines()
                .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)) && !l.contains("^"))
                .toList());
    }

    private static JsonNode parse(String text) throws JsonProcessingException {
        JsonNode node = YAML.readTree(text);
        return node == null ? MissingNode.getInstance() : node;
    }

    private static void checkKey(String key) {
        if (!key.matches("[a-z0-9]+(-[a-z0-9]+)*(\\.[a-z0-9]+(-[a-z0-9]+)*)*")) {
            throw new ConfigException("configuration key '" + key + "' must be lower-case words with dashes, "
                    + "nested by dots (e.g. api.port)");
        }
    }
}
