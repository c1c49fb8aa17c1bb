package io.grove.transport.direct;

import com.sun.net.httpserver.HttpServer;
import io.grove.api.CellId;
import io.grove.api.GroveApi;
import io.grove.api.plugin.GrovePlugin;
import io.grove.api.transport.PeerRequest;
import io.grove.api.transport.PeerResponse;
import io.grove.api.transport.Route;
import io.grove.api.transport.Transport;
import io.grove.api.transport.TransportFactory;
import io.grove.api.transport.TransportHost;
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
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The transport contract for {@code direct}, against a real loopback HTTP server standing in for a peer socket:
 * it carries grove-* headers and bodies unchanged both ways, with lengths, reports configured and known routes,
 * and fails a dead route with an {@link IOException}.
 */
class DirectTransportTest {
    private static final CellId PEER = randomCell();
    private static final CellId OTHER = randomCell();

    @TempDir
    Path cellDir;
    private HttpServer server;
    private final AtomicReference<String> seenPath = new AtomicReference<>();
    private final AtomicReference<String> seenSender = new AtomicReference<>();
    private TestPluginContext context;

    @BeforeEach
    void startPeerSocket() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/peer/v1/", exchange -> {
            seenPath.set(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            seenSender.set(exchange.getRequestHeaders().getFirst("grove-sender"));
            byte[] body = exchange.getRequestBody().readAllBytes();
            byte[] reply = new byte[5 + body.length];
            System.arraycopy("echo:".getBytes(StandardCharsets.US_ASCII), 0, reply, 0, 5);
            System.arraycopy(body, 0, reply, 5, body.length);
            exchange.getResponseHeaders().add("grove-responder", "them");
            exchange.getResponseHeaders().add("X-Other", "not carried");
            exchange.sendResponseHeaders(202, reply.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply);
            }
        });
        server.start();
        context = TestPluginContext.builder(cellDir).instanceId("direct").build();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        context.close();
    }

    @Test
    void isFoundByServiceLoaderWithOneDirectFactory() throws IOException {
        assertThat(ServiceLoader.load(GrovePlugin.class).stream().map(ServiceLoader.Provider::type))
                .containsExactly(DirectTransportPlugin.class);
        Properties descriptor = new Properties();
        try (InputStream in = DirectTransportPlugin.class.getResourceAsStream("/META-INF/grove-plugin.properties")) {
            descriptor.load(in);
        }
        assertThat(descriptor.getProperty("name")).isEqualTo("transport-direct");
        assertThat(descriptor.getProperty("api-version")).isEqualTo(GroveApi.VERSION);
        assertThat(new DirectTransportPlugin().transports()).singleElement()
                .satisfies(f -> assertThat(f.type()).isEqualTo("direct"));
    }

    @Test
    void carriesHeadersAndBodiesBothWays() throws IOException {
        try (Transport transport = create(List.of("127.0.0.1:" + server.getAddress().getPort()))) {
            transport.start(host(List.of()));
            Route route = transport.routes(PEER).get(0);
            byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
            PeerRequest request = new PeerRequest("chunk.get", Map.of("grove-sender", "me", "grove-nonce", "n"),
                    body.length, new ByteArrayInputStream(body));
            try (PeerResponse response = transport.exchange(route, request, Duration.ofSeconds(5))) {
                assertThat(response.status()).isEqualTo(202);
                assertThat(response.headers()).containsEntry("grove-responder", "them").doesNotContainKey("x-other");
                assertThat(response.bodyLength()).isEqualTo(10);
                assertThat(new String(response.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("echo:hello");
            }
            assertThat(seenPath.get()).isEqualTo("POST /peer/v1/chunk.get");
            assertThat(seenSender.get()).isEqualTo("me");
        }
    }

    @Test
    void streamsAMegabyteBody() throws IOException {
        try (Transport transport = create(List.of("127.0.0.1:" + server.getAddress().getPort()))) {
            transport.start(host(List.of()));
            byte[] body = new byte[1 << 20];
            new SecureRandom().nextBytes(body);
            PeerRequest request = new PeerRequest("ping", Map.of(), body.length, new ByteArrayInputStream(body));
            try (PeerResponse response = transport.exchange(transport.routes(PEER).get(0), request, Duration.ofSeconds(10))) {
                assertThat(response.bodyLength()).isEqualTo(body.length + 5);
                assertThat(response.body().readAllBytes()).hasSize(body.length + 5);
            }
        }
    }

    @Test
    void offersBoundThenKnownThenSharedAddresses() throws IOException {
        try (Transport transport = create(List.of("10.0.0.9:5679", PEER.value() + "@10.0.0.1:5679",
                OTHER.grouped() + "@10.0.0.2:5679"))) {
            transport.start(host(List.of("192.168.1.7:5679", "not an address")));
            assertThat(transport.routes(PEER)).extracting(Route::address).containsExactly(
                    URI.create("http://10.0.0.1:5679"), URI.create("http://192.168.1.7:5679"),
                    URI.create("http://10.0.0.9:5679"));
            assertThat(transport.routes(PEER)).allSatisfy(r -> assertThat(r.transport()).isEqualTo("direct"));
        }
    }

    @Test
    void failsADeadRouteWithAnIOException() throws IOException {
        int dead;
        try (ServerSocket socket = new ServerSocket(0)) {
            dead = socket.getLocalPort();
        }
        try (Transport transport = create(List.of("127.0.0.1:" + dead))) {
            transport.start(host(List.of()));
            PeerRequest request = new PeerRequest("ping", Map.of(), 0, InputStream.nullInputStream());
            assertThatThrownBy(() -> transport.exchange(transport.routes(PEER).get(0), request, Duration.ofSeconds(2)))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void refusesMalformedPeerAddresses() {
        assertThatThrownBy(() -> create(List.of("no-port")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("transports.direct.peers");
    }

    private Transport create(List<String> peers) {
        TransportFactory factory = new DirectTransportPlugin().transports().get(0);
        return factory.create(context, new MapPluginConfig("transports.direct",
                Map.of("type", "direct", "peers", peers, "connect-timeout", "2s"), cellDir));
    }

    private static TransportHost host(List<String> known) {
        return new TransportHost() {
            @Override
            public CellId localCell() {
                return OTHER;
            }

            @Override
            public int peerPort() {
                return 0;
            }

            @Override
            public List<String> knownAddresses(CellId peer) {
                return known;
            }

            @Override
            public PeerResponse handle(PeerRequest request) {
                throw new UnsupportedOperationException("the direct transport receives nothing itself");
            }

            @Override
            public void discovered(Route route) {
            }

            @Override
            public void lost(Route route) {
            }
        };
    }

    private static CellId randomCell() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return CellId.ofPublicKey(key);
    }
}
