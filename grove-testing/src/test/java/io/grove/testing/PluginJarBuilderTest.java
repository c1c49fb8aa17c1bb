package io.grove.testing;

import io.grove.api.GroveApi;
import io.grove.api.plugin.GrovePlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PluginJarBuilderTest {
    private static final String GREETING = """
            package hello.lib;
            public final class Greeting {
                public static String text() { return "hello from " + Greeting.class.getSimpleName(); }
            }
            """;
    private static final String PLUGIN = """
            package hello;
            public final class HelloPlugin implements io.grove.api.plugin.GrovePlugin, java.util.function.Supplier<String> {
                @Override public String get() { return hello.lib.Greeting.text(); }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void buildsAPluginJarThatServiceLoaderFindsWithItsDescriptor() throws IOException {
        Path jar = PluginJarBuilder.named("hello").version("2.5").description("says hello")
                .source("hello.HelloPlugin", "package hello; public final class HelloPlugin implements io.grove.api.plugin.GrovePlugin {}")
                .service("hello.HelloPlugin")
                .build(dir.resolve("plugins/hello/hello.jar"));

        Properties descriptor = descriptor(jar);
        assertThat(descriptor).containsEntry("name", "hello").containsEntry("version", "2.5")
                .containsEntry("api-version", GroveApi.VERSION).containsEntry("description", "says hello");
        try (URLClassLoader loader = loader(jar)) {
            List<GrovePlugin> plugins = ServiceLoader.load(GrovePlugin.class, loader).stream()
                    .map(ServiceLoader.Provider::get).toList();
            assertThat(plugins).singleElement()
                    .satisfies(p -> assertThat(p.getClass().getName()).isEqualTo("hello.HelloPlugin"))
                    .satisfies(p -> assertThat(p.getClass().getClassLoader()).isSameAs(loader));
        }
    }

    @Test
    void compilesAPluginAgainstALibraryJarThatHoldsNoDescriptor() throws Exception {
        Path library = PluginJarBuilder.library().source("hello.lib.Greeting", GREETING).build(dir.resolve("greeting.jar"));
        Path plugin = PluginJarBuilder.named("hello").source("hello.HelloPlugin", PLUGIN).service("hello.HelloPlugin")
                .classpath(library).build(dir.resolve("hello.jar"));

        try (JarFile file = new JarFile(library.toFile())) {
            assertThat(file.getEntry("hello/lib/Greeting.class")).isNotNull();
            assertThat(file.getEntry("META-INF/grove-plugin.properties")).isNull();
            assertThat(file.getEntry("META-INF/services/io.grove.api.plugin.GrovePlugin")).isNull();
        }
        try (JarFile file = new JarFile(plugin.toFile())) {
            assertThat(file.getEntry("hello/lib/Greeting.class")).as("the library is not copied into the plugin").isNull();
        }
        try (URLClassLoader loader = loader(plugin, library)) {
            GrovePlugin loaded = ServiceLoader.load(GrovePlugin.class, loader).findFirst().orElseThrow();
            assertThat(((Supplier<?>) loaded).get()).isEqualTo("hello from Greeting");
        }
    }

    @Test
    void writesTheApiVersionGivenEvenWhenThisRuntimeCannotLoadIt() throws IOException {
        Path jar = PluginJarBuilder.named("future").apiVersion("99.0").build(dir.resolve("future.jar"));

        assertThat(descriptor(jar)).containsEntry("api-version", "99.0");
        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(file.getEntry("META-INF/services/io.grove.api.plugin.GrovePlugin")).as("no service declared").isNull();
        }
    }

    @Test
    void declaresEveryServiceGivenAndAddsResources() throws IOException {
        Path jar = PluginJarBuilder.named("twice")
                .source("twice.One", "package twice; public class One implements io.grove.api.plugin.GrovePlugin {}")
                .source("twice.Two", "package twice; public class Two implements io.grove.api.plugin.GrovePlugin {}")
                .service("twice.One").service("twice.Two")
                .resource("twice/note.txt", "a note")
                .build(dir.resolve("twice.jar"));

        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(read(file, "META-INF/services/io.grove.api.plugin.GrovePlugin")).isEqualTo("twice.One\ntwice.Two\n");
            assertThat(read(file, "twice/note.txt")).isEqualTo("a note");
        }
    }

    @Test
    void failsWithTheCompilerMessageAndLineWhenASourceDoesNotCompile() {
        PluginJarBuilder broken = PluginJarBuilder.named("broken")
                .source("broken.Broken", "package broken;\npublic class Broken implements io.grove.api.plugin.GrovePlugin {\n  int x = \"text\";\n}\n");

        assertThatThrownBy(() -> broken.build(dir.resolve("broken.jar")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("broken/Broken.java:3:")
                .hasMessageContaining("String cannot be converted to int");
        assertThat(dir.resolve("broken.jar")).doesNotExist();
    }

    @Test
    void aLibraryHasNoDescriptorToSet() {
        assertThatThrownBy(() -> PluginJarBuilder.library().version("1.0")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> PluginJarBuilder.library().service("x.Y")).isInstanceOf(IllegalStateException.class);
    }

    private static URLClassLoader loader(Path... jars) throws IOException {
        URL[] urls = new URL[jars.length];
        for (int i = 0; i < jars.length; i++) {
            urls[i] = jars[i].toUri().toURL();
        }
        return new URLClassLoader(urls, GrovePlugin.class.getClassLoader());
    }

    private static Properties descriptor(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile());
             InputStream in = file.getInputStream(file.getEntry("META-INF/grove-plugin.properties"))) {
            Properties properties = new Properties();
            properties.load(in);
            return properties;
        }
    }

    private static String read(JarFile file, String entry) throws IOException {
        try (InputStream in = file.getInputStream(file.getEntry(entry))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
