package io.grove.runtime.plugin;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * The class loader of one plugin: its own JARs, on top of the platform loader, with only the {@code grove-api}
 * packages taken from the runtime. Two plugins may therefore bundle different versions of one library, and no
 * plugin sees the runtime's libraries (Helidon, Jackson, SQLite …).
 */
final class PluginClassLoader extends URLClassLoader {
    private final ClassLoader apiLoader;

    PluginClassLoader(String pluginName, URL[] jars, ClassLoader apiLoader) {
        super("grove-plugin-" + pluginName, jars, ClassLoader.getPlatformClassLoader());
        this.apiLoader = apiLoader;
    }

    /** The isolation rule: which classes a plugin shares with the runtime. */
    static boolean isShared(String className) {
        return className.startsWith("io.grove.api.");
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (isShared(name)) {
            return apiLoader.loadClass(name);
        }
        return super.loadClass(name, resolve);
    }

    static {
        ClassLoader.registerAsParallelCapable();
    }
}
