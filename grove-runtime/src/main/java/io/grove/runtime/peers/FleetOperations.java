package io.grove.runtime.peers;

import io.grove.runtime.fleet.FleetFormatException;
import io.grove.runtime.fleet.InviteBook;
import io.grove.runtime.fleet.Member;
import io.grove.runtime.fleet.Redemption;
import io.grove.runtime.fleet.RosterBook;
import io.grove.runtime.json.Json;
import io.grove.runtime.peer.PeerOperation;
import io.grove.runtime.peer.PeerRejection;
import io.grove.runtime.peer.PeerReply;
import io.grove.runtime.peer.StrangerOperation;
import io.grove.runtime.peer.VerifiedRequest;

import java.io.IOException;
import java.util.List;

/** The fleet's peer operations: {@code fleet.join} (for cells holding an invite) and {@code fleet.secrets}. */
public final class FleetOperations {
    /** Operation name: a cell with an invite code asks to join. */
    public static final String JOIN = "fleet.join";
    /** Operation name: a member asks the leader for the fleet secrets wrapped to it. */
    public static final String SECRETS = "fleet.secrets";
    /** The largest {@code fleet.secrets} answer accepted. */
    public static final long MAX_SECRETS_REPLY = 2L << 20;
    private static final System.Logger LOG = System.getLogger(FleetOperations.class.getName());

    private FleetOperations() {
    }

    /**
     * Both operations of a cell.
     *
     * @param roster   this cell's roster (only the leader admits and hands out secrets)
     * @param invites  the leader's invites
     * @param onJoined called after a cell was admitted (to spread the new roster)
     */
    public static List<PeerOperation> of(RosterBook roster, InviteBook invites, Runnable onJoined) {
        return List.of(new Join(invites, onJoined), new Secrets(roster));
    }

    /** {@code fleet.join}: verified against the keys the body offers; the invite proof decides. */
    private record Join(InviteBook invites, Runnable onJoined) implements StrangerOperation {
        @Override
        public String name() {
            return JOIN;
        }

        @Override
        public long maxBodyBytes() {
            return FleetMessages.MAX_JOIN_BYTES;
        }

        @Override
        public Member claimant(byte[] body) {
            return parse(body).claimant();
        }

        @Override
        public PeerReply handle(VerifiedRequest request) throws IOException {
            FleetMessages.Join join = parse(request.bytes());
            Redemption outcome;
            try {
                outcome = invites.redeem(join.request(), join.routes());
            } catch (IllegalArgumentException e) {
                throw new PeerRejection(PeerRejection.Code.MALFORMED, "invalid join request: " + e.getMessage());
            }
            return switch (outcome) {
                case Redemption.Joined joined -> {
                    LOG.log(System.Logger.Level.INFO, "admitted {0} ({1}) as {2}; roster seq {3}",
                            joined.member().id().shortForm(), joined.member().label(), joined.member().role(),
                            joined.roster().roster().seq());
                    onJoined.run();
                    yield PeerReply.json(FleetMessages.Joined.of(joined.roster(), joined.secrets()));
                }
                case Redemption.Refused refused -> {
                    LOG.log(System.Logger.Level.WARNING, "refused a join from {0}: {1}",
                            request.sender().id().shortForm(), refused.reason());
                    yield PeerReply.problem(403, "join-refused", refused.reason());
                }
            };
        }

        private static FleetMessages.Join parse(byte[] body) {
            try {
                FleetMessages.Join join = Json.mapper().readValue(body, FleetMessages.Join.class);
                join.claimant(); // keys of the right length, a valid label and routes
                return join;
            } catch (IOException | RuntimeException e) {
                throw new PeerRejection(PeerRejection.Code.MALFORMED, "fleet.join body is not a valid join message");
            }
        }
    }

    /** {@code fleet.secrets}: the leader answers a member with every secret wrapped to it. */
    private record Secrets(RosterBook roster) implements PeerOperation {
        @Override
        public String name() {
            return SECRETS;
        }

        @Override
        public long maxBodyBytes() {
            return 0;
        }

        @Override
        public PeerReply handle(VerifiedRequest request) throws IOException {
            request.finish();
            if (!roster.isLeader()) {
                return PeerReply.problem(404, "not-leader", "only the fleet's leader hands out fleet secrets");
            }
            try {
                return PeerReply.json(FleetMessages.Secrets.of(roster.secrets().wrapsFor(request.sender().id())));
            } catch (FleetFormatException | IllegalStateException e) {
                return PeerReply.problem(404, "no-secrets", "no fleet secrets for this cell");
            }
        }
    }
}
