package io.grove.runtime.plugin;

import io.grove.api.CellId;
import io.grove.api.plugin.PluginContext;
import io.grove.api.plugin.PluginFactory;
import io.grove.runtime.config.ConfigException;
import io.grove.runtime.config.ConfigNode;
import io.grove.runtime.config.GroveConfig;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The live plugin instances of a cell, created from configuration ({@code stores.<id>}, {@code transports.<id>},
 * {@code ai.<id>}, each {@code {type: …, enabled: …}}) and closed in reverse order of creation.
 */
public final class PluginInstances implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PluginInstances.class.getName());

    /** A configured instance: running, or failed with a reason. */
    public record Instance(PluginKind kind, String id, String type, String plugin, AutoCloseable instance,
                           String error, ExecutorService executor) {
        /** Whether the instance runs. */
        public boolean running() {
            return error.isEmpty();
        }
    }

    private final List<Instance> instances = new ArrayList<>();

    private PluginInstances() {
    }

    /**
     * Creates every enabled instance of every kind.
     *
     * @param failOnError throw on the first instance that cannot be created, instead of recording it as failed
     */
    public static PluginInstances start(PluginRegistry registry, GroveConfig config, CellId cellId, Clock clock,
                                        boolean failOnError) {
        PluginInstances result = new PluginInstances();
        try {
            for (PluginKind kind : PluginKind.values()) {
                ConfigNode section = config.node(kind.section());
                for (String id : section.keys()) {
                    result.startOne(registry, kind, section.node(id), cellId, config.cellDir(), clock, failOnError);
                }
            }
        } catch (RuntimeException e) {
            result.close();
            throw e;
        }
        return result;
    }

    /** All configured instances, in creation order. */
    public List<Instance> all() {
        return List.copyOf(instances);
    }

    /** The running instances of a kind, in creation order, cast to its contract. */
    public <T> List<T> running(PluginKind kind, Class<T> contract) {
        return instances.stream().filter(i -> i.kind() == kind && i.running())
                .map(i -> contract.cast(i.instance())).toList();
    }

    private void startOne(PluginRegistry registry, PluginKind kind, ConfigNode node, CellId cellId, Path cellDir,
                          Clock clock, boolean failOnError) {
        if (!node.bool("enabled", true)) {
            LOG.log(System.Logger.Level.INFO, "{0} is disabled", node.path());
            return;
        }
        String type = node.string("type").filter(t -> !t.isBlank()).orElseThrow(() ->
                new ConfigException("configuration key '" + node.path() + ".type' is missing; set the "
                        + kind.label() + " type (one of " + registry.types(kind) + ")"));
        var provided = registry.<PluginFactory<?>>factory(kind, type);
        if (provided.isEmpty()) {
            fail(kind, node.id(), type, "", "no loaded plugin provides " + kind.label() + " type '" + type
                    + "' (available: " + registry.types(kind) + ")", failOnError);
            return;
        }
        LoadedPlugin plugin = provided.get().plugin();
        PluginFactory<?> factory = provided.get().factory();
        ExecutorService executor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("grove-" + node.id() + "-", 0).factory());
        PluginContext context = new RuntimePluginContext(node.id(), cellId, cellDir,
                cellDir.resolve("plugins").resolve(node.id()), executor, clock,
                System.getLogger("grove.plugin." + plugin.name() + "." + node.id()));
        AutoCloseable created;
        try {
            created = Isolation.call(plugin.loader(), () -> factory.create(context, node));
        } catch (Throwable e) {
            executor.shutdownNow();
            String why = "creating " + node.path() + " failed: " + PluginLoader.describe(e);
            plugin.fail(why);
            fail(kind, node.id(), type, plugin.name(), why, failOnError);
            return;
        }
        if (!kind.contract().isInstance(created)) {
            executor.shutdownNow();
            throw new PluginException(plugin.name() + " created a " + created.getClass().getName() + " for " + node.path()
                    + " which is not a " + kind.contract().getSimpleName());
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        AutoCloseable isolated = (AutoCloseable) Isolation.wrap((Class) kind.contract(), created, plugin.loader());
        instances.add(new Instance(kind, node.id(), type, plugin.name(), isolated, "", executor));
        plugin.instanceStarted(node.id());
        LOG.log(System.Logger.Level.INFO, "started {0} ({1} from plugin {2})", node.path(), type, plugin.name());
    }

    private void fail(PluginKind kind, String id, String type, String plugin, String why, boolean failOnError) {
        LOG.log(System.Logger.Level.ERROR, "{0}.{1}: {2}", kind.section(), id, why);
        if (failOnError) {
            throw new PluginException(kind.section() + "." + id + ": " + why);
        }
        instances.add(new Instance(kind, id, type, plugin, null, why, null));
    }

    /** Closes the running instances in reverse order of creation; failures are logged, not thrown. */
    @Override
    public void close() {
        for (int i = instances.size() - 1; i >= 0; i--) {
            Instance instance = instances.get(i);
            if (!instance.running()) {
                continue;
            }
            try {
                instance.instance().close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing " + instance.kind().section() + "." + instance.id()
                        + " failed: " + PluginLoader.describe(e));
            } finally {
                instance.executor().shutdownNow();
            }
        }
        instances.clear();
    }
}
