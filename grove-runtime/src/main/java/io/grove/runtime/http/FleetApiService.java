package io.grove.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.api.CellId;
import io.grove.runtime.config.ConfigValues;
import io.grove.runtime.fleet.FleetFormatException;
import io.grove.runtime.fleet.Invite;
import io.grove.runtime.fleet.Member;
import io.grove.runtime.fleet.Role;
import io.grove.runtime.fleet.RosterParameters;
import io.grove.runtime.fleet.SignedRoster;
import io.grove.runtime.peers.FleetService;
import io.grove.runtime.peers.PeersView;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The fleet over REST: {@code GET/POST /api/v1/fleet}, {@code POST /api/v1/fleet/invites},
 * {@code POST /api/v1/fleet/join}, {@code DELETE /api/v1/fleet/members/{cell}}, {@code GET /api/v1/peers},
 * {@code PUT/DELETE /api/v1/peers/{cell}/favourite}. docs/api.md describes the bodies.
 */
final class FleetApiService {
    /** The largest JSON body these endpoints read. */
    static final int MAX_BODY = 16 * 1024;

    private final FleetService fleet;
    private final PeersView view;

    FleetApiService(FleetService fleet, PeersView view) {
        this.fleet = fleet;
        this.view = view;
    }

    /** {@code /api/v1/fleet}. */
    HttpService fleetRoutes() {
        return rules -> rules
                .get("/", (req, res) -> Responses.json(res, 200, view.fleet()))
                .post("/", this::create)
                .post("/invites", this::invite)
                .post("/join", this::join)
                .delete("/members/{cell}", this::revoke)
                .any("/", FleetApiService::notAllowed);
    }

    /** {@code /api/v1/peers}. */
    HttpService peerRoutes() {
        return (HttpRules rules) -> rules
                .get("/", (req, res) -> Responses.json(res, 200, view.peers()))
                .get("/nearby", (req, res) -> Responses.json(res, 200, view.nearby()))
                .put("/{cell}/favourite", (req, res) -> favourite(req, res, true))
                .delete("/{cell}/favourite", (req, res) -> favourite(req, res, false));
    }

    private void create(ServerRequest req, ServerResponse res) {
        JsonNode body = JsonBodies.object(req, MAX_BODY, "fleet requests");
        String name = JsonBodies.text(body, "name").orElse("Grove fleet");
        RosterParameters defaults = RosterParameters.DEFAULTS;
        int factor = body.has("replicationFactor") ? integer(body, "replicationFactor") : defaults.replicationFactor();
        RosterParameters parameters = parameters(factor, defaults);
        SignedRoster created = guarded(() -> fleet.create(name, parameters));
        Responses.json(res, 201, view.fleet(created));
    }

    private void invite(ServerRequest req, ServerResponse res) {
        JsonNode body = JsonBodies.object(req, MAX_BODY, "fleet requests");
        Role role = switch (JsonBodies.text(body, "role").orElse("member").toLowerCase(Locale.ROOT)) {
            case "member" -> Role.MEMBER;
            case "friend" -> Role.FRIEND;
            default -> throw JsonBodies.bad("role is \"member\" or \"friend\"");
        };
        Duration ttl;
        try {
            ttl = ConfigValues.duration("expires", JsonBodies.text(body, "expires").orElse("24h"));
        } catch (RuntimeException e) {
            throw JsonBodies.bad("expires is a duration such as 30m, 24h or 7d");
        }
        if (ttl.compareTo(Duration.ofMinutes(1)) < 0 || ttl.compareTo(Duration.ofDays(30)) > 0) {
            throw JsonBodies.bad("an invite lasts from 1 minute to 30 days");
        }
        Invite invite = guarded(() -> fleet.invite(role, ttl));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("code", invite.encode());
        out.put("role", role.name().toLowerCase(Locale.ROOT));
        out.put("expiresAt", invite.expiresAt().toString());
        out.put("routes", invite.routes());
        out.put("fleet", invite.fleetId().hex());
        Responses.json(res, 201, out);
    }

    private void join(ServerRequest req, ServerResponse res) {
        String code = JsonBodies.text(JsonBodies.object(req, MAX_BODY, "fleet requests"), "code").orElseThrow(() -> JsonBodies.bad("the body needs \"code\": the invite code"));
        SignedRoster joined;
        try {
            joined = guarded(() -> {
                try {
                    return fleet.join(code);
                } catch (IOException e) {
                    throw new ProblemException(Problem.of(502, "leader-unreachable", "The leader cannot be reached",
                            e.getMessage()));
                }
            });
        } catch (FleetFormatException e) {
            throw new ProblemException(Problem.of(400, "invalid-invite", "Not an invite code", e.getMessage()));
        } catch (FleetService.JoinRefusedException e) {
            throw new ProblemException(Problem.of(403, "join-refused", "Join refused", e.getMessage()));
        }
        Responses.json(res, 200, view.fleet(joined));
    }

    private void revoke(ServerRequest req, ServerResponse res) {
        CellId cell = view.resolve(req.path().pathParameters().get("cell"));
        Responses.json(res, 200, view.fleet(guarded(() -> fleet.revoke(cell))));
    }

    private void favourite(ServerRequest req, ServerResponse res, boolean favourite) {
        CellId cell = view.resolve(req.path().pathParameters().get("cell"));
        SignedRoster next = guarded(() -> fleet.favourite(cell, favourite));
        Member member = next.roster().member(cell).orElseThrow();
        Responses.json(res, 200, Map.of("id", member.id().value(), "favourite", member.favourite(),
                "rosterSeq", next.roster().seq()));
    }

    private static <T> T guarded(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (IllegalStateException e) {
            throw new ProblemException(Problem.of(409, "fleet-conflict", "Not possible now", e.getMessage()));
        } catch (IllegalArgumentException e) {
            throw JsonBodies.bad(e.getMessage());
        }
    }

    private static RosterParameters parameters(int factor, RosterParameters defaults) {
        try {
            return new RosterParameters(factor, defaults.syncInterval(), defaults.healingGrace());
        } catch (IllegalArgumentException e) {
            throw JsonBodies.bad(e.getMessage());
        }
    }



    private static int integer(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw JsonBodies.bad(field + " is an integer");
        }
        return value.intValue();
    }


    private static void notAllowed(ServerRequest req, ServerResponse res) {
        throw new ProblemException(Problem.of(405, "method-not-allowed", "Method not allowed",
                req.prologue().method().text() + " is not supported on " + req.path().path() + "; see docs/api.md"));
    }
}
