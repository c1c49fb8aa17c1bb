package io.grove.runtime.fleet;

import io.grove.api.CellId;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.db.Database;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * This cell's view of its fleet's roster, kept in SQLite: the pinned leader, the current version and every version
 * applied before. Applies the acceptance rules of docs/fleet.md to rosters received from peers, and on the leader
 * makes the next version for each change. Each change is one transaction; methods are synchronized because a
 * check-then-write on the current seq must not interleave.
 */
public final class RosterBook implements Membership {
    private final Database db;
    private final CellKeys self;
    private final Clock clock;
    private final FleetSecrets secrets;
    private volatile Optional<SignedRoster> current;

    public RosterBook(Database db, CellKeys self, Clock clock) {
        this.db = db;
        this.self = self;
        this.clock = clock;
        this.secrets = new FleetSecrets(db, self, clock);
        this.current = loadCurrent();
    }

    /** This cell's id. */
    public CellId self() {
        return self.cellId();
    }

    /** Whether this cell leads its fleet. */
    public boolean isLeader() {
        return current.map(r -> r.roster().leader().equals(self.cellId())).orElse(false);
    }

    /** The fleet secrets of this cell's fleet. */
    public FleetSecrets secrets() {
        return secrets;
    }

    /** The fleet and leader this cell trusts, once it founded or joined one. */
    public Optional<PinnedFleet> pinned() {
        return PinnedFleet.load(db.jdbi());
    }

    /** The newest roster applied. */
    public Optional<SignedRoster> current() {
        return current;
    }

    /**
     * Founds a fleet with this cell as leader and only member: roster seq 1 signed by this cell, and fleet-secret
     * epoch 1.
     *
     * @param label this cell's name in the roster
     * @throws IllegalStateException when this cell is already in a fleet
     */
    public synchronized SignedRoster create(String label, RosterParameters parameters) {
        return create("Grove fleet", label, List.of(), parameters);
    }

    /**
     * Founds a fleet named {@code name} with this cell, named {@code label}, as leader and only member, advertising
     * {@code routes} for its peer socket.
     *
     * @throws IllegalStateException when this cell is already in a fleet
     */
    public synchronized SignedRoster create(String name, String label, List<String> routes, RosterParameters parameters) {
        Member leader = new Member(self.cellId(), self.signingPublicKey(), self.agreementPublicKey(), label,
                Role.MEMBER, false, routes);
        Roster roster = new Roster(FleetId.random(), name, 1, clock.millis(), self.cellId(), List.of(leader), parameters);
        SignedRoster signed = RosterCodec.sign(roster, self);
        db.jdbi().useTransaction(h -> {
            requireNotPinned(h);
            pin(h, new PinnedFleet(roster.fleetId(), self.cellId(), self.signingPublicKey()));
            record(h, signed);
        });
        current = Optional.of(signed);
        secrets.rotate(roster);
        return signed;
    }

    /**
     * Pins the fleet and leader a joining cell learned from its invite, before it applies the first roster.
     *
     * @throws IllegalStateException when this cell is already in a fleet
     */
    public synchronized void pin(PinnedFleet fleet) {
        db.jdbi().useTransaction(h -> {
            requireNotPinned(h);
            pin(h, fleet);
        });
    }

    /**
     * Applies a roster received from a peer if the rules allow: same fleet, signed by the pinned leader, led by the
     * pinned leader, seq above the current one. Every applied version is kept in the history.
     */
    public synchronized Outcome apply(SignedRoster signed) {
        Optional<PinnedFleet> pinned = pinned();
        if (pinned.isEmpty()) {
            return Outcome.rejected("this cell is in no fleet; pin the fleet from an invite first");
        }
        PinnedFleet fleet = pinned.get();
        Roster roster = signed.roster();
        if (!roster.fleetId().equals(fleet.fleetId())) {
            return Outcome.rejected("the roster is for fleet " + roster.fleetId() + ", not ours (" + fleet.fleetId() + ")");
        }
        if (!RosterCodec.verify(signed, fleet.leaderKey())) {
            return Outcome.rejected("the roster is not signed by the pinned leader " + fleet.leader().shortForm());
        }
        if (!roster.leader().equals(fleet.leader())) {
            // Unreachable while only the leader signs, but a leader change is not a roster update this version knows.
            return Outcome.rejected("the roster names another leader " + roster.leader().shortForm());
        }
        long now = clock.millis();
        return db.jdbi().inTransaction(h -> {
            Optional<Long> currentSeq = h.createQuery(
                            "SELECT seq FROM roster_history WHERE fleet_id = ? ORDER BY seq DESC LIMIT 1")
                    .bind(0, fleet.fleetId().hex()).mapTo(Long.class).findOne();
            if (currentSeq.isPresent() && roster.seq() <= currentSeq.get()) {
                Optional<String> sameSeqHash = h.createQuery("SELECT hash FROM roster_history WHERE fleet_id = ? AND seq = ?")
                        .bind(0, fleet.fleetId().hex()).bind(1, roster.seq()).mapTo(String.class).findOne();
                if (sameSeqHash.isPresent() && !sameSeqHash.get().equals(signed.hash())) {
                    h.createUpdate("INSERT OR IGNORE INTO roster_forks (fleet_id, seq, hash, bytes, seen_at) VALUES (?, ?, ?, ?, ?)")
                            .bind(0, fleet.fleetId().hex()).bind(1, roster.seq()).bind(2, signed.hash())
                            .bind(3, signed.encode()).bind(4, now).execute();
                    return Outcome.fork("the leader signed two different rosters with seq " + roster.seq());
                }
                return Outcome.stale("seq " + roster.seq() + " is not above the current " + currentSeq.get());
            }
            record(h, signed);
            current = Optional.of(signed);
            return Outcome.applied();
        });
    }

    /** Adds a member (leader only); the member receives the current fleet secret. */
    public synchronized SignedRoster add(Member member) {
        SignedRoster signed = change(roster -> {
            if (roster.member(member.id()).isPresent()) {
                throw new IllegalArgumentException(member.id().shortForm() + " is already a member");
            }
            return roster.next(clock.millis(), members -> {
                members.add(member);
                return members;
            });
        });
        secrets.share(signed.roster(), member);
        return signed;
    }

    /** Removes a member (leader only) and rotates the fleet secret to a new epoch wrapped to those who remain. */
    public synchronized SignedRoster revoke(CellId cell) {
        SignedRoster signed = change(roster -> {
            requireMember(roster, cell);
            if (cell.equals(roster.leader())) {
                throw new IllegalArgumentException("the leader cannot revoke itself");
            }
            return roster.next(clock.millis(), members -> {
                members.removeIf(m -> m.id().equals(cell));
                return members;
            });
        });
        secrets.rotate(signed.roster());
        return signed;
    }

    /** Marks or unmarks a member as a favourite (gets copies first); leader only. */
    public synchronized SignedRoster setFavourite(CellId cell, boolean favourite) {
        return change(roster -> {
            Member m = requireMember(roster, cell);
            return roster.next(clock.millis(), members -> {
                members.replaceAll(x -> x.id().equals(cell) ? m.withFavourite(favourite) : x);
                return members;
            });
        });
    }

    /**
     * Records the addresses a member advertises (leader only). Returns the new roster, or empty when they are the
     * ones the roster already lists, so that a member repeating its addresses does not bump the seq.
     */
    public synchronized Optional<SignedRoster> setRoutes(CellId cell, List<String> routes) {
        Member m = requireMember(current.orElseThrow(() -> new IllegalStateException("this cell is in no fleet")).roster(),
                cell);
        if (m.routes().equals(routes)) {
            return Optional.empty();
        }
        Member changed = m.withRoutes(routes);
        return Optional.of(change(roster -> roster.next(clock.millis(), members -> {
            members.replaceAll(x -> x.id().equals(cell) ? changed : x);
            return members;
        })));
    }

    /** Changes the fleet parameters; leader only. */
    public synchronized SignedRoster setParameters(RosterParameters parameters) {
        return change(roster -> roster.next(clock.millis(), parameters));
    }

    /** Every applied version, oldest first. */
    public List<SignedRoster> history() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT bytes FROM roster_history ORDER BY fleet_id, seq")
                .map((rs, ctx) -> SignedRoster.decode(rs.getBytes(1))).list());
    }

    /** Signed rosters that conflicted with an applied one of the same seq, as evidence of a forking leader. */
    public List<SignedRoster> forks() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT bytes FROM roster_forks ORDER BY seq, hash")
                .map((rs, ctx) -> SignedRoster.decode(rs.getBytes(1))).list());
    }

    @Override
    public Optional<Member> member(CellId cell) {
        return current.flatMap(s -> s.roster().member(cell));
    }

    @Override
    public RosterStamp stamp() {
        return current.map(s -> new RosterStamp(s.roster().seq(), s.hash())).orElse(new RosterStamp(0, ""));
    }

    private SignedRoster change(java.util.function.UnaryOperator<Roster> change) {
        SignedRoster now = current.orElseThrow(() -> new IllegalStateException("this cell is in no fleet"));
        if (!now.roster().leader().equals(self.cellId())) {
            throw new IllegalStateException("only the leader " + now.roster().leader().shortForm() + " changes the roster");
        }
        SignedRoster next = RosterCodec.sign(change.apply(now.roster()), self);
        db.jdbi().useTransaction(h -> record(h, next));
        current = Optional.of(next);
        return next;
    }

    private static Member requireMember(Roster roster, CellId cell) {
        return roster.member(cell).orElseThrow(() ->
                new IllegalArgumentException(cell.shortForm() + " is not a member of the fleet"));
    }

    private void record(Handle h, SignedRoster signed) {
        h.createUpdate("INSERT INTO roster_history (fleet_id, seq, hash, bytes, applied_at) VALUES (?, ?, ?, ?, ?)")
                .bind(0, signed.roster().fleetId().hex()).bind(1, signed.roster().seq()).bind(2, signed.hash())
                .bind(3, signed.encode()).bind(4, clock.millis()).execute();
    }

    private void pin(Handle h, PinnedFleet fleet) {
        h.createUpdate("INSERT INTO fleet (id, fleet_id, leader, leader_key, pinned_at) VALUES (1, ?, ?, ?, ?)")
                .bind(0, fleet.fleetId().hex()).bind(1, fleet.leader().value()).bind(2, fleet.leaderKey())
                .bind(3, clock.millis()).execute();
    }

    private static void requireNotPinned(Handle h) {
        if (h.createQuery("SELECT COUNT(*) FROM fleet").mapTo(Integer.class).one() > 0) {
            throw new IllegalStateException("this cell is already in a fleet");
        }
    }

    private Optional<SignedRoster> loadCurrent() {
        return db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT bytes FROM roster_history ORDER BY seq DESC LIMIT 1")
                .map((rs, ctx) -> SignedRoster.decode(rs.getBytes(1))).findOne());
    }

    /**
     * What {@link #apply} did with a roster.
     *
     * @param status what happened
     * @param reason why, for logs and the operator (empty when applied)
     */
    public record Outcome(Status status, String reason) {
        public Outcome {
            if (status == null || reason == null) {
                throw new IllegalArgumentException("an outcome needs a status and a reason");
            }
        }

        static Outcome applied() {
            return new Outcome(Status.APPLIED, "");
        }

        static Outcome stale(String reason) {
            return new Outcome(Status.STALE, reason);
        }

        static Outcome fork(String reason) {
            return new Outcome(Status.FORK, reason);
        }

        static Outcome rejected(String reason) {
            return new Outcome(Status.REJECTED, reason);
        }
    }

    /** The kinds of {@link Outcome}. */
    public enum Status {
        /** Newer, valid, now current. */
        APPLIED,
        /** Not newer than the current roster (or the very same one again); nothing changed. */
        STALE,
        /** Same seq as an applied roster but different content, both signed by the leader; kept as evidence. */
        FORK,
        /** Another fleet, a wrong signature or no fleet pinned; nothing changed. */
        REJECTED
    }
}
