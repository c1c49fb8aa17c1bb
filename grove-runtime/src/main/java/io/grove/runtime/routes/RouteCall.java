package io.grove.runtime.routes;

import io.grove.api.transport.Route;

import java.io.IOException;

/**
 * One attempt of a peer call over one route, as {@link RouteBook#call} makes it. An {@link IOException} means the
 * route failed and the next one is tried; a {@link io.grove.runtime.peer.PeerCallException} (a signed refusal) means
 * the peer answered, so no other route is tried.
 *
 * @param <T> what the call returns
 */
@FunctionalInterface
public interface RouteCall<T> {
    T on(Route route) throws IOException;
}
