package io.grove.runtime.plugin;

import io.grove.api.plugin.PluginFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The plugins found at start-up and the factories they provide, by kind and type. */
public final class PluginRegistry {
    private final List<LoadedPlugin> plugins = new ArrayList<>();
    private final Map<PluginKind, Map<String, Provided<?>>> factories = new LinkedHashMap<>();

    /** A factory and the plugin it came from. */
    public record Provided<F extends PluginFactory<?>>(LoadedPlugin plugin, F factory) {
    }

    PluginRegistry() {
        for (PluginKind kind : PluginKind.values()) {
            factories.put(kind, new LinkedHashMap<>());
        }
    }

    /** Every plugin location seen, including refused and failed ones, in load order. */
    public List<LoadedPlugin> plugins() {
        return List.copyOf(plugins);
    }

    /** The factory of a kind for a configured type. */
    @SuppressWarnings("unchecked")
    public <F extends PluginFactory<?>> Optional<Provided<F>> factory(PluginKind kind, String type) {
        return Optional.ofNullable((Provided<F>) factories.get(kind).get(type));
    }

    /** The types available for a kind, for messages. */
    public List<String> types(PluginKind kind) {
        return List.copyOf(factories.get(kind).keySet());
    }

    void add(LoadedPlugin plugin) {
        plugins.add(plugin);
    }

    Optional<LoadedPlugin> byName(String name) {
        return plugins.stream().filter(p -> p.name().equals(name) && p.plugin().isPresent()).findFirst();
    }

    /** Registers a factory, or explains why its type is taken. */
    Optional<String> register(PluginKind kind, LoadedPlugin plugin, PluginFactory<?> factory) {
        Provided<?> existing = factories.get(kind).get(factory.type());
        if (existing != null) {
            return Optional.of(kind.label() + " type '" + factory.type() + "' is already provided by plugin "
                    + existing.plugin().name());
        }
        factories.get(kind).put(factory.type(), new Provided<>(plugin, factory));
        plugin.addKind(kind.label());
        return Optional.empty();
    }
}
