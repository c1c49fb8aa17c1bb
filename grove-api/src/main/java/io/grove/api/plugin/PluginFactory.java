package io.grove.api.plugin;

import java.util.List;

/**
 * What every factory a plugin hands out has in common: a type name that configuration refers to, a
 * description of its configuration (so the dashboard can render it as a form), and a way to create
 * a live instance.
 *
 * @param <T> the kind of instance created
 */
public interface PluginFactory<T extends AutoCloseable> {

    /**
     * The type name used in configuration, lower-case with dashes ({@code filesystem}, {@code lan-mdns}).
     * Unique among the factories of one kind across all loaded plugins.
     */
    String type();

    /** One line for humans: what this factory creates. */
    default String description() {
        return type();
    }

    /** The configuration keys an instance reads, besides the reserved {@code type} and {@code enabled}. */
    default List<ConfigProperty> configProperties() {
        return List.of();
    }

    /**
     * Creates a live instance. Called once per configured instance; the instance is closed by the runtime on
     * shutdown or when it is disabled.
     *
     * @param context what the runtime grants the instance
     * @param config  the instance's configuration node
     * @return the instance, ready to use
     * @throws RuntimeException when the configuration is invalid or a resource cannot be acquired; the runtime
     *                          logs it with the instance id and marks the instance failed
     */
    T create(PluginContext context, PluginConfig config);
}
