package io.grove.runtime.peers;

import io.grove.api.CellId;
import io.grove.api.transport.Route;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.fleet.FleetFormatException;
import io.grove.runtime.fleet.FleetSecretException;
import io.grove.runtime.fleet.Invite;
import io.grove.runtime.fleet.InviteBook;
import io.grove.runtime.fleet.JoinRequest;
import io.grove.runtime.fleet.Role;
import io.grove.runtime.fleet.RosterBook;
import io.grove.runtime.fleet.RosterCodec;
import io.grove.runtime.fleet.RosterParameters;
import io.grove.runtime.fleet.SignedRoster;
import io.grove.runtime.fleet.WrappedSecret;
import io.grove.runtime.json.Json;
import io.grove.runtime.peer.PeerRejection;
import io.grove.runtime.peer.VerifiedResponse;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * What a person does with the fleet, from the CLI or REST: found one, invite, join with a code, revoke, mark
 * favourites. Changes of the roster are spread by {@link RosterGossip} right away.
 */
public final class FleetService {
    private static final System.Logger LOG = System.getLogger(FleetService.class.getName());

    private final CellKeys keys;
    private final String label;
    private final RosterBook roster;
    private final InviteBook invites;
    private final Peers peers;
    private final RosterGossip gossip;
    private final Clock clock;

    /**
     * @param keys    this cell's keys
     * @param label   this cell's name in rosters
     * @param roster  its roster
     * @param invites its invites (used when it leads)
     * @param peers   how it reaches others
     * @param gossip  spreads rosters
     * @param clock   the one clock
     */
    public FleetService(CellKeys keys, String label, RosterBook roster, InviteBook invites, Peers peers,
                        RosterGossip gossip, Clock clock) {
        this.keys = keys;
        this.label = label;
        this.roster = roster;
        this.invites = invites;
        this.peers = peers;
        this.gossip = gossip;
        this.clock = clock;
    }

    public RosterBook roster() {
        return roster;
    }

    public RosterGossip gossip() {
        return gossip;
    }

    public Peers peers() {
        return peers;
    }

    /**
     * Founds a fleet led by this cell.
     *
     * @param name the fleet's name, 1–64 characters
     * @throws IllegalStateException    when this cell is already in a fleet
     * @throws IllegalArgumentException when the name is not valid
     */
    public SignedRoster create(String name, RosterParameters parameters) {
        SignedRoster created = roster.create(name, label, peers.ownRoutes(), parameters);
        LOG.log(System.Logger.Level.INFO, "founded fleet {0} ({1})", created.roster().fleetId(), name);
        gossip.spreadNow();
        return created;
    }

    /**
     * Issues an invite code (leader only) carrying this cell's routes.
     *
     * @throws IllegalStateException when this cell does not lead a fleet
     */
    public Invite invite(Role role, Duration ttl) {
        List<String> routes = peers.ownRoutes();
        return invites.issue(role, ttl, routes.size() > Invite.MAX_ROUTES ? routes.subList(0, Invite.MAX_ROUTES) : routes);
    }

    /**
     * Joins the fleet of {@code code}: proves the invite to its leader over the routes the code carries, pins the
     * leader, applies the roster it answers with and keeps the fleet secrets wrapped to this cell.
     *
     * @return the roster that lists this cell
     * @throws IllegalStateException when this cell is already in a fleet
     * @throws FleetFormatException  when the code is not a valid invite code
     * @throws JoinRefusedException  when the leader refused, or answered with something invalid
     * @throws IOException           when no route to the leader works
     */
    public SignedRoster join(String code) throws IOException {
        Invite invite = Invite.parse(code);
        if (roster.pinned().isPresent()) {
            throw new IllegalStateException("this cell is already in a fleet; a cell belongs to one fleet");
        }
        if (invite.leader().equals(keys.cellId())) {
            throw new IllegalStateException("this invite was issued by this very cell");
        }
        List<Route> routes = peers.direct(invite.leader(), invite.routes());
        if (routes.isEmpty()) {
            throw new IOException(invite.routes().isEmpty()
                    ? "the invite code carries no address of the leader"
                    : "no direct transport is running to reach the leader (configure transports.direct.type=direct)");
        }
        byte[] body = Json.mapper().writeValueAsBytes(
                FleetMessages.Join.of(JoinRequest.create(invite, keys, label, clock), peers.ownRoutes()));
        IOException failure = null;
        for (Route route : routes) {
            var request = peers.client().signer().request(invite.leader(), FleetOperations.JOIN, body);
            try (VerifiedResponse response = peers.client().exchange(route, invite.leaderKey(), request)) {
                byte[] reply = response.bytes();
                if (response.status() != 200) {
                    throw new JoinRefusedException("the leader refused: " + Problems.detail(reply));
                }
                return admitted(invite, Json.mapper().readValue(reply, FleetMessages.Joined.class));
            } catch (IOException e) {
                failure = failure == null ? e : failure;
                if (failure != e) {
                    failure.addSuppressed(e);
                }
            } catch (PeerRejection e) {
                throw new JoinRefusedException("the leader's answer is not valid: " + e.getMessage());
            }
        }
        throw new IOException("cannot reach the leader at " + String.join(", ", invite.routes()) + ": "
                + failure.getMessage(), failure);
    }

    private SignedRoster admitted(Invite invite, FleetMessages.Joined joined) {
        SignedRoster signed;
        List<WrappedSecret> secrets;
        try {
            signed = joined.signedRoster();
            secrets = joined.wrappedSecrets();
        } catch (FleetFormatException | IllegalArgumentException e) {
            throw new JoinRefusedException("the leader answered with a roster that does not decode: " + e.getMessage());
        }
        // Check everything before pinning: a failed join must leave this cell free to try another code.
        if (!signed.roster().fleetId().equals(invite.fleetId()) || !signed.roster().leader().equals(invite.leader())
                || !RosterCodec.verify(signed, invite.leaderKey())) {
            throw new JoinRefusedException("the roster in the answer is not the invite's fleet signed by its leader");
        }
        if (signed.roster().member(keys.cellId()).isEmpty()) {
            throw new JoinRefusedException("the leader's roster does not list this cell");
        }
        roster.pin(invite.pinned());
        RosterBook.Outcome outcome = roster.apply(signed);
        if (outcome.status() != RosterBook.Status.APPLIED) {
            throw new JoinRefusedException("the roster could not be applied: " + outcome.reason());
        }
        for (WrappedSecret secret : secrets) {
            try {
                roster.secrets().accept(secret);
            } catch (FleetSecretException e) {
                LOG.log(System.Logger.Level.WARNING, "a fleet secret from the leader was refused: {0}", e.getMessage());
            }
        }
        LOG.log(System.Logger.Level.INFO, "joined fleet {0} ({1}) as {2}; roster seq {3}", signed.roster().fleetId(),
                signed.roster().name(), signed.roster().member(keys.cellId()).orElseThrow().role(),
                signed.roster().seq());
        gossip.spreadNow();
        return signed;
    }

    /** Removes {@code cell} from the fleet (leader only) and spreads the roster; the fleet secret rotates. */
    public SignedRoster revoke(CellId cell) {
        SignedRoster next = roster.revoke(cell);
        LOG.log(System.Logger.Level.INFO, "revoked {0}; roster seq {1}", cell.shortForm(), next.roster().seq());
        gossip.spreadNow();
        return next;
    }

    /** Marks or unmarks a favourite (leader only) and spreads the roster. */
    public SignedRoster favourite(CellId cell, boolean favourite) {
        SignedRoster next = roster.setFavourite(cell, favourite);
        gossip.spreadNow();
        return next;
    }

    /**
     * Changes the fleet-wide parameters (leader only): a new signed roster, spread by gossip at once, which every
     * member follows unless its own configuration overrides a value.
     *
     * @throws IllegalStateException when this cell is in no fleet or does not lead it
     */
    public SignedRoster setParameters(RosterParameters parameters) {
        SignedRoster next = roster.setParameters(parameters);
        LOG.log(System.Logger.Level.INFO, "fleet parameters now {0}; roster seq {1}", parameters, next.roster().seq());
        gossip.spreadNow();
        return next;
    }

    /** The leader refused a join, or answered with something this cell cannot accept; nothing changed here. */
    public static final class JoinRefusedException extends RuntimeException {
        public JoinRefusedException(String message) {
            super(message);
        }
    }
}
