package io.grove.runtime.fleet;

import io.grove.testing.ManualClock;
import io.grove.runtime.fleet.FleetTesting.TestCell;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InviteBookTest {
    @TempDir
    Path tmp;
    private ManualClock clock;
    private TestCell leader;
    private TestCell bob;
    private InviteBook invites;

    @BeforeEach
    void fleet() {
        clock = FleetTesting.clock();
        leader = TestCell.create(tmp, "leader", clock);
        bob = TestCell.create(tmp, "bob", clock);
        leader.book().create("laptop", RosterParameters.DEFAULTS);
        invites = new InviteBook(leader.db(), leader.book(), leader.keys(), clock);
    }

    @Test
    void codeRoundTripsAndIsShort() {
        Invite invite = invites.issue(Role.MEMBER, Duration.ofDays(1), List.of("192.168.1.20:5679", "[fd7a:115c::1]:5679"));
        String code = invite.encode();

        assertThat(code).startsWith("GROVE1-").hasSizeLessThan(200).matches("GROVE1-[A-Z2-7]+");
        assertThat(Invite.decode(code)).isEqualTo(invite);
        assertThat(Invite.decode(code).leader()).isEqualTo(leader.keys().cellId());
        assertThat(Invite.parse("  " + code.toLowerCase().replaceAll("(.{8})", "$1 ") + "\n")).isEqualTo(invite);
        assertThat(invite.toString()).doesNotContain(HexFormat.of().formatHex(invite.secret()));
    }

    @Test
    void tamperedCodeIsRefusedByTheChecksum() {
        String code = invites.issue(Role.MEMBER, Duration.ofDays(1), List.of("nas.local:5679")).encode();
        for (int i = Invite.PREFIX.length(); i < code.length() - 1; i++) {
            char swapped = code.charAt(i) == 'A' ? 'B' : 'A';
            String tampered = code.substring(0, i) + swapped + code.substring(i + 1);
            assertThatThrownBy(() -> Invite.decode(tampered)).isInstanceOf(FleetFormatException.class);
        }
        assertThatThrownBy(() -> Invite.decode(code.substring(0, code.length() - 8)))
                .isInstanceOf(FleetFormatException.class);
    }

    @Test
    void redeemingAddsTheMemberAndHandsItTheRosterAndSecrets() {
        Invite invite = Invite.decode(invites.issue(Role.MEMBER, Duration.ofDays(1), List.of()).encode());

        Redemption result = invites.redeem(JoinRequest.create(invite, bob.keys(), "nas", clock));

        assertThat(result).isInstanceOf(Redemption.Joined.class);
        Redemption.Joined joined = (Redemption.Joined) result;
        assertThat(joined.roster().roster().seq()).isEqualTo(2);
        assertThat(joined.member().role()).isEqualTo(Role.MEMBER);
        assertThat(leader.book().member(bob.keys().cellId())).isPresent();
        bob.book().pin(invite.pinned());
        assertThat(bob.book().apply(joined.roster()).status()).isEqualTo(RosterBook.Status.APPLIED);
        joined.secrets().forEach(bob.book().secrets()::accept);
        assertThat(bob.book().secrets().currentEpoch()).hasValue(1);
    }

    @Test
    void aUsedCodeIsRefusedAndChangesNothing() {
        Invite invite = invites.issue(Role.FRIEND, Duration.ofDays(1), List.of());
        assertThat(invites.redeem(JoinRequest.create(invite, bob.keys(), "pi", clock))).isInstanceOf(Redemption.Joined.class);
        TestCell carol = TestCell.create(tmp, "carol", clock);
        long seq = leader.book().stamp().seq();

        Redemption again = invites.redeem(JoinRequest.create(invite, carol.keys(), "carol", clock));

        assertThat(again).isEqualTo(new Redemption.Refused("this invite code was already used; ask the leader for a new one"));
        assertThat(leader.book().stamp().seq()).isEqualTo(seq);
        assertThat(leader.book().member(carol.keys().cellId())).isEmpty();
    }

    @Test
    void anExpiredCodeIsRefused() {
        Invite invite = invites.issue(Role.MEMBER, Duration.ofHours(1), List.of());
        clock.advance(Duration.ofHours(1));

        Redemption result = invites.redeem(JoinRequest.create(invite, bob.keys(), "nas", clock));

        assertThat(result).isInstanceOfSatisfying(Redemption.Refused.class,
                r -> assertThat(r.reason()).contains("expired"));
        assertThat(leader.book().stamp().seq()).isEqualTo(1);
    }

    @Test
    void aWrongSecretIsRefused() {
        Invite real = invites.issue(Role.MEMBER, Duration.ofDays(1), List.of());
        byte[] guess = real.secret();
        guess[0] ^= 1;
        Invite forged = new Invite(real.fleetId(), real.leaderKey(), real.routes(), real.role(), real.expiresAt(), guess);

        Redemption result = invites.redeem(JoinRequest.create(forged, bob.keys(), "nas", clock));

        assertThat(result).isInstanceOfSatisfying(Redemption.Refused.class,
                r -> assertThat(r.reason()).contains("no invite of this fleet matches"));
        assertThat(leader.book().stamp().seq()).isEqualTo(1);
        // The real code still works: a wrong guess does not burn it.
        assertThat(invites.redeem(JoinRequest.create(real, bob.keys(), "nas", clock))).isInstanceOf(Redemption.Joined.class);
    }

    @Test
    void aRequestWithAnotherCellsKeysOrAnOldTimestampIsRefused() {
        Invite invite = invites.issue(Role.MEMBER, Duration.ofDays(1), List.of());
        JoinRequest honest = JoinRequest.create(invite, bob.keys(), "nas", clock);
        // Someone who saw the request swaps in their own agreement key: the proof no longer matches.
        JoinRequest swapped = new JoinRequest(honest.fleetId(), honest.signingKey(), leader.keys().agreementPublicKey(),
                honest.label(), honest.timestamp(), honest.proof(), honest.signature());
        assertThat(invites.redeem(swapped)).isInstanceOf(Redemption.Refused.class);

        clock.advance(Duration.ofMinutes(6));
        assertThat(invites.redeem(honest)).isInstanceOfSatisfying(Redemption.Refused.class,
                r -> assertThat(r.reason()).contains("clock"));
        assertThat(leader.book().stamp().seq()).isEqualTo(1);
    }

    @Test
    void theLeaderStoresOnlyAVerifierOfTheSecret() {
        Invite invite = invites.issue(Role.MEMBER, Duration.ofDays(1), List.of());
        String secretHex = HexFormat.of().formatHex(invite.secret());

        List<String> stored = leader.db().jdbi().withHandle(h -> h.createQuery("SELECT verifier FROM invites")
                .mapTo(String.class).list());

        assertThat(stored).hasSize(1).noneMatch(v -> v.contains(secretHex));
    }
}
