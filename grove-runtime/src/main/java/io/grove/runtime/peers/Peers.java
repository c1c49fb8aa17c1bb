package io.grove.runtime.peers;

import io.grove.api.CellId;
import io.grove.api.transport.Route;
import io.grove.api.transport.Transport;
import io.grove.runtime.peer.PeerClient;
import io.grove.runtime.routes.RouteBook;
import io.grove.runtime.routes.RouteCall;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The fleet as this cell reaches it: the running transports, the signing client, and the way one call finds its
 * route. Thread-safe.
 */
public final class Peers {
    /** The type of the plugin that carries peer requests over direct HTTP (used to reach an invite's leader). */
    public static final String DIRECT_TYPE = "direct";

    private final CellId self;
    private final Map<String, Transport> transports;
    private final Map<String, String> types;
    private final PeerClient client;
    private final Supplier<List<String>> ownRoutes;
    private final RouteBook routes;

    /**
     * @param self       this cell
     * @param transports the running transports by instance id, in configuration order
     * @param types      each instance's plugin type ({@code direct}, {@code lan})
     * @param client     signs and sends requests
     * @param ownRoutes  where this cell's peer socket can be reached ({@code host:port}), to advertise
     * @param routes     ranks the candidate routes and falls back on failure
     */
    public Peers(CellId self, Map<String, Transport> transports, Map<String, String> types, PeerClient client,
                 Supplier<List<String>> ownRoutes, RouteBook routes) {
        this.self = self;
        this.transports = new LinkedHashMap<>(transports);
        this.types = Map.copyOf(types);
        this.client = client;
        this.ownRoutes = ownRoutes;
        this.routes = routes;
    }

    /** The measured, ranked routes and the health of every peer. */
    public RouteBook routes() {
        return routes;
    }

    public CellId self() {
        return self;
    }

    public PeerClient client() {
        return client;
    }

    /** This cell's advertised routes. */
    public List<String> ownRoutes() {
        return ownRoutes.get();
    }



    /**
     * Calls {@code call} on the best route to {@code peer}, trying the next when a route fails. A signed refusal
     * ({@link PeerCallException}) ends the call: the peer answered.
     */
    public <T> T call(CellId peer, RouteCall<T> call) throws IOException {
        return routes.call(peer, call);
    }

    /**
     * Routes over every direct transport to {@code host:port} addresses known outside the roster (an invite code's
     * leader routes).
     */
    public List<Route> direct(CellId peer, List<String> hostPorts) {
        List<Route> routes = new ArrayList<>();
        for (Map.Entry<String, Transport> t : transports.entrySet()) {
            if (DIRECT_TYPE.equals(types.get(t.getKey()))) {
                for (String hostPort : hostPorts) {
                    routes.add(new Route(peer, t.getKey(), URI.create("http://" + hostPort)));
                }
            }
        }
        return routes;
    }

    /** The known addresses of a peer for transports that reach peers by address: what the roster lists. */
    public static Function<CellId, List<String>> fromRoster(Function<CellId, Optional<io.grove.runtime.fleet.Member>> roster) {
        return peer -> roster.apply(peer).map(io.grove.runtime.fleet.Member::routes).orElse(List.of());
    }
}
