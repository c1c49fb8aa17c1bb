package io.grove.runtime.peers;

import io.grove.api.CellId;
import io.grove.api.transport.Route;
import io.grove.api.transport.Transport;
import io.grove.runtime.peer.PeerCallException;
import io.grove.runtime.peer.PeerClient;

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
    private volatile RouteChooser chooser;

    /**
     * @param self       this cell
     * @param transports the running transports by instance id, in configuration order
     * @param types      each instance's plugin type ({@code direct}, {@code lan})
     * @param client     signs and sends requests
     * @param ownRoutes  where this cell's peer socket can be reached ({@code host:port}), to advertise
     */
    public Peers(CellId self, Map<String, Transport> transports, Map<String, String> types, PeerClient client,
                 Supplier<List<String>> ownRoutes) {
        this.self = self;
        this.transports = new LinkedHashMap<>(transports);
        this.types = Map.copyOf(types);
        this.client = client;
        this.ownRoutes = ownRoutes;
        this.chooser = this::inOrder;
    }

    /** The ranking of the routes layer decides from now on (best first, with fallback). */
    public void chooseWith(RouteChooser chooser) {
        this.chooser = chooser;
    }

    /** How a call finds its route to a peer. */
    @FunctionalInterface
    public interface RouteChooser {
        /** Calls {@code call} on the best route to {@code peer}, falling back on failure. */
        <T> T call(CellId peer, RouteCall<T> call) throws IOException;
    }

    /** One attempt of a call over one route. */
    @FunctionalInterface
    public interface RouteCall<T> {
        T on(Route route) throws IOException;
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

    /** The running transport of an id. */
    public Optional<Transport> transport(String id) {
        return Optional.ofNullable(transports.get(id));
    }

    /** Every running transport by id. */
    public Map<String, Transport> transports() {
        return Map.copyOf(transports);
    }

    /** The candidate routes every transport reports for {@code peer}, in transport order. */
    public List<Route> candidates(CellId peer) {
        List<Route> routes = new ArrayList<>();
        for (Transport transport : transports.values()) {
            routes.addAll(transport.routes(peer));
        }
        return routes;
    }

    /**
     * Calls {@code call} on the best route to {@code peer}, trying the next when a route fails. A signed refusal
     * ({@link PeerCallException}) ends the call: the peer answered.
     */
    public <T> T call(CellId peer, RouteCall<T> call) throws IOException {
        return chooser.call(peer, call);
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

    private <T> T inOrder(CellId peer, RouteCall<T> call) throws IOException {
        List<Route> routes = candidates(peer);
        if (routes.isEmpty()) {
            throw new IOException("no route to " + peer.shortForm() + " (no transport knows an address for it)");
        }
        IOException failure = null;
        for (Route route : routes) {
            try {
                return call.on(route);
            } catch (PeerCallException e) {
                throw e; // the peer answered and refused: another route to it will not change its mind
            } catch (IOException e) {
                if (failure == null) {
                    failure = new IOException("every route to " + peer.shortForm() + " failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        throw failure;
    }

    /** The known addresses of a peer for transports that reach peers by address: what the roster lists. */
    public static Function<CellId, List<String>> fromRoster(Function<CellId, Optional<io.grove.runtime.fleet.Member>> roster) {
        return peer -> roster.apply(peer).map(io.grove.runtime.fleet.Member::routes).orElse(List.of());
    }
}
