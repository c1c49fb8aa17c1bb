package io.grove.testing;

import io.grove.api.GroveApi;
import io.grove.api.plugin.GrovePlugin;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Compiles Java sources at test time into a plugin JAR (with {@code META-INF/grove-plugin.properties} and the
 * {@code GrovePlugin} service declaration) or into a plain library JAR, so tests can drop real, deliberately
 * broken or incompatible plugins into a {@code plugins/} folder.
 *
 * <pre>{@code
 * Path lib = PluginJarBuilder.library()
 *         .source("hello.lib.Greeting", "package hello.lib; public class Greeting { ... }")
 *         .build(dir.resolve("greeting.jar"));
 * PluginJarBuilder.named("hello").version("1.0")
 *         .source("hello.HelloPlugin", "package hello; public class HelloPlugin implements io.grove.api.plugin.GrovePlugin {}")
 *         .service("hello.HelloPlugin")
 *         .classpath(lib)
 *         .build(dir.resolve("hello.jar"));
 * }</pre>
 *
 * Sources are compiled for Java 21 against {@code grove-api} (found where {@link GrovePlugin} was loaded from)
 * plus any {@link #classpath} entries; a compile error fails {@link #build} with the compiler's messages.
 */
public final class PluginJarBuilder {
    private static final String SERVICE_FILE = "META-INF/services/" + GrovePlugin.class.getName();
    private static final String DESCRIPTOR_FILE = "META-INF/grove-plugin.properties";

    private final boolean plugin;
    private final Map<String, String> descriptor = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<String> services = new ArrayList<>();
    private final List<Path> classpath = new ArrayList<>();
    private final Map<String, byte[]> resources = new LinkedHashMap<>();

    private PluginJarBuilder(boolean plugin) {
        this.plugin = plugin;
    }

    /** A plugin JAR whose descriptor has this name, version 1.0 and this build's API version, until changed. */
    public static PluginJarBuilder named(String name) {
        PluginJarBuilder builder = new PluginJarBuilder(true);
        builder.descriptor.put("name", Objects.requireNonNull(name, "name"));
        builder.descriptor.put("version", "1.0");
        builder.descriptor.put("api-version", GroveApi.VERSION);
        builder.descriptor.put("description", "test plugin " + name);
        return builder;
    }

    /** A plain JAR without descriptor or service declaration, e.g. a plugin's own dependency. */
    public static PluginJarBuilder library() {
        return new PluginJarBuilder(false);
    }

    /** The plugin's version in its descriptor. */
    public PluginJarBuilder version(String version) {
        return descriptorEntry("version", version);
    }

    /** The API version the descriptor declares, e.g. {@code 99.0} for a plugin this runtime must refuse. */
    public PluginJarBuilder apiVersion(String apiVersion) {
        return descriptorEntry("api-version", apiVersion);
    }

    /** The one-line description in the descriptor. */
    public PluginJarBuilder description(String description) {
        return descriptorEntry("description", description);
    }

    /** A Java source file, given the fully qualified name of its top-level class. */
    public PluginJarBuilder source(String className, String javaSource) {
        sources.put(Objects.requireNonNull(className, "className"), Objects.requireNonNull(javaSource, "javaSource"));
        return this;
    }

    /** Declares a class as a {@code GrovePlugin} service provider; call twice for a plugin with two entry points. */
    public PluginJarBuilder service(String className) {
        requirePlugin("service");
        services.add(Objects.requireNonNull(className, "className"));
        return this;
    }

    /** JARs or class folders the sources compile against, besides grove-api (they are not put in the JAR). */
    public PluginJarBuilder classpath(Path... entries) {
        classpath.addAll(List.of(entries));
        return this;
    }

    /** Any other file to put in the JAR, at a path like {@code hello/greeting.txt}. */
    public PluginJarBuilder resource(String path, String content) {
        resources.put(Objects.requireNonNull(path, "path"), content.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /**
     * Compiles the sources and writes the JAR, creating its folder if needed.
     *
     * @return {@code jar}
     * @throws IllegalStateException when the sources do not compile (with the compiler's messages) or no Java
     *                               compiler is available (the tests run on a JRE instead of a JDK)
     */
    public Path build(Path jar) {
        Path classes = null;
        try {
            classes = Files.createTempDirectory("plugin-jar-classes");
            compile(classes);
            Path parent = jar.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            writeJar(classes, jar);
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build " + jar, e);
        } finally {
            deleteRecursively(classes);
        }
    }

    private PluginJarBuilder descriptorEntry(String key, String value) {
        requirePlugin(key);
        descriptor.put(key, Objects.requireNonNull(value, key));
        return this;
    }

    private void requirePlugin(String what) {
        if (!plugin) {
            throw new IllegalStateException("a library JAR has no " + what + "; use PluginJarBuilder.named(…)");
        }
    }

    private void compile(Path classes) throws IOException {
        if (sources.isEmpty()) {
            return;
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("no Java compiler: run the tests on a JDK, not a JRE");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<Path> path = new ArrayList<>();
            path.add(apiLocation());
            path.addAll(classpath);
            files.setLocationFromPaths(StandardLocation.CLASS_PATH, path);
            files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(classes));
            List<JavaFileObject> units = sources.entrySet().stream()
                    .map(e -> (JavaFileObject) new InMemorySource(e.getKey(), e.getValue())).toList();
            boolean ok = compiler.getTask(null, files, diagnostics,
                    List.of("--release", "21", "-proc:none"), null, units).call();
            if (!ok) {
                throw new IllegalStateException("test plugin sources do not compile:\n" + diagnostics.getDiagnostics().stream()
                        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                        .map(d -> d.getSource().getName() + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
                        .collect(Collectors.joining("\n")));
            }
        }
    }

    private void writeJar(Path classes, Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             Stream<Path> compiled = Files.walk(classes)) {
            for (Path file : compiled.filter(Files::isRegularFile).sorted().toList()) {
                entry(out, classes.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
            }
            if (plugin) {
                entry(out, DESCRIPTOR_FILE, descriptorBytes());
                if (!services.isEmpty()) {
                    entry(out, SERVICE_FILE, (String.join("\n", services) + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            for (Map.Entry<String, byte[]> resource : resources.entrySet()) {
                entry(out, resource.getKey(), resource.getValue());
            }
        }
    }

    private byte[] descriptorBytes() throws IOException {
        Properties properties = new Properties();
        properties.putAll(descriptor);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        properties.store(bytes, null);
        return bytes.toByteArray();
    }

    private static void entry(JarOutputStream out, String name, byte[] content) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(content);
        out.closeEntry();
    }

    /** The grove-api JAR (or class folder, inside the reactor) that plugins compile against. */
    private static Path apiLocation() {
        try {
            return Path.of(GrovePlugin.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate grove-api", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // A leftover temporary folder must not fail the test that built the JAR.
        }
    }

    /** A source file held in memory. */
    private static final class InMemorySource extends SimpleJavaFileObject {
        private final String code;

        InMemorySource(String className, String code) {
            super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}
