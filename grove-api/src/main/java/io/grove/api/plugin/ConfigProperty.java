package io.grove.api.plugin;

/**
 * The description of one configuration key of a plugin instance, as data, so that the dashboard can render
 * a form and the runtime can report unknown keys.
 *
 * @param key          the key below the instance node, lower-case with dashes
 * @param type         the value's type
 * @param defaultValue the default as text, or an empty string when there is none
 * @param description  one sentence for humans
 */
public record ConfigProperty(String key, Type type, String defaultValue, String description) {

    /** Value types a {@link PluginConfig} can read. */
    public enum Type { STRING, INTEGER, LONG, BOOLEAN, DURATION, SIZE, LIST, PATH, SECRET }

    public ConfigProperty {
        if (key == null || !key.matches("[a-z0-9]+(-[a-z0-9]+)*(\\.[a-z0-9]+(-[a-z0-9]+)*)*")) {
            throw new IllegalArgumentException("config key must be lower-case-with-dashes: " + key);
        }
        if (type == null || defaultValue == null || description == null) {
            throw new IllegalArgumentException("config property " + key + " needs a type, default and description");
        }
    }
}
