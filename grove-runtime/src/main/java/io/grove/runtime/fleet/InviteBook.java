package io.grove.runtime.fleet;

import io.grove.api.CellId;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.db.Database;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The leader's invites: issues one-time codes and admits the cells that redeem them. Only a verifier of each secret
 * is stored; a code is used at most once, which an atomic conditional update guarantees even under concurrent
 * redemptions.
 */
public final class InviteBook {
    /** How far a join request's timestamp may be from the leader's clock (the peer protocol's window). */
    public static final Duration CLOCK_WINDOW = Duration.ofMinutes(5);
    /** The longest an invite may stay valid. */
    public static final Duration MAX_TTL = Duration.ofDays(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;
    private final RosterBook roster;
    private final CellKeys self;
    private final Clock clock;

    public InviteBook(Database db, RosterBook roster, CellKeys self, Clock clock) {
        this.db = db;
        this.roster = roster;
        this.self = self;
        this.clock = clock;
    }

    /**
     * Issues an invite (leader only).
     *
     * @param role   what the joining cell becomes
     * @param ttl    how long the code works, 1 minute to 30 days
     * @param routes where the joining cell can reach this cell, {@code host:port}, at most 8
     */
    public Invite issue(Role role, Duration ttl, List<String> routes) {
        if (ttl.compareTo(Duration.ofMinutes(1)) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("an invite lasts 1 minute to 30 days, not " + ttl);
        }
        SignedRoster current = roster.current().orElseThrow(() -> new IllegalStateException("this cell is in no fleet"));
        if (!current.roster().leader().equals(self.cellId())) {
            throw new IllegalStateException("only the leader " + current.roster().leader().shortForm() + " issues invites");
        }
        byte[] secret = new byte[Invite.SECRET_BYTES];
        RANDOM.nextBytes(secret);
        Instant now = clock.instant();
        Invite invite = new Invite(current.roster().fleetId(), self.signingPublicKey(), routes, role,
                now.plus(ttl).truncatedTo(ChronoUnit.SECONDS), secret);
        db.jdbi().useHandle(h -> h.createUpdate(
                        "INSERT INTO invites (verifier, fleet_id, role, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)")
                .bind(0, HexFormat.of().formatHex(JoinRequest.verifier(secret)))
                .bind(1, invite.fleetId().hex())
                .bind(2, role.name().toLowerCase(Locale.ROOT))
                .bind(3, now.toEpochMilli())
                .bind(4, invite.expiresAt().toEpochMilli())
                .execute());
        return invite;
    }

    /**
     * Admits the cell behind {@code request} if it proves an unused, unexpired invite of this fleet: marks the invite
     * used and adds the cell to the roster (the next seq). A refusal changes nothing.
     */
    public Redemption redeem(JoinRequest request) {
        return redeem(request, List.of());
    }

    /**
     * Like {@link #redeem(JoinRequest)}, recording {@code routes} — where the joining cell's peer socket can be
     * reached, as it advertised them in its (signed) request — in its roster entry.
     */
    public synchronized Redemption redeem(JoinRequest request, List<String> routes) {
        Optional<SignedRoster> current = roster.current();
        if (current.isEmpty() || !current.get().roster().leader().equals(self.cellId())) {
            return new Redemption.Refused("this cell is not the leader of a fleet");
        }
        if (!request.fleetId().equals(current.get().roster().fleetId())) {
            return new Redemption.Refused("the invite is for fleet " + request.fleetId() + ", not this one");
        }
        long now = clock.millis();
        if (Math.abs(now - request.timestamp()) > CLOCK_WINDOW.toMillis()) {
            return new Redemption.Refused("the join request's clock is more than 5 minutes off the leader's; "
                    + "set the joining cell's clock and try again");
        }
        if (!request.signatureValid()) {
            return new Redemption.Refused("the join request is not signed by the key it offers");
        }
        List<Row> rows = db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT verifier, role, expires_at, used_at IS NOT NULL FROM invites WHERE fleet_id = ?")
                .bind(0, request.fleetId().hex())
                .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getBoolean(4)))
                .list());
        Optional<Row> match = rows.stream()
                .filter(r -> request.provesKnowledgeOf(HexFormat.of().parseHex(r.verifier()))).findFirst();
        if (match.isEmpty()) {
            return new Redemption.Refused("no invite of this fleet matches the code (wrong code, or not issued here)");
        }
        Row invite = match.get();
        if (invite.used()) {
            return new Redemption.Refused("this invite code was already used; ask the leader for a new one");
        }
        if (now >= invite.expiresAt()) {
            return new Redemption.Refused("this invite code expired at " + Instant.ofEpochMilli(invite.expiresAt())
                    + "; ask the leader for a new one");
        }
        CellId joiner = CellId.ofPublicKey(request.signingKey());
        if (roster.member(joiner).isPresent()) {
            return new Redemption.Refused("cell " + joiner.shortForm() + " is already a member");
        }
        int marked = db.jdbi().withHandle(h -> h.createUpdate(
                        "UPDATE invites SET used_at = ?, used_by = ? WHERE verifier = ? AND used_at IS NULL")
                .bind(0, now).bind(1, joiner.value()).bind(2, invite.verifier()).execute());
        if (marked != 1) {
            return new Redemption.Refused("this invite code was already used; ask the leader for a new one");
        }
        Member member = new Member(joiner, request.signingKey(), request.agreementKey(), request.label(),
                Role.valueOf(invite.role().toUpperCase(Locale.ROOT)), false, routes);
        SignedRoster next;
        try {
            next = roster.add(member);
        } catch (RuntimeException e) {
            // Give the code back: the join did not happen, so it must still be usable.
            db.jdbi().useHandle(h -> h.createUpdate("UPDATE invites SET used_at = NULL, used_by = NULL WHERE verifier = ?")
                    .bind(0, invite.verifier()).execute());
            throw e;
        }
        return new Redemption.Joined(member, next, roster.secrets().wrapsFor(joiner));
    }

    private record Row(String verifier, String role, long expiresAt, boolean used) {
    }
}
