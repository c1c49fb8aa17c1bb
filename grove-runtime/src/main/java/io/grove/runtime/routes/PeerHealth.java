package io.grove.runtime.routes;

import io.grove.api.CellId;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How reachable a peer is: when it last answered, whether it answers now, its probe success ratio over the last
 * 24 hours and 7 days, and its routes best first.
 *
 * @param peer      the peer
 * @param lastSeen  when it last answered anything over any route
 * @param up        some route is up (see {@link RankedRoute#up()})
 * @param uptime24h probe rounds that reached it / probe rounds, over the last 24 hourly buckets; 0 without rounds
 * @param uptime7d  the same over the last 7 days
 * @param routes    its candidate routes, best first
 */
public record PeerHealth(CellId peer, Optional<Instant> lastSeen, boolean up, double uptime24h, double uptime7d,
                         List<RankedRoute> routes) {
    public PeerHealth {
        if (peer == null || lastSeen == null || routes == null) {
            throw new IllegalArgumentException("peer health needs a peer, an optional last-seen time and routes");
        }
        if (!(uptime24h >= 0 && uptime24h <= 1) || !(uptime7d >= 0 && uptime7d <= 1)) {
            throw new IllegalArgumentException("uptime ratios lie between 0 and 1");
        }
        routes = List.copyOf(routes);
    }
}
