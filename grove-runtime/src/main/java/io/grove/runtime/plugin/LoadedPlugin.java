package io.grove.runtime.plugin;

import io.grove.api.plugin.GrovePlugin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** One plugin location and what became of it. Mutable only while the cell starts. */
public final class LoadedPlugin {
    private final String name;
    private final String version;
    private final Path location;
    private final ClassLoader loader;
    private final GrovePlugin plugin;
    private final Set<String> kinds = new LinkedHashSet<>();
    private final List<String> instances = new ArrayList<>();
    private PluginState state;
    private String reason;

    private LoadedPlugin(String name, String version, Path location, ClassLoader loader, GrovePlugin plugin,
                         PluginState state, String reason) {
        this.name = name;
        this.version = version;
        this.location = location;
        this.loader = loader;
        this.plugin = plugin;
        this.state = state;
        this.reason = reason;
    }

    static LoadedPlugin loaded(PluginDescriptor descriptor, Path location, ClassLoader loader, GrovePlugin plugin) {
        return new LoadedPlugin(descriptor.name(), descriptor.version(), location, loader, plugin, PluginState.LOADED, "");
    }

    static LoadedPlugin notLoaded(String name, String version, Path location, PluginState state, String reason) {
        return new LoadedPlugin(name, version, location, null, null, state, reason);
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    public Path location() {
        return location;
    }

    public PluginState state() {
        return state;
    }

    /** Why the plugin was refused or failed; empty otherwise. */
    public String reason() {
        return reason;
    }

    /** The kinds of factories it provides ({@code store}, {@code transport}, {@code chat}). */
    public Set<String> kinds() {
        return Set.copyOf(kinds);
    }

    /** Ids of the running instances it provides. */
    public List<String> instances() {
        return List.copyOf(instances);
    }

    Optional<GrovePlugin> plugin() {
        return Optional.ofNullable(plugin);
    }

    ClassLoader loader() {
        return loader;
    }

    void addKind(String kind) {
        kinds.add(kind);
    }

    void instanceStarted(String id) {
        instances.add(id);
        if (state == PluginState.LOADED) {
            state = PluginState.ACTIVE;
        }
    }

    void fail(String why) {
        state = PluginState.FAILED;
        reason = reason.isEmpty() ? why : reason + "; " + why;
    }

    void refuse(String why) {
        state = PluginState.REFUSED;
        reason = why;
    }
}
