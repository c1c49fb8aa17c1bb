package io.grove.runtime.peer;

import io.grove.api.CellId;
import io.grove.api.transport.PeerRequest;
import io.grove.api.transport.PeerResponse;
import io.grove.api.transport.Route;
import io.grove.api.transport.TransportHost;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * The runtime's side of every transport: requests a carrier receives itself (a relay) go through the same
 * {@link PeerHandler} as those on the peer socket, so they are verified and answered exactly alike. Discovered
 * and lost routes go to the route book, which ranks members' routes and lists other cells as nearby.
 */
public final class PeerTransportHost implements TransportHost {
    private static final System.Logger LOG = System.getLogger(PeerTransportHost.class.getName());
    private static final int MAX_KNOWN_ADDRESSES = 16;

    private final CellId self;
    private final IntSupplier peerPort;
    private final Function<CellId, List<String>> knownAddresses;
    private final PeerHandler handler;
    private final Consumer<Route> discovered;
    private final Consumer<Route> lost;

    /**
     * @param self           this cell
     * @param peerPort       the port of the peer socket, once it listens
     * @param knownAddresses addresses learned for a peer from rosters and invites ({@code host:port})
     * @param handler        the handler of the peer socket
     */
    public PeerTransportHost(CellId self, IntSupplier peerPort, Function<CellId, List<String>> knownAddresses,
                             PeerHandler handler) {
        this(self, peerPort, knownAddresses, handler, route -> { }, route -> { });
    }

    /**
     * @param discovered where routes that transports discover go (the route book; it trusts nothing about them)
     * @param lost       where routes that transports lose go
     */
    public PeerTransportHost(CellId self, IntSupplier peerPort, Function<CellId, List<String>> knownAddresses,
                             PeerHandler handler, Consumer<Route> discovered, Consumer<Route> lost) {
        if (self == null || peerPort == null || knownAddresses == null || handler == null || discovered == null
                || lost == null) {
            throw new IllegalArgumentException("a transport host needs the cell, its peer port, addresses and a handler");
        }
        this.self = self;
        this.peerPort = peerPort;
        this.knownAddresses = knownAddresses;
        this.handler = handler;
        this.discovered = discovered;
        this.lost = lost;
    }

    @Override
    public CellId localCell() {
        return self;
    }

    @Override
    public int peerPort() {
        return peerPort.getAsInt();
    }

    @Override
    public List<String> knownAddresses(CellId peer) {
        List<String> known = knownAddresses.apply(peer);
        return known.size() > MAX_KNOWN_ADDRESSES ? List.copyOf(known.subList(0, MAX_KNOWN_ADDRESSES)) : List.copyOf(known);
    }

    @Override
    public PeerResponse handle(PeerRequest request) {
        return handler.handle(request);
    }

    @Override
    public void discovered(Route route) {
        LOG.log(System.Logger.Level.DEBUG, "route to {0} discovered via {1}", route.peer().shortForm(), route.transport());
        discovered.accept(route);
    }

    @Override
    public void lost(Route route) {
        LOG.log(System.Logger.Level.DEBUG, "route to {0} via {1} lost", route.peer().shortForm(), route.transport());
        lost.accept(route);
    }
}
