package io.grove.api.transport;

import io.grove.api.CellId;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * A carrier of peer messages: direct HTTP, LAN discovery, a WebSocket relay, Tailscale …
 *
 * <p>A transport moves opaque, already signed {@link PeerRequest}s and {@link PeerResponse}s. It never signs,
 * verifies, or interprets them: the runtime does that once, for every carrier alike, so a transport (or a relay
 * it goes through) can neither read sealed content nor forge a message. A transport reports the candidate
 * routes it knows to each peer; the runtime probes and ranks them and picks one per request.
 */
public interface Transport extends AutoCloseable {

    /**
     * Starts the transport: listening, advertising, discovering. Called once, after creation and before any
     * other method.
     *
     * @param host the runtime's side: inbound message handling, discovery callbacks, local identity
     */
    void start(TransportHost host) throws IOException;

    /**
     * Candidate routes to {@code peer} this transport knows now, best first as far as it can tell. May be
     * empty. Must be cheap: the runtime calls it every sync round.
     */
    List<Route> routes(CellId peer);

    /**
     * Sends one request over {@code route} and waits for the response.
     *
     * @param route   a route this transport reported (its {@link Route#transport()} is this instance's id)
     * @param request the signed request; its body is read exactly once
     * @param timeout how long to wait for the response to start
     * @return the response; the caller closes it
     * @throws IOException when the route fails (unreachable, reset, timed out); the runtime then tries the next route
     */
    PeerResponse exchange(Route route, PeerRequest request, Duration timeout) throws IOException;

    /** Stops listening and advertising and releases resources. */
    @Override
    void close() throws IOException;
}
