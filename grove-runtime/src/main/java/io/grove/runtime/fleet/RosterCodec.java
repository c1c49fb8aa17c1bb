package io.grove.runtime.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grove.api.CellId;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.crypto.Signatures;
import io.grove.runtime.json.Json;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Rosters to canonical JSON (RFC 8785) and back, and their signatures under {@value #SIGNATURE_LABEL}. The format is
 * described field by field in docs/fleet.md.
 */
public final class RosterCodec {
    /** The signature domain of rosters. */
    public static final String SIGNATURE_LABEL = "grove roster v1";
    /** The roster format version, the {@code v} field. */
    public static final int VERSION = 1;
    private static final Set<String> ROSTER_FIELDS =
            Set.of("v", "fleet", "name", "seq", "createdAt", "leader", "members", "parameters");
    private static final Set<String> MEMBER_FIELDS =
            Set.of("id", "signingKey", "agreementKey", "label", "role", "favourite", "routes");
    private static final Set<String> PARAMETER_FIELDS =
            Set.of("replicationFactor", "syncIntervalSeconds", "healingGraceSeconds");

    private RosterCodec() {
    }

    /** The canonical JSON of {@code roster}: the bytes its signature covers. */
    public static byte[] payload(Roster roster) {
        return StrictJson.canonical(toJson(roster));
    }

    /** Signs {@code roster} with the leader's keys. */
    public static SignedRoster sign(Roster roster, CellKeys leader) {
        if (!roster.leader().equals(leader.cellId())) {
            throw new IllegalArgumentException("a roster is signed by its leader " + roster.leader().shortForm()
                    + ", not " + leader.cellId().shortForm());
        }
        byte[] payload = payload(roster);
        return new SignedRoster(roster, payload, leader.sign(SIGNATURE_LABEL, payload));
    }

    /** Whether {@code signed} carries a valid signature by the Ed25519 key {@code leaderKey}. */
    public static boolean verify(SignedRoster signed, byte[] leaderKey) {
        return Signatures.verify(leaderKey, SIGNATURE_LABEL, signed.payload(), signed.signature());
    }

    static ObjectNode toJson(Roster r) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("v", VERSION);
        node.put("fleet", r.fleetId().hex());
        node.put("name", r.name());
        node.put("seq", r.seq());
        node.put("createdAt", r.createdAt());
        node.put("leader", r.leader().value());
        ArrayNode members = node.putArray("members");
        for (Member m : r.members()) {
            ObjectNode member = members.addObject();
            member.put("id", m.id().value());
            member.put("signingKey", StrictJson.b64(m.signingKey()));
            member.put("agreementKey", StrictJson.b64(m.agreementKey()));
            member.put("label", m.label());
            member.put("role", m.role().name().toLowerCase(Locale.ROOT));
            member.put("favourite", m.favourite());
            ArrayNode routes = member.putArray("routes");
            m.routes().forEach(routes::add);
        }
        ObjectNode p = node.putObject("parameters");
        p.put("replicationFactor", r.parameters().replicationFactor());
        p.put("syncIntervalSeconds", r.parameters().syncInterval().toSeconds());
        p.put("healingGraceSeconds", r.parameters().healingGrace().toSeconds());
        return node;
    }

    /**
     * Reads a roster from its JSON tree, strictly.
     *
     * @throws FleetFormatException on any missing, unknown or mistyped field or invalid value
     */
    static Roster fromJson(JsonNode json) {
        try {
            ObjectNode n = StrictJson.object(json, "roster", ROSTER_FIELDS);
            if (StrictJson.integer(n, "v") != VERSION) {
                throw new FleetFormatException("unsupported roster version " + n.get("v"));
            }
            JsonNode membersJson = StrictJson.array(n, "members");
            if (membersJson.size() > Roster.MAX_MEMBERS) {
                throw new FleetFormatException("a roster lists at most " + Roster.MAX_MEMBERS + " members");
            }
            List<Member> members = new ArrayList<>(membersJson.size());
            for (JsonNode mj : membersJson) {
                members.add(member(StrictJson.object(mj, "member", MEMBER_FIELDS)));
            }
            ObjectNode p = StrictJson.object(n.get("parameters"), "parameters", PARAMETER_FIELDS);
            RosterParameters parameters = new RosterParameters(
                    Math.toIntExact(StrictJson.integer(p, "replicationFactor")),
                    Duration.ofSeconds(StrictJson.integer(p, "syncIntervalSeconds")),
                    Duration.ofSeconds(StrictJson.integer(p, "healingGraceSeconds")));
            return new Roster(new FleetId(StrictJson.text(n, "fleet")), StrictJson.text(n, "name"),
                    StrictJson.integer(n, "seq"),
                    StrictJson.integer(n, "createdAt"), new CellId(StrictJson.text(n, "leader")), members, parameters);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new FleetFormatException("invalid roster: " + e.getMessage(), e);
        }
    }

    private static Member member(ObjectNode m) {
        String role = StrictJson.text(m, "role");
        Role parsed = switch (role) {
            case "member" -> Role.MEMBER;
            case "friend" -> Role.FRIEND;
            default -> throw new FleetFormatException("member role must be \"member\" or \"friend\", not " + role);
        };
        return new Member(new CellId(StrictJson.text(m, "id")), StrictJson.bytes(m, "signingKey", 32),
                StrictJson.bytes(m, "agreementKey", 32), StrictJson.text(m, "label"), parsed,
                StrictJson.bool(m, "favourite"), routes(m));
    }

    private static List<String> routes(ObjectNode m) {
        JsonNode array = StrictJson.array(m, "routes");
        if (array.size() > Member.MAX_ROUTES) {
            throw new FleetFormatException("a member advertises at most " + Member.MAX_ROUTES + " routes");
        }
        List<String> routes = new ArrayList<>(array.size());
        for (JsonNode route : array) {
            if (!route.isTextual()) {
                throw new FleetFormatException("member routes are strings");
            }
            routes.add(route.textValue());
        }
        return routes;
    }
}
