package io.grove.runtime.peers;

import io.grove.api.CellId;
import io.grove.runtime.fleet.Member;
import io.grove.runtime.fleet.RosterBook;
import io.grove.runtime.fleet.SignedRoster;
import io.grove.runtime.routes.Nearby;
import io.grove.runtime.routes.PeerHealth;
import io.grove.runtime.routes.RankedRoute;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The fleet and its peers as the REST API, CLI and dashboard show them (plain maps and lists, for JSON). */
public final class PeersView {
    /** The shortest prefix of a cell id accepted in place of the whole id. */
    public static final int MIN_PREFIX = 4;

    private final Network network;

    public PeersView(Network network) {
        this.network = network;
    }

    /** {@code GET /api/v1/fleet}: this cell and its fleet, if any. */
    public Map<String, Object> fleet() {
        return fleet(network.roster().current());
    }

    /** The view of {@code roster} from this cell. */
    public Map<String, Object> fleet(SignedRoster roster) {
        return fleet(Optional.of(roster));
    }

    private Map<String, Object> fleet(Optional<SignedRoster> current) {
        RosterBook book = network.roster();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cell", book.self().value());
        out.put("inFleet", current.isPresent());
        out.put("routes", network.peers().ownRoutes());
        current.ifPresent(signed -> {
            var roster = signed.roster();
            out.put("fleet", roster.fleetId().hex());
            out.put("name", roster.name());
            out.put("seq", roster.seq());
            out.put("hash", signed.hash());
            out.put("leader", roster.leader().value());
            out.put("isLeader", roster.leader().equals(book.self()));
            out.put("role", roster.member(book.self()).map(m -> m.role().name().toLowerCase(Locale.ROOT)).orElse("revoked"));
            out.put("epoch", book.secrets().currentEpoch().isPresent() ? book.secrets().currentEpoch().getAsLong() : null);
            out.put("parameters", Map.of(
                    "replicationFactor", roster.parameters().replicationFactor(),
                    "syncIntervalSeconds", roster.parameters().syncInterval().toSeconds(),
                    "healingGraceSeconds", roster.parameters().healingGrace().toSeconds()));
            List<Map<String, Object>> members = new ArrayList<>();
            for (Member m : roster.members()) {
                members.add(member(m, roster.leader()));
            }
            out.put("members", members);
        });
        return out;
    }

    /** {@code GET /api/v1/peers}: every member but this cell, with its routes and health. */
    public List<Map<String, Object>> peers() {
        Optional<SignedRoster> current = network.roster().current();
        if (current.isEmpty()) {
            return List.of();
        }
        List<Map<String, Object>> out = new ArrayList<>();
        CellId self = network.roster().self();
        for (Member m : current.get().roster().members()) {
            if (m.id().equals(self)) {
                continue;
            }
            Map<String, Object> peer = member(m, current.get().roster().leader());
            RosterGossip.Contact contact = network.fleet().gossip().contact(m.id());
            peer.put("lastContact", contact.lastSeen().map(Object::toString).orElse(null));
            peer.put("lastError", contact.lastError());
            peer.putAll(health(network.peers().routes().health(m.id())));
            out.add(peer);
        }
        return out;
    }

    /** {@code GET /api/v1/peers/nearby}: cells seen by discovery that are not members (candidates for joining). */
    public List<Map<String, Object>> nearby() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Nearby n : network.peers().routes().nearby()) {
            Map<String, Object> cell = new LinkedHashMap<>();
            cell.put("id", n.cell().value());
            cell.put("shortId", n.cell().shortForm());
            cell.put("transport", n.route().transport());
            cell.put("address", n.route().address().toString());
            cell.put("seenAt", n.seenAt().toString());
            out.add(cell);
        }
        return out;
    }

    private static Map<String, Object> health(PeerHealth health) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("up", health.up());
        out.put("lastSeen", health.lastSeen().map(Object::toString).orElse(null));
        out.put("uptime24h", health.uptime24h());
        out.put("uptime7d", health.uptime7d());
        List<Map<String, Object>> routes = new ArrayList<>();
        for (RankedRoute r : health.routes()) {
            Map<String, Object> route = new LinkedHashMap<>();
            route.put("transport", r.route().transport());
            route.put("address", r.route().address().toString());
            route.put("latencyMs", r.latencyMs().isPresent() ? r.latencyMs().getAsDouble() : null);
            route.put("throughputMBps", r.throughputMBps().isPresent() ? r.throughputMBps().getAsDouble() : null);
            route.put("score", r.score().isPresent() ? r.score().getAsDouble() : null);
            route.put("measuredAt", r.measuredAt().map(Object::toString).orElse(null));
            route.put("failures", r.consecutiveFailures());
            route.put("up", r.up());
            routes.add(route);
        }
        out.put("routes", routes);
        return out;
    }

    /**
     * The member named by {@code text}: a whole cell id (any grouping, any case) or a unique prefix of at least
     * {@value #MIN_PREFIX} characters.
     *
     * @throws IllegalArgumentException when it names no member, or several
     */
    public CellId resolve(String text) {
        String clean = text == null ? "" : text.replace("-", "").replace(" ", "").toUpperCase(Locale.ROOT);
        if (clean.length() < MIN_PREFIX || clean.length() > CellId.LENGTH) {
            throw new IllegalArgumentException("a cell is named by its id or at least " + MIN_PREFIX
                    + " of its first characters");
        }
        List<Member> members = network.roster().current().map(r -> r.roster().members()).orElse(List.of());
        List<CellId> matches = members.stream().map(Member::id).filter(id -> id.value().startsWith(clean)).toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("no member of the fleet has an id starting with " + clean);
        }
        throw new IllegalArgumentException(clean + " matches " + matches.size() + " members; give more characters");
    }

    private Map<String, Object> member(Member m, CellId leader) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", m.id().value());
        out.put("shortId", m.id().shortForm());
        out.put("label", m.label());
        out.put("role", m.role().name().toLowerCase(Locale.ROOT));
        out.put("favourite", m.favourite());
        out.put("leader", m.id().equals(leader));
        out.put("self", m.id().equals(network.roster().self()));
        out.put("advertised", m.routes());
        return out;
    }
}
