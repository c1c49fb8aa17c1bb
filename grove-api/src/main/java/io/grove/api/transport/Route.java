package io.grove.api.transport;

import io.grove.api.CellId;

import java.net.URI;

/**
 * One way to reach a peer: through which transport instance, at which address.
 *
 * @param peer      the cell at the other end
 * @param transport the id of the transport instance that carries it ({@code direct}, {@code lan})
 * @param address   where, in the transport's own scheme ({@code http://192.168.1.7:5679}, {@code relay://…})
 */
public record Route(CellId peer, String transport, URI address) {
    public Route {
        if (peer == null || transport == null || transport.isBlank() || address == null) {
            throw new IllegalArgumentException("a route needs a peer, a transport id and an address");
        }
    }
}
