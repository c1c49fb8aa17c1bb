package io.grove.runtime.routes;

import io.grove.api.CellId;
import io.grove.api.transport.PeerHttp;
import io.grove.api.transport.PeerRequest;
import io.grove.api.transport.PeerResponse;
import io.grove.api.transport.Route;
import io.grove.api.transport.Transport;
import io.grove.api.transport.TransportHost;
import io.grove.runtime.cell.CellFolder;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.db.Database;
import io.grove.runtime.fleet.Member;
import io.grove.runtime.fleet.Role;
import io.grove.runtime.fleet.RosterBook;
import io.grove.runtime.fleet.RosterParameters;
import io.grove.runtime.peer.PeerClient;
import io.grove.runtime.peer.PeerSigner;
import io.grove.runtime.testing.TestCell;
import io.grove.testing.ManualClock;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Real cells and real sockets for route tests. The "self" side is a cell folder with its own keys, SQLite database
 * and roster (it leads a fleet of its own listing the peers); the peers are whole {@link TestCell}s whose rosters list
 * self, so they answer its signed requests. The transports are the HTTP carrier of the protocol with routes the test
 * sets, an optional delay, and a log of what they carried.
 */
final class RouteTesting {
    static final Instant START = Instant.parse("2026-01-01T10:00:00Z");

    private RouteTesting() {
    }

    static Member member(CellKeys keys, String label) {
        return new Member(keys.cellId(), keys.signingPublicKey(), keys.agreementPublicKey(), label, Role.MEMBER, false);
    }

    /** A peer cell whose roster (a fleet it leads) lets {@code self} talk to it. */
    static void admit(TestCell peer, CellKeys self) {
        RosterBook roster = peer.cell().roster();
        if (roster.current().isEmpty()) {
            roster.create("peer", RosterParameters.DEFAULTS);
        }
        roster.add(member(self, "self"));
    }

    /** A port on loopback where nothing listens (bound, then closed). */
    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static URI loopback(int port) {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** This cell's side: keys, database, roster, a manual clock for the book and transports by id. */
    static final class Self implements AutoCloseable {
        final CellKeys keys;
        final Database db;
        final RosterBook roster;
        final ManualClock clock = new ManualClock(START);
        final Map<String, TestTransport> transports = new LinkedHashMap<>();
        private final List<RouteBook> books = new ArrayList<>();

        Self(Path dir, List<TestCell> peers, TestTransport... carriers) throws IOException {
            CellFolder folder = new CellFolder(Files.createDirectories(dir));
            folder.init(Optional.empty());
            keys = folder.keys();
            db = Database.open(folder.database());
            roster = new RosterBook(db, keys, Clock.systemUTC());
            roster.create("self", RosterParameters.DEFAULTS);
            for (TestCell peer : peers) {
                admit(peer, keys);
                roster.add(member(peer.cell().folder().keys(), "peer-" + peer.cell().id().shortForm()));
            }
            for (TestTransport carrier : carriers) {
                transports.put(carrier.id, carrier);
            }
        }

        /** A book over this side's database; the signatures use the real clock, the book the manual one. */
        RouteBook book(RouteSettings settings) {
            PeerSigner signer = new PeerSigner(keys, roster, Clock.systemUTC());
            PeerClient client = PeerClient.of(signer, Map.copyOf(transports), Duration.ofSeconds(5));
            RouteBook book = new RouteBook(db, client, new LinkedHashMap<String, Transport>(transports), roster, keys.cellId(), clock, settings);
            books.add(book);
            return book;
        }

        PeerClient client() {
            return PeerClient.of(new PeerSigner(keys, roster, Clock.systemUTC()), Map.copyOf(transports),
                    Duration.ofSeconds(5));
        }

        @Override
        public void close() {
            books.forEach(RouteBook::close);
            transports.values().forEach(TestTransport::close);
        }
    }

    /**
     * One carried request: the operation, the route's peer and address, and the body length.
     */
    record Carried(String operation, CellId peer, URI address, long bodyLength) {
    }

    /** The protocol's HTTP carrier ({@link PeerHttp}) with routes set by the test. */
    static final class TestTransport implements Transport {
        final String id;
        private final Duration delay;
        private final Map<CellId, List<URI>> routes = new ConcurrentHashMap<>();
        final List<Carried> carried = new CopyOnWriteArrayList<>();
        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();

        TestTransport(String id, Duration delay) {
            this.id = id;
            this.delay = delay;
        }

        TestTransport routes(CellId peer, URI... addresses) {
            routes.put(peer, List.of(addresses));
            return this;
        }

        Route route(CellId peer, URI address) {
            return new Route(peer, id, address);
        }

        long count(CellId peer, long bodyLength) {
            return carried.stream().filter(c -> c.peer().equals(peer) && c.bodyLength() == bodyLength).count();
        }

        long count(CellId peer) {
            return carried.stream().filter(c -> c.peer().equals(peer)).count();
        }

        @Override
        public void start(TransportHost host) {
        }

        @Override
        public List<Route> routes(CellId peer) {
            return routes.getOrDefault(peer, List.of()).stream().map(a -> new Route(peer, id, a)).toList();
        }

        @Override
        public PeerResponse exchange(Route route, PeerRequest request, Duration timeout) throws IOException {
            carried.add(new Carried(request.operation(), route.peer(), route.address(), request.bodyLength()));
            if (!delay.isZero()) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            return PeerHttp.exchange(client, route.address(), request, timeout);
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /**
     * A TCP relay on loopback to a target port: a second, real route to the same peer socket that the test can cut.
     * Closing it closes the listening socket and every relayed connection.
     */
    static final class Forwarder implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        Forwarder(int targetPort) throws IOException {
            server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
            acceptor = Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket in = server.accept();
                        Socket out = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                        sockets.add(in);
                        sockets.add(out);
                        pipe(in, out);
                        pipe(out, in);
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        private void pipe(Socket from, Socket to) {
            Thread.ofVirtual().start(() -> {
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    in.transferTo(out);
                } catch (IOException e) {
                    // the other side or the test closed the connection
                } finally {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            });
        }

        @Override
        public void close() throws IOException {
            server.close();
            sockets.forEach(Forwarder::closeQuietly);
            try {
                acceptor.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
