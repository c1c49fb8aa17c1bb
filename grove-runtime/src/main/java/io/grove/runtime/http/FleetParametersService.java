package io.grove.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.runtime.config.ConfigValues;
import io.grove.runtime.fleet.RosterBook;
import io.grove.runtime.fleet.RosterParameters;
import io.grove.runtime.fleet.SignedRoster;
import io.grove.runtime.peers.FleetService;
import io.grove.runtime.replication.ReplicationSettings;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET/PUT /api/v1/fleet/parameters}: the fleet-wide replication factor, sync interval and healing grace. Any
 * cell reads the values in effect on it (the roster's, and this cell's configuration overrides); only the leader
 * changes them, by signing a new roster that gossip spreads to every member. docs/api.md describes the bodies.
 */
final class FleetParametersService implements HttpService {
    private final FleetService fleet;
    private final ReplicationSettings local;

    /**
     * @param local this cell's replication settings, whose {@code replication.factor}, {@code sync.interval} and
     *              {@code healing.grace-period} override the roster's values on this cell only
     */
    FleetParametersService(FleetService fleet, ReplicationSettings local) {
        this.fleet = fleet;
        this.local = local;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> Responses.json(res, 200, view()))
                .put("/", this::change);
    }

    /** What is in effect on this cell, and why. */
    Map<String, Object> view() {
        RosterBook roster = fleet.roster();
        Optional<SignedRoster> current = roster.current();
        boolean leader = current.map(c -> c.roster().leader().equals(roster.self())).orElse(false);
        RosterParameters fleetValues = current.map(c -> c.roster().parameters()).orElse(RosterParameters.DEFAULTS);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("inFleet", current.isPresent());
        out.put("isLeader", leader);
        out.put("editable", leader);
        out.put("reason", current.isEmpty()
                ? "This cell is in no fleet: it uses the defaults (and its own configuration). Create or join a fleet "
                + "in Fleet; its leader then sets these values for every cell."
                : leader ? "This cell leads the fleet: a change is signed into the roster and reaches every cell."
                : "Only the fleet's leader changes these values; this cell follows the roster.");
        current.ifPresent(c -> out.put("rosterSeq", c.roster().seq()));
        out.put("fleet", values(fleetValues));
        Map<String, Object> overrides = new LinkedHashMap<>();
        local.factor().ifPresent(f -> overrides.put("replicationFactor", f));
        local.interval().ifPresent(d -> overrides.put("syncIntervalSeconds", seconds(d)));
        local.grace().ifPresent(d -> overrides.put("healingGraceSeconds", seconds(d)));
        out.put("localOverrides", overrides);
        Map<String, Object> effective = new LinkedHashMap<>();
        effective.put("replicationFactor", local.factor(fleetValues));
        effective.put("syncIntervalSeconds", seconds(local.interval(fleetValues)));
        effective.put("healingGraceSeconds", seconds(local.grace(fleetValues)));
        out.put("effective", effective);
        return out;
    }

    private void change(ServerRequest req, ServerResponse res) {
        JsonNode body = JsonBodies.object(req, FleetApiService.MAX_BODY, "fleet requests");
        for (var names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("replicationFactor") && !name.equals("syncInterval") && !name.equals("healingGrace")) {
                throw JsonBodies.bad("unknown field " + name.substring(0, Math.min(64, name.length()))
                        + "; the fields are replicationFactor, syncInterval and healingGrace");
            }
        }
        if (body.isEmpty()) {
            throw JsonBodies.bad("give at least one of replicationFactor, syncInterval, healingGrace");
        }
        RosterBook roster = fleet.roster();
        SignedRoster current = roster.current().orElseThrow(() -> new ProblemException(Problem.of(409, "no-fleet",
                "Not in a fleet", "this cell is in no fleet: create or join one first; fleet parameters belong to a fleet")));
        if (!current.roster().leader().equals(roster.self())) {
            throw new ProblemException(Problem.of(403, "not-leader", "Only the leader changes fleet parameters",
                    "the fleet's leader is " + current.roster().leader().shortForm()
                            + "; change the parameters on its dashboard or with its CLI"));
        }
        RosterParameters now = current.roster().parameters();
        RosterParameters next;
        try {
            next = new RosterParameters(
                    body.has("replicationFactor") ? factor(body.get("replicationFactor")) : now.replicationFactor(),
                    body.has("syncInterval") ? duration(body.get("syncInterval"), "syncInterval") : now.syncInterval(),
                    body.has("healingGrace") ? duration(body.get("healingGrace"), "healingGrace") : now.healingGrace());
        } catch (IllegalArgumentException e) {
            throw JsonBodies.bad(e.getMessage());
        }
        if (!next.equals(now)) {
            try {
                fleet.setParameters(next);
            } catch (IllegalStateException e) {
                throw new ProblemException(Problem.of(409, "fleet-conflict", "Not possible now", e.getMessage()));
            }
        }
        Responses.json(res, 200, view());
    }

    private static int factor(JsonNode value) {
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw JsonBodies.bad("replicationFactor is an integer from 1 to 16");
        }
        return value.intValue();
    }

    /** A duration as text ({@code 90s}, {@code 5m}, {@code 1h}) or a whole number of seconds. */
    private static Duration duration(JsonNode value, String field) {
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            long seconds = value.longValue();
            if (seconds < 0 || seconds > Duration.ofDays(366).toSeconds()) {
                throw JsonBodies.bad(field + " is out of range");
            }
            return Duration.ofSeconds(seconds);
        }
        if (value.isTextual() && value.textValue().length() <= 32) {
            try {
                return ConfigValues.duration(field, value.textValue());
            } catch (RuntimeException e) {
                throw JsonBodies.bad(field + " is a duration such as 90s, 5m or 1h, or a number of seconds");
            }
        }
        throw JsonBodies.bad(field + " is a duration such as 90s, 5m or 1h, or a number of seconds");
    }

    private static Map<String, Object> values(RosterParameters p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("replicationFactor", p.replicationFactor());
        out.put("syncIntervalSeconds", seconds(p.syncInterval()));
        out.put("healingGraceSeconds", seconds(p.healingGrace()));
        return out;
    }

    /** Seconds, with a fraction where a local override is finer (sync.interval may be 500ms in tests). */
    private static Object seconds(Duration d) {
        return d.getNano() == 0 ? (Object) d.toSeconds() : d.toMillis() / 1000.0;
    }
}
