package io.grove.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grove.api.CellId;
import io.grove.api.GroveApi;
import io.grove.api.transport.PeerRequest;
import io.grove.api.transport.PeerResponse;
import io.grove.api.transport.Route;
import io.grove.api.transport.Transport;
import io.grove.api.transport.TransportFactory;
import io.grove.api.transport.TransportHost;
import io.grove.runtime.plugin.PluginKind;
import io.grove.runtime.plugin.PluginLoader;
import io.grove.runtime.plugin.PluginRegistry;
import io.grove.testing.MapPluginConfig;
import io.grove.testing.PluginJarBuilder;
import io.grove.testing.TestPluginContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The distribution as a user gets it: the zip is unpacked and {@code bin/grove} runs real cells on loopback, with
 * real plugins (the bundled store and plugins compiled here), real sockets and real signals.
 */
class DistributionIT extends InstalledDistributionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** Every serving cell in these tests: ephemeral ports, the peer socket on loopback, broken plugins tolerated. */
    private static final String[] SERVE_OPTIONS = {"--port", "0", "--peer-port", "0",
            "--set", "peer.bind=127.0.0.1", "--set", "plugins.fail-on-error=false"};




    @Test
    void zipHoldsTheLauncherRuntimeBundledPluginAndDefaultConfiguration() throws IOException {
        assertThat(home.getFileName()).hasToString("grove-" + BuiltDistribution.version());
        assertThat(Files.getPosixFilePermissions(home.resolve("bin/grove")))
                .contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);

        List<String> lib = fileNames(home.resolve("lib"));
        String version = BuiltDistribution.version();
        assertThat(lib).contains("grove-runtime-" + version + ".jar", "grove-api-" + version + ".jar",
                "grove-dashboard-" + version + ".jar");
        assertThat(lib).allMatch(name -> name.endsWith(".jar"))
                .noneMatch(name -> name.startsWith("store-filesystem"))
                .noneMatch(name -> name.startsWith("grove-testing") || name.startsWith("junit") || name.startsWith("assertj"));

        List<String> store = fileNames(home.resolve("plugins/store-filesystem"));
        assertThat(store).contains("store-filesystem-" + version + ".jar")
                .noneMatch(name -> name.startsWith("grove-api"))
                .noneMatch(lib::contains);
        assertThat(fileNames(home.resolve("plugins/transport-direct"))).containsExactly("transport-direct-" + version + ".jar");
        List<String> lan = fileNames(home.resolve("plugins/transport-lan-mdns"));
        assertThat(lan).as("the LAN transport brings JmDNS and the SLF4J it logs through, in its own folder")
                .contains("transport-lan-mdns-" + version + ".jar")
                .anyMatch(name -> name.matches("jmdns-3\\.6\\..*\\.jar"))
                .anyMatch(name -> name.matches("slf4j-api-2\\..*\\.jar"))
                .anyMatch(name -> name.matches("slf4j-jdk14-2\\..*\\.jar"))
                .noneMatch(name -> name.startsWith("grove-api"))
                .noneMatch(lib::contains);
        assertThat(lib).noneMatch(name -> name.startsWith("transport-") || name.startsWith("jmdns"));

        try (InputStream runtimeDefault = getClass().getResourceAsStream("/io/grove/runtime/cell/grove.yaml")) {
            assertThat(runtimeDefault).as("grove.yaml inside the grove-runtime JAR").isNotNull();
            assertThat(Files.readAllBytes(home.resolve("conf/grove.yaml"))).isEqualTo(runtimeDefault.readAllBytes());
        }
        assertThat(Files.readString(home.resolve("README.md"))).contains("Grove " + version, "bin/grove serve", "plugins/");
    }

    @Test
    void zipAndUnpackedFolderHoldTheSameFilesWithTheSameModes() throws IOException {
        Path folder = BuiltDistribution.folder();

        assertThat(listing(home)).isEqualTo(listing(folder)).isNotEmpty();
        try (FileSystem zip = FileSystems.newFileSystem(BuiltDistribution.zip())) {
            try (Stream<Path> top = Files.list(zip.getPath("/"))) {
                assertThat(top.map(p -> p.getFileName().toString().replace("/", "")))
                        .containsExactly("grove-" + BuiltDistribution.version());
            }
        }
    }

    @Test
    void servesHealthPluginsAndDashboardThenStopsCleanlyOnSigterm() throws Exception {
        Path cellDir = tmp.resolve("cell");
        GroveProcesses.Exit init = grove.run("init", "--dir", cellDir.toString());
        assertThat(init.code()).as(init.stderr()).isZero();
        String initId = init.stdout().lines().filter(l -> l.startsWith("Cell id: ")).findFirst().orElseThrow()
                .substring("Cell id: ".length());
        assertThat(Files.readString(cellDir.resolve("grove.yaml"))).isEqualTo(Files.readString(home.resolve("conf/grove.yaml")));

        GroveProcesses.Cell cell = grove.serve(cellDir, SERVE_OPTIONS);

        assertThat(cell.pid()).as("bin/grove execs the JVM, so the cell runs in the launcher's process")
                .isEqualTo(cell.process().pid());
        assertThat(cell.api().getHost()).isEqualTo("127.0.0.1");
        HttpResponse<String> health = get(cell, "/api/v1/health");
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode healthBody = JSON.readTree(health.body());
        assertThat(healthBody.path("status").asText()).isEqualTo("UP");
        assertThat(healthBody.path("cellId").asText()).isEqualTo(CellId.parse(initId).value()).isEqualTo(cell.cellId());
        assertThat(healthBody.path("version").asText()).isEqualTo(BuiltDistribution.version());

        HttpResponse<String> noToken = get(cell, "/api/v1/plugins");
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(noToken.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(noToken.body()).path("status").asInt()).isEqualTo(401);
        HttpResponse<String> wrongToken = get(cell, "/api/v1/plugins", "Authorization", "Bearer " + cell.token() + "x");
        assertThat(wrongToken.statusCode()).isEqualTo(401);
        assertThat(wrongToken.headers().firstValue("Content-Type")).hasValue("application/problem+json");

        HttpResponse<String> plugins = get(cell, "/api/v1/plugins", "Authorization", "Bearer " + cell.token());
        assertThat(plugins.statusCode()).isEqualTo(200);
        JsonNode store = plugin(JSON.readTree(plugins.body()), "store-filesystem");
        assertThat(store.path("state").asText()).isEqualTo("active");
        assertThat(store.path("kind").asText()).isEqualTo("store");
        assertThat(store.path("version").asText()).isEqualTo(BuiltDistribution.version());
        assertThat(Path.of(store.path("location").asText())).isEqualTo(home.resolve("plugins/store-filesystem"));
        assertThat(store.path("instances").toString()).isEqualTo("[\"local\"]");
        for (String transport : List.of("transport-direct", "transport-lan-mdns")) {
            JsonNode bundled = plugin(JSON.readTree(plugins.body()), transport);
            // The default grove.yaml runs both: transports.direct (type direct) and transports.lan (type lan).
            assertThat(bundled.path("state").asText()).as(bundled.toString()).isEqualTo("active");
            assertThat(bundled.path("kind").asText()).isEqualTo("transport");
            assertThat(Path.of(bundled.path("location").asText())).isEqualTo(home.resolve("plugins").resolve(transport));
        }

        HttpResponse<String> dashboard = get(cell, "/");
        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(dashboard.body()).containsIgnoringCase("<!doctype html>");

        grove.stop(cell);
        assertThat(cellDir.resolve("serve.json")).as("removed on clean shutdown").doesNotExist();
        assertThat(Files.readString(cell.log())).as("the JVM has no complaint about the launcher's options")
                .doesNotContain("WARNING: A restricted method", "Unrecognized option");
    }

    @Test
    void listsGoodFailedAndRefusedPluginsAndKeepsServing() throws Exception {
        Path cellDir = tmp.resolve("cell");
        GroveProcesses.Cell first = grove.serve(cellDir, SERVE_OPTIONS);
        grove.stop(first);
        Path plugins = home.resolve("plugins");
        Path greeting = PluginJarBuilder.library()
                .source("hello.lib.Greeting", """
                        package hello.lib;
                        public final class Greeting {
                            public static String type() { return "hello-" + "transport"; }
                        }
                        """)
                .build(plugins.resolve("hello/greeting.jar"));
        PluginJarBuilder.named("hello").version("1.2.3")
                .source("hello.HelloPlugin", """
                        package hello;
                        import io.grove.api.plugin.*;
                        import io.grove.api.transport.*;
                        public final class HelloPlugin implements GrovePlugin {
                            @Override public java.util.List<TransportFactory> transports() {
                                return java.util.List.of(new TransportFactory() {
                                    @Override public String type() { return hello.lib.Greeting.type(); }
                                    @Override public Transport create(PluginContext context, PluginConfig config) {
                                        throw new UnsupportedOperationException("no instance is configured in this test");
                                    }
                                });
                            }
                        }
                        """)
                .service("hello.HelloPlugin").classpath(greeting)
                .build(plugins.resolve("hello/hello.jar"));
        PluginJarBuilder.named("explodes")
                .source("explodes.ExplodingPlugin", """
                        package explodes;
                        public final class ExplodingPlugin implements io.grove.api.plugin.GrovePlugin {
                            public ExplodingPlugin() { throw new IllegalStateException("explodes on purpose"); }
                        }
                        """)
                .service("explodes.ExplodingPlugin")
                .build(plugins.resolve("explodes.jar"));
        PluginJarBuilder.named("future").apiVersion("99.0")
                .source("future.FuturePlugin", "package future; public final class FuturePlugin implements io.grove.api.plugin.GrovePlugin {}")
                .service("future.FuturePlugin")
                .build(plugins.resolve("future.jar"));

        GroveProcesses.Cell cell = grove.serve(cellDir, SERVE_OPTIONS);

        assertThat(cell.cellId()).as("the same cell after a restart").isEqualTo(first.cellId());
        JsonNode list = JSON.readTree(get(cell, "/api/v1/plugins", "Authorization", "Bearer " + cell.token()).body());
        JsonNode hello = plugin(list, "hello");
        assertThat(hello.path("state").asText()).as(hello.toString()).isEqualTo("loaded");
        assertThat(hello.path("version").asText()).isEqualTo("1.2.3");
        assertThat(hello.path("kind").asText()).as("its factory type comes from its own dependency JAR").isEqualTo("transport");
        assertThat(Path.of(hello.path("location").asText())).isEqualTo(plugins.resolve("hello"));
        JsonNode explodes = plugin(list, "explodes");
        assertThat(explodes.path("state").asText()).isEqualTo("failed");
        assertThat(explodes.path("reason").asText()).contains("IllegalStateException", "explodes on purpose");
        JsonNode future = plugin(list, "future");
        assertThat(future.path("state").asText()).isEqualTo("refused");
        assertThat(future.path("reason").asText()).contains("99.0", "API " + GroveApi.VERSION);
        assertThat(plugin(list, "store-filesystem").path("state").asText()).isEqualTo("active");
        assertThat(get(cell, "/api/v1/health").statusCode()).isEqualTo(200);
        assertThat(cell.process().isAlive()).isTrue();
    }

    @Test
    void runsConfiguredDirectAndLanTransportsFromTheirBundledPlugins() throws Exception {
        GroveProcesses.Cell cell = grove.serve(tmp.resolve("cell"), "--port", "0", "--peer-port", "0",
                "--set", "peer.bind=127.0.0.1", "--set", "plugins.fail-on-error=true",
                "--set", "transports.direct.type=direct", "--set", "transports.direct.peers=127.0.0.1:5679",
                "--set", "transports.lan.type=lan", "--set", "transports.lan.interface=127.0.0.1");

        JsonNode list = JSON.readTree(get(cell, "/api/v1/plugins", "Authorization", "Bearer " + cell.token()).body());
        JsonNode direct = plugin(list, "transport-direct");
        assertThat(direct.path("state").asText()).as(direct.toString()).isEqualTo("active");
        assertThat(direct.path("instances").toString()).isEqualTo("[\"direct\"]");
        JsonNode lan = plugin(list, "transport-lan-mdns");
        assertThat(lan.path("state").asText()).as(lan.toString()).isEqualTo("active");
        assertThat(lan.path("instances").toString()).isEqualTo("[\"lan\"]");
        grove.stop(cell);
    }

    @Test
    void lanTransportStartsInItsOwnClassLoaderWithTheLibrariesOfItsFolder() throws Exception {
        PluginRegistry registry = PluginLoader.load(Optional.of(home.resolve("plugins")), false, true);
        TransportFactory lan = registry.<TransportFactory>factory(PluginKind.TRANSPORT, "lan").orElseThrow().factory();
        ClassLoader loader = lan.getClass().getClassLoader();
        Path folder = home.resolve("plugins/transport-lan-mdns");

        Class<?> jmdns = Class.forName("javax.jmdns.JmDNS", false, loader);
        assertThat(Path.of(jmdns.getProtectionDomain().getCodeSource().getLocation().toURI())).startsWith(folder);
        Object slf4j = Class.forName("org.slf4j.LoggerFactory", true, loader).getMethod("getILoggerFactory").invoke(null);
        assertThat(slf4j.getClass().getName()).as("JmDNS logs into java.util.logging, as the cell does")
                .isEqualTo("org.slf4j.jul.JDK14LoggerFactory");
        assertThat(slf4j.getClass().getClassLoader()).isSameAs(loader);

        CellId self = CellId.ofPublicKey(new byte[32]);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try (TestPluginContext context = TestPluginContext.builder(tmp.resolve("cell")).instanceId("lan").cellId(self).build();
             Transport transport = lan.create(context, new MapPluginConfig("transports.lan",
                     Map.of("type", "lan", "interface", "127.0.0.1"), tmp.resolve("cell")))) {
            transport.start(new TransportHost() {
                @Override
                public CellId localCell() {
                    return self;
                }

                @Override
                public int peerPort() {
                    return 5679;
                }

                @Override
                public List<String> knownAddresses(CellId peer) {
                    return List.of();
                }

                @Override
                public PeerResponse handle(PeerRequest request) {
                    throw new UnsupportedOperationException("not in this test");
                }

                @Override
                public void discovered(Route route) {
                }

                @Override
                public void lost(Route route) {
                }
            });
            byte[] otherKey = new byte[32];
            Arrays.fill(otherKey, (byte) 7);
            assertThat(transport.routes(CellId.ofPublicKey(otherKey))).isEmpty();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Test
    void rejectsAnUnknownOptionWithOneLineAndExitCode2() throws Exception {
        GroveProcesses.Exit exit = grove.run("serve", "--bogus");

        assertThat(exit.code()).isEqualTo(2);
        assertThat(exit.stderrLines()).singleElement().satisfies(line -> assertThat(line).startsWith("grove:").contains("--bogus"));
    }

    @Test
    void refusesToServeOnTheApiPortOfARunningCell() throws Exception {
        GroveProcesses.Cell running = grove.serve(tmp.resolve("first"), SERVE_OPTIONS);
        int port = running.api().getPort();

        Path second = tmp.resolve("second");
        GroveProcesses.Exit exit = grove.run("serve", "--dir", second.toString(), "--port", Integer.toString(port),
                "--peer-port", "0", "--set", "peer.bind=127.0.0.1");

        assertThat(exit.code()).isNotZero();
        assertThat(exit.errors()).singleElement().satisfies(line -> assertThat(line).contains(":" + port));
        assertThat(second.resolve("serve.json")).doesNotExist();
        assertThat(get(running, "/api/v1/health").statusCode()).as("the running cell is unharmed").isEqualTo(200);
    }

    @Test
    void refusesInvalidYamlNamingTheFile() throws Exception {
        Path cellDir = tmp.resolve("cell");
        assertThat(grove.run("init", "--dir", cellDir.toString()).code()).isZero();
        Files.writeString(cellDir.resolve("grove.yaml"), "api:\n  port: [5678\npeer: {\n");

        GroveProcesses.Exit exit = grove.run(serveArguments(cellDir));

        assertThat(exit.code()).isNotZero();
        assertThat(exit.errors()).singleElement().satisfies(line -> assertThat(line).contains("grove.yaml"));
        assertThat(cellDir.resolve("serve.json")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"master.key", "ed25519.pem", "x25519.pem"})
    void refusesAKeyFileOthersCanReadAndNeverReplacesIt(String keyFile) throws Exception {
        Path cellDir = tmp.resolve("cell");
        assertThat(grove.run("init", "--dir", cellDir.toString()).code()).isZero();
        Path key = cellDir.resolve("keys").resolve(keyFile);
        byte[] before = Files.readAllBytes(key);
        Set<PosixFilePermission> shared = PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(key, shared);

        GroveProcesses.Exit exit = grove.run(serveArguments(cellDir));

        assertThat(exit.code()).isNotZero();
        assertThat(exit.errors()).singleElement().satisfies(line -> assertThat(line).contains("chmod 600", keyFile));
        assertThat(Files.readAllBytes(key)).as("the key is kept as it was").isEqualTo(before);
        assertThat(Files.getPosixFilePermissions(key)).as("nor silently re-permissioned").isEqualTo(shared);
        assertThat(cellDir.resolve("serve.json")).doesNotExist();
    }

    private static String[] serveArguments(Path cellDir) {
        return Stream.concat(Stream.of("serve", "--dir", cellDir.toString()), Stream.of(SERVE_OPTIONS)).toArray(String[]::new);
    }

    private static HttpResponse<String> get(GroveProcesses.Cell cell, String path, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(cell.api().resolve(path)).timeout(Duration.ofSeconds(20)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode plugin(JsonNode list, String name) {
        assertThat(list.isArray()).as(list.toString()).isTrue();
        for (JsonNode plugin : list) {
            if (plugin.path("name").asText().equals(name)) {
                return plugin;
            }
        }
        throw new AssertionError("no plugin " + name + " in " + list);
    }

    private static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Every path under {@code root} with its permissions, e.g. {@code bin/grove rwxr-xr-x}. */
    private static Set<String> listing(Path root) throws IOException {
        Set<String> entries = new TreeSet<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(p -> !p.equals(root)).toList()) {
                entries.add(root.relativize(p) + " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
            }
        }
        return entries;
    }
}
