package io.grove.transport.direct;

import io.grove.api.CellId;

import java.net.URI;
import java.util.Optional;

/**
 * A configured peer socket: {@code host:port}, optionally bound to one cell as {@code CELLID@host:port}.
 *
 * @param cell    the cell it belongs to, or empty to offer it for every peer (the runtime's signature check
 *                rejects answers from any other cell than the one asked)
 * @param address {@code http://host:port}
 */
record PeerAddress(Optional<CellId> cell, URI address) {
    PeerAddress {
        if (cell == null || address == null) {
            throw new IllegalArgumentException("a peer address needs an address");
        }
    }

    /** Parses {@code host:port} or {@code CELLID@host:port}; IPv6 hosts in brackets. */
    static PeerAddress parse(String text) {
        String trimmed = text.strip();
        Optional<CellId> cell = Optional.empty();
        int at = trimmed.indexOf('@');
        if (at >= 0) {
            cell = Optional.of(CellId.parse(trimmed.substring(0, at)));
            trimmed = trimmed.substring(at + 1);
        }
        return new PeerAddress(cell, uri(trimmed));
    }

    /** The HTTP base URI of a {@code host:port}. */
    static URI uri(String hostPort) {
        URI uri;
        try {
            uri = URI.create("http://" + hostPort);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not host:port: " + hostPort);
        }
        if (uri.getHost() == null || uri.getPort() < 1 || uri.getPort() > 65535 || uri.getRawPath().length() > 0
                || uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("not host:port: " + hostPort);
        }
        return uri;
    }
}
