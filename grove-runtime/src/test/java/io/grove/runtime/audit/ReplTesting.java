package io.grove.runtime.audit;

import io.grove.api.CellId;
import io.grove.api.transport.PeerHttp;
import io.grove.api.transport.PeerRequest;
import io.grove.api.transport.PeerResponse;
import io.grove.api.transport.Route;
import io.grove.api.transport.Transport;
import io.grove.api.transport.TransportHost;
import io.grove.runtime.cell.CellFolder;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.fleet.Member;
import io.grove.runtime.fleet.Membership;
import io.grove.runtime.fleet.Role;
import io.grove.runtime.http.ApiRouting;
import io.grove.runtime.peer.NonceCache;
import io.grove.runtime.peer.PeerHandler;
import io.grove.runtime.peer.PeerOperation;
import io.grove.runtime.peer.PeerSigner;
import io.grove.runtime.peer.PeerVerifier;
import io.helidon.webserver.WebServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test edges shared by the audit and bounty tests: real keys in real cell folders, a roster in memory, and a peer
 * socket on loopback serving chosen operations through the real verifier, handler and signer.
 */
public final class ReplTesting {
    private ReplTesting() {
    }

    /** Fresh keys of a new cell folder in {@code dir}. */
    public static CellKeys keys(Path dir) {
        try {
            CellFolder folder = new CellFolder(dir);
            folder.init(Optional.empty());
            return folder.keys();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A roster in memory. */
    public static final class TestMembership implements Membership {
        private final Map<CellId, Member> members = new ConcurrentHashMap<>();

        public TestMembership add(CellKeys keys) {
            members.put(keys.cellId(), new Member(keys.cellId(), keys.signingPublicKey(), keys.agreementPublicKey(),
                    keys.cellId().shortForm(), Role.MEMBER, false));
            return this;
        }

        @Override
        public Optional<Member> member(CellId cell) {
            return Optional.ofNullable(members.get(cell));
        }

        @Override
        public RosterStamp stamp() {
            return new RosterStamp(1, "ab".repeat(32));
        }
    }

    /** A cell's peer socket on 127.0.0.1 serving {@code operations}; stop it after the test. */
    public static WebServer serve(CellKeys keys, Membership roster, Clock clock, List<PeerOperation> operations) {
        PeerHandler handler = new PeerHandler(new PeerVerifier(keys.cellId(), roster, clock, NonceCache.standard()),
                new PeerSigner(keys, roster, clock), operations);
        return WebServer.builder().host("127.0.0.1").port(0).maxPayloadSize(PeerRequest.MAX_BODY_BYTES)
                .routing(r -> ApiRouting.peer(r, handler)).build().start();
    }

    /** The HTTP carrier of the direct transport ({@link PeerHttp}). */
    public static final class HttpTransport implements Transport {
        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();

        @Override
        public void start(TransportHost host) {
        }

        @Override
        public List<Route> routes(CellId peer) {
            return List.of();
        }

        @Override
        public PeerResponse exchange(Route route, PeerRequest request, Duration timeout) throws IOException {
            return PeerHttp.exchange(client, route.address(), request, timeout);
        }

        @Override
        public void close() {
            client.close();
        }

        public static Route route(CellId peer, int port) {
            return new Route(peer, "http", URI.create("http://127.0.0.1:" + port));
        }
    }
}
