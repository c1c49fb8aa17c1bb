package io.grove.runtime.plugin;

import io.grove.testing.PluginJarBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Plugins compiled into JARs at test time, loaded from a plugins folder as a distribution would. */
class PluginLoaderTest {
    @TempDir
    Path plugins;

    private static final String STORE_PLUGIN = """
            package %s;
            import io.grove.api.plugin.*;
            import io.grove.api.store.*;
            import java.util.List;
            public class P implements GrovePlugin {
                public List<ChunkStoreFactory> chunkStores() {
                    return List.of(new ChunkStoreFactory() {
                        public String type() { return "%s"; }
                        public ChunkStore create(PluginContext c, PluginConfig cfg) { throw new IllegalStateException("unused"); }
                    });
                }
            }
            """;

    private Path plugin(String name, String pkg, String storeType) {
        return PluginJarBuilder.named(name).source(pkg + ".P", STORE_PLUGIN.formatted(pkg, storeType))
                .service(pkg + ".P").build(plugins.resolve(name + ".jar"));
    }

    private static LoadedPlugin find(PluginRegistry registry, String name) {
        return registry.plugins().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void loadsASingleJarPluginAndItsFactories() {
        plugin("alpha", "alpha", "alpha-store");
        PluginRegistry registry = PluginLoader.load(Optional.of(plugins), false, true);
        assertThat(find(registry, "alpha").state()).isEqualTo(PluginState.LOADED);
        assertThat(find(registry, "alpha").kinds()).containsExactly("store");
        assertThat(registry.types(PluginKind.STORE)).containsExactly("alpha-store");
    }

    @Test
    void loadsAFolderPluginWithItsOwnLibraryIsolatedFromOthers() throws IOException {
        Path folder = Files.createDirectories(plugins.resolve("beta"));
        Path lib = PluginJarBuilder.library().source("shared.Lib", "package shared; public class Lib { public static String v() { return \"1\"; } }")
                .build(folder.resolve("lib-1.jar"));
        PluginJarBuilder.named("beta").classpath(lib)
                .source("beta.P", """
                        package beta;
                        public class P implements io.grove.api.plugin.GrovePlugin {
                            public P() { if (!shared.Lib.v().equals("1")) throw new IllegalStateException(); }
                        }""")
                .service("beta.P").build(folder.resolve("beta.jar"));
        Path other = Files.createDirectories(plugins.resolve("gamma"));
        Path lib2 = PluginJarBuilder.library().source("shared.Lib", "package shared; public class Lib { public static String v() { return \"2\"; } }")
                .build(other.resolve("lib-2.jar"));
        PluginJarBuilder.named("gamma").classpath(lib2)
                .source("gamma.P", """
                        package gamma;
                        public class P implements io.grove.api.plugin.GrovePlugin {
                            public P() { if (!shared.Lib.v().equals("2")) throw new IllegalStateException(); }
                        }""")
                .service("gamma.P").build(other.resolve("gamma.jar"));
        PluginRegistry registry = PluginLoader.load(Optional.of(plugins), false, true);
        assertThat(find(registry, "beta").state()).isEqualTo(PluginState.LOADED);
        assertThat(find(registry, "gamma").state()).isEqualTo(PluginState.LOADED);
    }

    @Test
    void refusesAnIncompatibleApiVersionBeforeLoadingAnyClass() {
        PluginJarBuilder.named("future").apiVersion("99.0")
                .source("future.P", "package future; public class P implements io.grove.api.plugin.GrovePlugin {"
                        + " static { if (true) throw new Error(\"must never be loaded\"); } }")
                .service("future.P").build(plugins.resolve("future.jar"));
        PluginRegistry registry = PluginLoader.load(Optional.of(plugins), false, false);
        LoadedPlugin future = find(registry, "future");
        assertThat(future.state()).isEqualTo(PluginState.REFUSED);
        assertThat(future.reason()).contains("99.0").contains("1.0");
    }

    @Test
    void aConstructorThatThrowsFailsThatPluginOnly() {
        PluginJarBuilder.named("broken").source("broken.P",
                        "package broken; public class P implements io.grove.api.plugin.GrovePlugin {"
                                + " public P() { throw new IllegalStateException(\"boom\"); } }")
                .service("broken.P").build(plugins.resolve("broken.jar"));
        plugin("fine", "fine", "fine-store");
        PluginRegistry registry = PluginLoader.load(Optional.of(plugins), false, false);
        assertThat(find(registry, "broken").state()).isEqualTo(PluginState.FAILED);
        assertThat(find(registry, "broken").reason()).contains("boom");
        assertThat(find(registry, "fine").state()).isEqualTo(PluginState.LOADED);
    }

    @Test
    void failOnErrorMakesABrokenPluginFatal() {
        PluginJarBuilder.named("broken").source("broken.P",
                        "package broken; public class P implements io.grove.api.plugin.GrovePlugin {"
                                + " public P() { throw new IllegalStateException(\"boom\"); } }")
                .service("broken.P").build(plugins.resolve("broken.jar"));
        assertThatThrownBy(() -> PluginLoader.load(Optional.of(plugins), false, true))
                .isInstanceOf(PluginException.class).hasMessageContaining("broken").hasMessageContaining("boom");
    }

    @Test
    void refusesJarsWithoutDescriptorOrService() {
        PluginJarBuilder.library().source("x.Y", "package x; public class Y {}").build(plugins.resolve("nodescriptor.jar"));
        PluginJarBuilder.named("noservice").source("n.P", "package n; public class P implements io.grove.api.plugin.GrovePlugin {}")
                .build(plugins.resolve("noservice.jar"));
        PluginRegistry registry = PluginLoader.load(Optional.of(plugins), false, false);
        assertThat(find(registry, "nodescriptor").reason()).contains("grove-plugin.properties");
        assertThat(find(registry, "noservice").reason()).contains("declares no");
    }

    @Test
    void refusesADuplicateNameAndADuplicateType() {
        plugin("one", "one", "same-type");
        plugin("two", "two", "same-type");
        PluginRegistry registry = PluginLoader.load(Optional.of(plugins), false, false);
        assertThat(find(registry, "two").state()).isEqualTo(PluginState.FAILED);
        assertThat(find(registry, "two").reason()).contains("already provided by plugin one");
    }

    @Test
    void sharesOnlyTheApiPackages() {
        assertThat(PluginClassLoader.isShared("io.grove.api.plugin.GrovePlugin")).isTrue();
        assertThat(PluginClassLoader.isShared("io.grove.runtime.Cell")).isFalse();
        assertThat(PluginClassLoader.isShared("io.grove.apix.Thing")).isFalse();
        assertThat(PluginClassLoader.isShared("com.fasterxml.jackson.databind.ObjectMapper")).isFalse();
    }

    @Test
    void aPluginCannotSeeTheRuntimesLibraries() {
        PluginJarBuilder.named("nosy").source("nosy.P", """
                        package nosy;
                        public class P implements io.grove.api.plugin.GrovePlugin {
                            public P() throws Exception { Class.forName("com.fasterxml.jackson.databind.ObjectMapper"); }
                        }""")
                .service("nosy.P").build(plugins.resolve("nosy.jar"));
        PluginRegistry registry = PluginLoader.load(Optional.of(plugins), false, false);
        assertThat(find(registry, "nosy").state()).isEqualTo(PluginState.FAILED);
        assertThat(find(registry, "nosy").reason()).contains("ClassNotFoundException");
    }
}
