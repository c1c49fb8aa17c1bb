package io.grove.transport.lan;

import io.grove.api.CellId;
import io.grove.api.transport.Route;
import io.grove.api.transport.TransportHost;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cells currently announced on the LAN, by service instance, and the routes they give: it tells the host of
 * each route when it first appears ({@link TransportHost#discovered}) and when the last instance offering it goes
 * ({@link TransportHost#lost}). It tracks at most {@code maxServices} instances, so a flood of announcements
 * cannot grow memory without bound.
 *
 * <p>Host calls are made in the order the changes happened, one at a time, and never while holding the lock
 * {@link #routes} takes, so the host may ask for routes from its callbacks.
 */
final class LanPeers {
    private final String transportId;
    private final int maxServices;
    private final System.Logger log;
    private final Object state = new Object();
    private final Object delivery = new Object();
    /** Routes by service key (responder address and instance name). */
    private final Map<String, Set<Route>> services = new HashMap<>();
    /** How many services offer each route, in the order routes appeared. */
    private final Map<Route, Integer> offered = new LinkedHashMap<>();
    private volatile TransportHost host;

    LanPeers(String transportId, int maxServices, System.Logger log) {
        if (maxServices < 1) {
            throw new IllegalArgumentException("must track at least one service");
        }
        this.transportId = transportId;
        this.maxServices = maxServices;
        this.log = log;
    }

    /** Where to report; events before this are only tracked. */
    void reportTo(TransportHost host) {
        this.host = host;
    }

    /**
     * Records what the service {@code key} announces now, replacing what it announced before.
     *
     * @return false when the service is new and {@code maxServices} are already tracked: it is then ignored
     */
    boolean seen(String key, Announcement announcement) {
        Set<Route> now = new LinkedHashSet<>();
        for (URI address : announcement.addresses()) {
            now.add(new Route(announcement.cell(), transportId, address));
        }
        synchronized (delivery) {
            List<Route> appeared = new ArrayList<>();
            List<Route> gone = new ArrayList<>();
            synchronized (state) {
                Set<Route> before = services.get(key);
                if (before == null && services.size() >= maxServices) {
                    return false;
                }
                services.put(key, now);
                for (Route route : now) {
                    if (before == null || !before.contains(route)) {
                        if (offered.merge(route, 1, Integer::sum) == 1) {
                            appeared.add(route);
                        }
                    }
                }
                if (before != null) {
                    for (Route route : before) {
                        if (!now.contains(route) && release(route)) {
                            gone.add(route);
                        }
                    }
                }
            }
            report(gone, appeared);
            return true;
        }
    }

    /** Records that the service {@code key} has gone; unknown keys are ignored. */
    void gone(String key) {
        synchronized (delivery) {
            List<Route> gone = new ArrayList<>();
            synchronized (state) {
                Set<Route> before = services.remove(key);
                if (before == null) {
                    return;
                }
                for (Route route : before) {
                    if (release(route)) {
                        gone.add(route);
                    }
                }
            }
            report(gone, List.of());
        }
    }

    /** Forgets every service, reporting each route as lost. */
    void clear() {
        synchronized (delivery) {
            List<Route> gone;
            synchronized (state) {
                gone = new ArrayList<>(offered.keySet());
                offered.clear();
                services.clear();
            }
            report(gone, List.of());
        }
    }

    /** The routes to {@code peer} announced now, in the order they appeared. */
    List<Route> routes(CellId peer) {
        synchronized (state) {
            List<Route> out = new ArrayList<>();
            for (Route route : offered.keySet()) {
                if (route.peer().equals(peer)) {
                    out.add(route);
                }
            }
            return out;
        }
    }

    /** How many service instances are tracked. */
    int size() {
        synchronized (state) {
            return services.size();
        }
    }

    private boolean release(Route route) {
        Integer left = offered.computeIfPresent(route, (r, n) -> n == 1 ? null : n - 1);
        return left == null;
    }

    private void report(List<Route> gone, List<Route> appeared) {
        TransportHost current = host;
        if (current == null) {
            return;
        }
        for (Route route : gone) {
            try {
                current.lost(route);
            } catch (RuntimeException e) {
                log.log(System.Logger.Level.WARNING, "the cell failed to take a lost LAN route to " + route.peer().shortForm(), e);
            }
        }
        for (Route route : appeared) {
            try {
                current.discovered(route);
            } catch (RuntimeException e) {
                log.log(System.Logger.Level.WARNING, "the cell failed to take a LAN route to " + route.peer().shortForm(), e);
            }
        }
    }
}
