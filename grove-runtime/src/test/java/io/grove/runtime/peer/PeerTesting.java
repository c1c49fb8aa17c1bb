package io.grove.runtime.peer;

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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Small test doubles at the true edges of the peer protocol: keys on disk, a roster, a clock, an HTTP carrier. */
public final class PeerTesting {
    private PeerTesting() {
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

    /** The roster entry of {@code keys}: a member, labelled with its short id. */
    public static Member member(CellKeys keys) {
        return new Member(keys.cellId(), keys.signingPublicKey(), keys.agreementPublicKey(),
                keys.cellId().shortForm(), Role.MEMBER, false);
    }

    /** A roster in memory, to add and revoke members. */
    public static final class TestMembership implements Membership {
        private final Map<CellId, Member> members = new ConcurrentHashMap<>();

        public TestMembership add(CellKeys keys) {
            members.put(keys.cellId(), PeerTesting.member(keys));
            return this;
        }

        public void revoke(CellId cell) {
            members.remove(cell);
        }

        @Override
        public Optional<Member> member(CellId cell) {
            return Optional.ofNullable(members.get(cell));
        }

        @Override
        public RosterStamp stamp() {
            return new RosterStamp(7, "ab".repeat(32));
        }
    }


    /** The HTTP carrier the direct transport uses ({@link PeerHttp}), without the plugin's class loading. */
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
