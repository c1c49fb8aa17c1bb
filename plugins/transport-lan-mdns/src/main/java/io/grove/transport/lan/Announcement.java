package io.grove.transport.lan;

import io.grove.api.CellId;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one {@code _grove._tcp} service instance on the LAN says about a cell, once checked: its id and the
 * peer-socket addresses to try. Nothing here is trusted: the runtime lists a cell that is not a member as nearby
 * only, and verifies a member's signature on every answer.
 *
 * <p>The DNS-SD record set (RFC 6763) of a cell: instance name = the cell id; SRV = its host and peer port; TXT =
 * {@code txtvers=1}, {@code id=<cell id>} and {@code v=<peer protocol version>}. The TXT id is authoritative
 * (an instance name may have been renamed by mDNS conflict resolution, RFC 6762 §9).
 *
 * @param cell      the announced cell
 * @param addresses {@code http://host:port} of its peer socket, IPv4 first, at most {@link #MAX_ADDRESSES}
 */
record Announcement(CellId cell, List<URI> addresses) {
    /** The DNS-SD service type, fully qualified as JmDNS wants it. */
    static final String SERVICE_TYPE = "_grove._tcp.local.";
    /** The TXT key of the cell id. */
    static final String KEY_ID = "id";
    /** The TXT key of the peer protocol version (the {@code v1} of {@code /peer/v1/}). */
    static final String KEY_VERSION = "v";
    /** The peer protocol version spoken here. */
    static final String PROTOCOL_VERSION = "1";
    /** The most addresses taken from one announcement. */
    static final int MAX_ADDRESSES = 4;
    /** The longest TXT value looked at; a cell id has 56 characters (64 with dashes). */
    private static final int MAX_VALUE_LENGTH = 80;

    Announcement {
        if (cell == null || addresses == null || addresses.isEmpty() || addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException("an announcement needs a cell and 1 to " + MAX_ADDRESSES + " addresses");
        }
        addresses = List.copyOf(addresses);
    }

    /** The TXT record announcing {@code cell}. */
    static Map<String, String> txt(CellId cell) {
        return Map.of("txtvers", "1", KEY_ID, cell.value(), KEY_VERSION, PROTOCOL_VERSION);
    }

    /**
     * Checks a resolved service instance.
     *
     * @param id        the TXT {@code id} value, empty when absent
     * @param version   the TXT {@code v} value, empty when absent
     * @param port      the SRV port
     * @param addresses the A and AAAA addresses of the SRV target
     * @throws IllegalArgumentException naming what is wrong, when the instance is not a usable Grove cell
     */
    static Announcement parse(Optional<String> id, Optional<String> version, int port, Collection<InetAddress> addresses) {
        String idText = id.filter(v -> !v.isBlank())
                .orElseThrow(() -> new IllegalArgumentException("no id in its TXT record"));
        if (idText.length() > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("an id of " + idText.length() + " characters");
        }
        CellId cell;
        try {
            cell = CellId.parse(idText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a malformed id (" + e.getMessage() + ")");
        }
        String v = version.orElseThrow(() -> new IllegalArgumentException("no protocol version (v) in its TXT record"));
        if (!PROTOCOL_VERSION.equals(v)) {
            throw new IllegalArgumentException("peer protocol version " + printable(v) + ", not " + PROTOCOL_VERSION);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port);
        }
        List<URI> uris = uris(port, addresses);
        if (uris.isEmpty()) {
            throw new IllegalArgumentException("no usable address");
        }
        return new Announcement(cell, uris);
    }

    /** IPv4 first, then global IPv6; link-local IPv6 needs a zone the HTTP client cannot carry, so it is left out. */
    private static List<URI> uris(int port, Collection<InetAddress> addresses) {
        Set<URI> out = new LinkedHashSet<>();
        for (InetAddress address : addresses) {
            if (address instanceof Inet4Address && usable(address) && out.size() < MAX_ADDRESSES) {
                out.add(URI.create("http://" + address.getHostAddress() + ":" + port));
            }
        }
        for (InetAddress address : addresses) {
            if (address instanceof Inet6Address v6 && usable(v6) && !v6.isLinkLocalAddress() && out.size() < MAX_ADDRESSES) {
                String text = v6.getHostAddress();
                int zone = text.indexOf('%');
                out.add(URI.create("http://[" + (zone < 0 ? text : text.substring(0, zone)) + "]:" + port));
            }
        }
        return new ArrayList<>(out);
    }

    private static boolean usable(InetAddress address) {
        return !address.isAnyLocalAddress() && !address.isMulticastAddress();
    }

    /** A value from the network, made safe to put in a log line. */
    static String printable(String value) {
        String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
        return '"' + shown.replaceAll("[^\\x20-\\x7e]", "?") + '"';
    }
}
