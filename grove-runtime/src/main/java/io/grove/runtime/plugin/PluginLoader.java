package io.grove.runtime.plugin;

import io.grove.api.plugin.GrovePlugin;
import io.grove.api.plugin.PluginFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds plugins: every sub-folder of the plugins folder (a plugin JAR plus its own dependencies) and every single
 * {@code *.jar} there is one plugin with its own {@link PluginClassLoader}. The descriptor is read from the JAR
 * before any class is loaded, and an incompatible plugin is refused. A broken plugin is logged and skipped, or
 * stops the start-up when {@code failOnError} is set.
 */
public final class PluginLoader {
    private static final System.Logger LOG = System.getLogger(PluginLoader.class.getName());
    /** The most plugin locations one folder may hold; more is surely a mistake. */
    static final int MAX_LOCATIONS = 256;

    private final boolean failOnError;
    private final PluginRegistry registry = new PluginRegistry();

    private PluginLoader(boolean failOnError) {
        this.failOnError = failOnError;
    }

    /**
     * Loads the plugins of {@code dir} (when present) and, when {@code includeClasspath} is set, the plugins on the
     * runtime's own class path (for tests and embedded cells; these share the runtime's loader).
     */
    public static PluginRegistry load(Optional<Path> dir, boolean includeClasspath, boolean failOnError) {
        PluginLoader loader = new PluginLoader(failOnError);
        if (includeClasspath) {
            loader.loadClasspath();
        }
        dir.ifPresent(loader::loadFolder);
        return loader.registry;
    }

    private void loadFolder(Path dir) {
        if (!Files.isDirectory(dir)) {
            LOG.log(System.Logger.Level.WARNING, "plugins folder {0} does not exist; no plugins loaded from it", dir);
            return;
        }
        List<Path> entries;
        try (Stream<Path> list = Files.list(dir)) {
            entries = list.filter(p -> Files.isDirectory(p) || p.getFileName().toString().endsWith(".jar"))
                    .sorted().limit(MAX_LOCATIONS + 1L).toList();
        } catch (IOException e) {
            throw new PluginException("cannot list plugins folder " + dir + ": " + e.getMessage(), e);
        }
        if (entries.size() > MAX_LOCATIONS) {
            throw new PluginException("plugins folder " + dir + " holds more than " + MAX_LOCATIONS + " plugins");
        }
        for (Path location : entries) {
            loadLocation(location);
        }
    }

    private void loadLocation(Path location) {
        String shownName = location.getFileName().toString().replaceFirst("\\.jar$", "");
        List<Path> jars;
        try {
            jars = jarsOf(location);
        } catch (IOException e) {
            problem(LoadedPlugin.notLoaded(shownName, "", location, PluginState.REFUSED,
                    "cannot read " + location + ": " + e.getMessage()));
            return;
        }
        if (jars.isEmpty()) {
            problem(LoadedPlugin.notLoaded(shownName, "", location, PluginState.REFUSED,
                    "plugin folder " + location + " holds no JAR"));
            return;
        }
        PluginDescriptor descriptor;
        try {
            descriptor = findDescriptor(location, jars);
        } catch (PluginException | IOException e) {
            problem(LoadedPlugin.notLoaded(shownName, "", location, PluginState.REFUSED, e.getMessage()));
            return;
        }
        Optional<String> incompatible = descriptor.incompatibility();
        if (incompatible.isPresent()) {
            problem(LoadedPlugin.notLoaded(descriptor.name(), descriptor.version(), location, PluginState.REFUSED,
                    incompatible.get()));
            return;
        }
        if (registry.byName(descriptor.name()).isPresent()) {
            problem(LoadedPlugin.notLoaded(descriptor.name(), descriptor.version(), location, PluginState.REFUSED,
                    "another plugin named " + descriptor.name() + " is already loaded from "
                            + registry.byName(descriptor.name()).get().location()));
            return;
        }
        URL[] urls = new URL[jars.size()];
        try {
            for (int i = 0; i < urls.length; i++) {
                urls[i] = jars.get(i).toUri().toURL();
            }
        } catch (MalformedURLException e) {
            throw new IllegalStateException("a file path is always a valid URL", e);
        }
        PluginClassLoader classLoader = new PluginClassLoader(descriptor.name(), urls, GrovePlugin.class.getClassLoader());
        instantiate(descriptor, location, classLoader, () -> ServiceLoader.load(GrovePlugin.class, classLoader).stream().toList());
    }

    private void loadClasspath() {
        ClassLoader appLoader = PluginLoader.class.getClassLoader();
        ServiceLoader.load(GrovePlugin.class, appLoader).stream().forEach(provider -> {
            Class<?> type = provider.type();
            Path location;
            PluginDescriptor descriptor;
            try {
                location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
                descriptor = findDescriptor(location, Files.isDirectory(location) ? List.of() : List.of(location));
            } catch (IOException | URISyntaxException | PluginException e) {
                problem(LoadedPlugin.notLoaded(type.getName(), "", Path.of("classpath"), PluginState.REFUSED,
                        "class path plugin " + type.getName() + ": " + e.getMessage()));
                return;
            }
            instantiate(descriptor, location, appLoader, () -> List.of(provider));
        });
    }

    private void instantiate(PluginDescriptor descriptor, Path location, ClassLoader classLoader,
                             Supplier<List<ServiceLoader.Provider<GrovePlugin>>> providers) {
        List<ServiceLoader.Provider<GrovePlugin>> own = new ArrayList<>();
        try {
            for (ServiceLoader.Provider<GrovePlugin> p : providers.get()) {
                if (p.type().getClassLoader() == classLoader) {
                    own.add(p);
                }
            }
        } catch (Throwable e) {
            problem(LoadedPlugin.notLoaded(descriptor.name(), descriptor.version(), location, PluginState.FAILED,
                    "cannot read the GrovePlugin service declaration: " + describe(e)));
            return;
        }
        if (own.size() != 1) {
            problem(LoadedPlugin.notLoaded(descriptor.name(), descriptor.version(), location, PluginState.REFUSED,
                    own.isEmpty()
                            ? "declares no io.grove.api.plugin.GrovePlugin in META-INF/services"
                            : "declares " + own.size() + " GrovePlugin implementations; exactly one is allowed"));
            return;
        }
        GrovePlugin plugin;
        try {
            plugin = Isolation.call(classLoader, own.get(0)::get);
        } catch (Throwable e) {
            problem(LoadedPlugin.notLoaded(descriptor.name(), descriptor.version(), location, PluginState.FAILED,
                    "its GrovePlugin could not be created: " + describe(e)));
            return;
        }
        LoadedPlugin loaded = LoadedPlugin.loaded(descriptor, location, classLoader, plugin);
        registry.add(loaded);
        for (PluginKind kind : PluginKind.values()) {
            List<? extends PluginFactory<?>> factories;
            try {
                factories = Isolation.call(classLoader, () -> kind.factoriesOf(plugin));
            } catch (Throwable e) {
                loaded.fail("listing its " + kind.label() + " factories threw: " + describe(e));
                continue;
            }
            for (PluginFactory<?> factory : factories) {
                registry.register(kind, loaded, factory).ifPresent(loaded::fail);
            }
        }
        if (loaded.state() == PluginState.FAILED) {
            report(loaded);
        } else {
            LOG.log(System.Logger.Level.INFO, "loaded plugin {0} {1} ({2}) from {3}", descriptor.name(),
                    descriptor.version(), String.join(", ", loaded.kinds()), location);
        }
    }

    private void problem(LoadedPlugin plugin) {
        registry.add(plugin);
        report(plugin);
    }

    private void report(LoadedPlugin plugin) {
        LOG.log(System.Logger.Level.ERROR, "plugin {0} at {1} {2}: {3}", plugin.name(), plugin.location(),
                plugin.state().label(), plugin.reason());
        if (failOnError) {
            throw new PluginException("plugin " + plugin.name() + " " + plugin.state().label() + ": " + plugin.reason());
        }
    }

    private static List<Path> jarsOf(Path location) throws IOException {
        if (!Files.isDirectory(location)) {
            return List.of(location);
        }
        try (Stream<Path> files = Files.list(location)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p))
                    .sorted().toList();
        }
    }

    /** Reads the one descriptor among {@code jars} (or in the class folder {@code location}). */
    private static PluginDescriptor findDescriptor(Path location, List<Path> jars) throws IOException {
        if (jars.isEmpty()) {
            Path file = location.resolve(PluginDescriptor.RESOURCE);
            if (!Files.isRegularFile(file)) {
                throw new PluginException("no " + PluginDescriptor.RESOURCE + " in " + location);
            }
            try (InputStream in = Files.newInputStream(file)) {
                return PluginDescriptor.read(in, file.toString());
            }
        }
        PluginDescriptor found = null;
        Path foundIn = null;
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                JarEntry entry = file.getJarEntry(PluginDescriptor.RESOURCE);
                if (entry == null) {
                    continue;
                }
                if (found != null) {
                    throw new PluginException("both " + foundIn.getFileName() + " and " + jar.getFileName()
                            + " hold a " + PluginDescriptor.RESOURCE + "; a plugin has exactly one");
                }
                try (InputStream in = file.getInputStream(entry)) {
                    found = PluginDescriptor.read(in, jar.toString());
                    foundIn = jar;
                }
            } catch (java.util.zip.ZipException e) {
                throw new PluginException(jar + " is not a valid JAR: " + e.getMessage());
            }
        }
        if (found == null) {
            throw new PluginException("no " + PluginDescriptor.RESOURCE + " in " + location
                    + "; every plugin JAR needs one (name, version, api-version)");
        }
        return found;
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
