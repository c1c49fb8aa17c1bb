package io.grove.transport.lan;

import io.grove.api.CellId;
import io.grove.api.transport.PeerRequest;
import io.grove.api.transport.PeerResponse;
import io.grove.api.transport.Route;
import io.grove.api.transport.TransportHost;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The runtime's edge, faked: a cell id and peer port, and a record of the routes reported, in order. */
final class RecordingHost implements TransportHost {
    private final CellId self;
    private final int peerPort;
    private final List<String> events = new ArrayList<>();
    private final Consumer<String> listener;

    RecordingHost(CellId self, int peerPort, Consumer<String> listener) {
        this.self = self;
        this.peerPort = peerPort;
        this.listener = listener;
    }

    RecordingHost(CellId self) {
        this(self, 0, event -> { });
    }

    static CellId randomCell() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return CellId.ofPublicKey(key);
    }

    /** {@code discovered <cell> <address>} and {@code lost <cell> <address>}, in the order reported. */
    synchronized List<String> events() {
        return List.copyOf(events);
    }

    @Override
    public CellId localCell() {
        return self;
    }

    @Override
    public int peerPort() {
        return peerPort;
    }

    @Override
    public List<String> knownAddresses(CellId peer) {
        return List.of();
    }

    @Override
    public PeerResponse handle(PeerRequest request) {
        throw new UnsupportedOperationException("the LAN transport receives nothing itself");
    }

    @Override
    public void discovered(Route route) {
        record("discovered " + route.peer() + " " + route.address());
    }

    @Override
    public void lost(Route route) {
        record("lost " + route.peer() + " " + route.address());
    }

    private synchronized void record(String event) {
        events.add(event);
        listener.accept(event);
    }
}
