package io.grove.transport.lan;

import com.sun.net.httpserver.HttpServer;
import io.grove.api.CellId;
import io.grove.api.GroveApi;
import io.grove.api.plugin.GrovePlugin;
import io.grove.api.transport.PeerRequest;
import io.grove.api.transport.PeerResponse;
import io.grove.api.transport.Route;
import io.grove.api.transport.Transport;
import io.grove.api.transport.TransportFactory;
import io.grove.testing.MapPluginConfig;
import io.grove.testing.TestPluginContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code lan} transport as the runtime sees it: found by the ServiceLoader, configured and refused by keys, and
 * carrying a request to a peer socket on loopback exactly as the direct transport does. Discovery between two
 * cells is {@link LanDiscoveryTest}.
 */
class LanTransportPluginTest {
    @TempDir
    Path cellDir;
    private TestPluginContext context;
    private HttpServer peerSocket;

    @BeforeEach
    void startPeerSocket() throws IOException {
        context = TestPluginContext.builder(cellDir).instanceId("lan").build();
        peerSocket = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        peerSocket.createContext("/peer/v1/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            byte[] reply = ("echo:" + new String(body, StandardCharsets.UTF_8) + " from "
                    + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("grove-responder", exchange.getRequestHeaders().getFirst("grove-sender"));
            exchange.sendResponseHeaders(200, reply.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply);
            }
        });
        peerSocket.start();
    }

    @AfterEach
    void stop() {
        peerSocket.stop(0);
        context.close();
    }

    @Test
    void isFoundByServiceLoaderWithOneLanFactory() throws IOException {
        assertThat(ServiceLoader.load(GrovePlugin.class).stream().map(ServiceLoader.Provider::type))
                .containsExactly(LanTransportPlugin.class);
        Properties descriptor = new Properties();
        try (InputStream in = LanTransportPlugin.class.getResourceAsStream("/META-INF/grove-plugin.properties")) {
            descriptor.load(in);
        }
        assertThat(descriptor.getProperty("name")).isEqualTo("transport-lan-mdns");
        assertThat(descriptor.getProperty("api-version")).isEqualTo(GroveApi.VERSION);
        TransportFactory factory = new LanTransportPlugin().transports().get(0);
        assertThat(factory.type()).isEqualTo("lan");
        assertThat(factory.configProperties()).extracting(p -> p.key())
                .containsExactly("interface", "advertise", "connect-timeout", "max-timeout");
    }

    @Test
    void carriesARequestOverALanRouteLikeTheDirectTransport() throws IOException {
        try (Transport transport = create(Map.of("interface", "127.0.0.1"))) {
            transport.start(new RecordingHost(context.cellId(), peerSocket.getAddress().getPort(), e -> { }));
            Route route = new Route(RecordingHost.randomCell(), "lan",
                    URI.create("http://127.0.0.1:" + peerSocket.getAddress().getPort()));
            byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
            PeerRequest request = new PeerRequest("ping", Map.of("grove-sender", "me"), body.length,
                    new ByteArrayInputStream(body));

            try (PeerResponse response = transport.exchange(route, request, Duration.ofSeconds(5))) {
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.headers()).containsEntry("grove-responder", "me");
                assertThat(new String(response.body().readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("echo:hello from /peer/v1/ping");
            }
        }
    }

    @Test
    void refusesRoutesOfAnotherTransport() throws IOException {
        try (Transport transport = create(Map.of("interface", "lo", "advertise", false))) {
            transport.start(new RecordingHost(context.cellId()));
            Route direct = new Route(RecordingHost.randomCell(), "direct",
                    URI.create("http://127.0.0.1:" + peerSocket.getAddress().getPort()));
            PeerRequest request = new PeerRequest("ping", Map.of(), 0, InputStream.nullInputStream());

            assertThatThrownBy(() -> transport.exchange(direct, request, Duration.ofSeconds(2)))
                    .isInstanceOf(IOException.class).hasMessageContaining("does not belong to LAN transport lan");
        }
    }

    @Test
    void reportsNoRoutesBeforeAnyCellIsHeard() throws IOException {
        try (Transport transport = create(Map.of("interface", List.of("127.0.0.1")))) {
            CellId peer = RecordingHost.randomCell();
            assertThat(transport.routes(peer)).isEmpty();
            transport.start(new RecordingHost(context.cellId()));
            assertThat(transport.routes(peer)).isEmpty();
        }
    }

    @Test
    void stopsItsMdnsThreadsWhenClosed() throws Exception {
        String hostName = "grove-" + context.cellId().shortForm().toLowerCase(java.util.Locale.ROOT);
        Transport transport = create(Map.of("interface", "127.0.0.1"));
        transport.start(new RecordingHost(context.cellId(), peerSocket.getAddress().getPort(), e -> { }));
        assertThat(threadsNamed(hostName)).as("JmDNS runs threads named after the host it announces").isNotEmpty();

        transport.close();

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!threadsNamed(hostName).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(threadsNamed(hostName)).isEmpty();
    }

    private static List<String> threadsNamed(String part) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.contains(part)).toList();
    }

    @Test
    void refusesMalformedConfigurationNamingTheKey() {
        assertThatThrownBy(() -> create(Map.of("interface", "eth0; rm -rf /")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("transports.lan.interface");
        assertThatThrownBy(() -> create(Map.of("interface", List.of("a", "b", "c", "d", "e", "f", "g", "h", "i"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 8");
        assertThatThrownBy(() -> create(Map.of("connect-timeout", "0s")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("transports.lan.connect-timeout");
    }

    @Test
    void failsToStartOnAnInterfaceThisMachineLacks() {
        Transport unknownName = create(Map.of("interface", "grove-nope0"));
        assertThatThrownBy(() -> unknownName.start(new RecordingHost(context.cellId())))
                .isInstanceOf(IOException.class).hasMessageContaining("transports.lan.interface", "grove-nope0");
        Transport foreignAddress = create(Map.of("interface", "192.0.2.254"));
        assertThatThrownBy(() -> foreignAddress.start(new RecordingHost(context.cellId())))
                .isInstanceOf(IOException.class).hasMessageContaining("no interface of this machine has the address");
    }

    private Transport create(Map<String, ?> settings) {
        Map<String, Object> values = new HashMap<>(settings);
        values.put("type", "lan");
        TransportFactory factory = new LanTransportPlugin().transports().get(0);
        return factory.create(context, new MapPluginConfig("transports.lan", values, cellDir));
    }
}
