package io.grove.runtime.stats;

import io.grove.api.CellId;
import io.grove.api.transport.PeerRequest;
import io.grove.api.transport.PeerResponse;
import io.grove.api.transport.Route;
import io.grove.api.transport.Transport;
import io.grove.api.transport.TransportHost;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * A transport as the peer client sees it, counting what each exchange sends and receives in the cell's
 * {@link TransferMeter}. Only {@link #exchange} is used through it; starting and closing stay with the cell's own
 * reference to the plugin's instance.
 */
public final class MeteredTransport implements Transport {
    private final Transport transport;
    private final TransferMeter meter;

    public MeteredTransport(Transport transport, TransferMeter meter) {
        this.transport = transport;
        this.meter = meter;
    }

    @Override
    public void start(TransportHost host) throws IOException {
        transport.start(host);
    }

    @Override
    public List<Route> routes(CellId peer) {
        return transport.routes(peer);
    }

    @Override
    public PeerResponse exchange(Route route, PeerRequest request, Duration timeout) throws IOException {
        PeerResponse response = transport.exchange(route, request, timeout);
        meter.record(TransferMeter.Kind.PEER_OUT, request.bodyLength());
        meter.record(TransferMeter.Kind.PEER_IN, response.bodyLength());
        return response;
    }

    @Override
    public void close() throws IOException {
        transport.close();
    }
}
