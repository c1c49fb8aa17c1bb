package io.grove.transport.direct;

import io.grove.api.CellId;
import io.grove.api.transport.PeerHttp;
import io.grove.api.transport.PeerRequest;
import io.grove.api.transport.PeerResponse;
import io.grove.api.transport.Route;
import io.grove.api.transport.Transport;
import io.grove.api.transport.TransportHost;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Sends peer requests as {@code POST /peer/v1/{operation}} over HTTP/1.1 to a peer's socket with the JDK's HTTP
 * client, streaming bodies both ways. It neither signs nor verifies: the runtime does, for every transport.
 */
final class DirectTransport implements Transport {
    private final String id;
    private final List<PeerAddress> peers;
    private final Duration connectTimeout;
    private final Duration maxTimeout;
    private final Executor executor;
    private final System.Logger log;
    private volatile TransportHost host;
    private volatile HttpClient client;

    DirectTransport(String id, List<PeerAddress> peers, Duration connectTimeout, Duration maxTimeout, Executor executor,
                    System.Logger log) {
        this.id = id;
        this.peers = List.copyOf(peers);
        this.connectTimeout = connectTimeout;
        this.maxTimeout = maxTimeout;
        this.executor = executor;
        this.log = log;
    }

    @Override
    public void start(TransportHost host) {
        this.host = host;
        // HTTP/1.1 only: the peer socket speaks it, and one stream per connection keeps large bodies independent.
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
        log.log(System.Logger.Level.INFO, "direct transport {0} started with {1} configured peer address(es)", id,
                peers.size());
    }

    @Override
    public List<Route> routes(CellId peer) {
        TransportHost current = host;
        if (current == null) {
            return List.of();
        }
        Set<URI> addresses = new LinkedHashSet<>();
        // Addresses bound to this peer first, then what the cell learned, then addresses offered for any peer.
        peers.stream().filter(p -> p.cell().filter(peer::equals).isPresent()).forEach(p -> addresses.add(p.address()));
        for (String known : current.knownAddresses(peer)) {
            try {
                addresses.add(PeerAddress.uri(known));
            } catch (IllegalArgumentException e) {
                log.log(System.Logger.Level.DEBUG, "ignoring known address that is not host:port for {0}", peer.shortForm());
            }
        }
        peers.stream().filter(p -> p.cell().isEmpty()).forEach(p -> addresses.add(p.address()));
        List<Route> routes = new ArrayList<>(addresses.size());
        for (URI address : addresses) {
            routes.add(new Route(peer, id, address));
        }
        return routes;
    }

    @Override
    public PeerResponse exchange(Route route, PeerRequest request, Duration timeout) throws IOException {
        HttpClient http = client;
        if (http == null) {
            throw new IOException("direct transport " + id + " is not started");
        }
        if (!id.equals(route.transport()) || !"http".equals(route.address().getScheme())) {
            throw new IOException("route " + route.address() + " does not belong to direct transport " + id);
        }
        Duration bounded = timeout.isNegative() || timeout.isZero() || timeout.compareTo(maxTimeout) > 0 ? maxTimeout : timeout;
        return PeerHttp.exchange(http, route.address(), request, bounded);
    }

    @Override
    public void close() {
        HttpClient http = client;
        client = null;
        if (http != null) {
            http.shutdownNow();
        }
    }
}
