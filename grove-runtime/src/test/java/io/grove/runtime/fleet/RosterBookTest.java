package io.grove.runtime.fleet;

import io.grove.testing.ManualClock;
import io.grove.runtime.fleet.FleetTesting.TestCell;
import io.grove.runtime.fleet.RosterBook.Status;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RosterBookTest {
    @TempDir
    Path tmp;
    private ManualClock clock;
    private TestCell leader;
    private TestCell bob;
    private TestCell carol;

    @BeforeEach
    void cells() {
        clock = FleetTesting.clock();
        leader = TestCell.create(tmp, "leader", clock);
        bob = TestCell.create(tmp, "bob", clock);
        carol = TestCell.create(tmp, "carol", clock);
    }

    @Test
    void createMakesSeqOneSignedByThisCell() {
        SignedRoster first = leader.book().create("laptop", RosterParameters.DEFAULTS);

        assertThat(first.roster().seq()).isEqualTo(1);
        assertThat(first.roster().leader()).isEqualTo(leader.keys().cellId());
        assertThat(first.roster().members()).extracting(Member::id).containsExactly(leader.keys().cellId());
        assertThat(RosterCodec.verify(first, leader.keys().signingPublicKey())).isTrue();
        assertThat(leader.book().stamp()).isEqualTo(new Membership.RosterStamp(1, first.hash()));
        assertThatThrownBy(() -> leader.book().create("again", RosterParameters.DEFAULTS))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already in a fleet");
    }

    @Test
    void leaderOperationsProduceIncreasingSeqsAndHistoryKeepsEveryVersion() {
        List<SignedRoster> made = new ArrayList<>();
        made.add(leader.book().create("laptop", RosterParameters.DEFAULTS));
        made.add(leader.book().add(bob.asMember("nas", Role.MEMBER)));
        made.add(leader.book().add(carol.asMember("friend's pi", Role.FRIEND)));
        made.add(leader.book().setFavourite(bob.keys().cellId(), true));
        made.add(leader.book().setParameters(new RosterParameters(3, Duration.ofMinutes(1), Duration.ofHours(2))));
        made.add(leader.book().revoke(carol.keys().cellId()));

        assertThat(made).extracting(s -> s.roster().seq()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(leader.book().history()).containsExactlyElementsOf(made);
        assertThat(leader.book().member(bob.keys().cellId())).hasValueSatisfying(m -> assertThat(m.favourite()).isTrue());
        assertThat(leader.book().member(carol.keys().cellId())).isEmpty();
        assertThat(leader.book().current().orElseThrow().roster().parameters().replicationFactor()).isEqualTo(3);
        assertThat(leader.reopened().current()).contains(made.getLast());
    }

    @Test
    void leaderOperationsRefuseWhatMakesNoSense() {
        leader.book().create("laptop", RosterParameters.DEFAULTS);
        leader.book().add(bob.asMember("nas", Role.MEMBER));

        assertThatThrownBy(() -> leader.book().add(bob.asMember("nas again", Role.MEMBER)))
                .hasMessageContaining("already a member");
        assertThatThrownBy(() -> leader.book().revoke(leader.keys().cellId())).hasMessageContaining("cannot revoke itself");
        assertThatThrownBy(() -> leader.book().revoke(carol.keys().cellId())).hasMessageContaining("not a member");
        assertThat(leader.book().stamp().seq()).isEqualTo(2);
    }

    @Test
    void onlyTheLeaderChangesTheRoster() {
        SignedRoster first = leader.book().create("laptop", RosterParameters.DEFAULTS);
        join(bob, first);

        assertThatThrownBy(() -> bob.book().add(carol.asMember("pi", Role.MEMBER)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("only the leader");
    }

    @Test
    void memberAppliesHigherSeqsAndCallsLowerOrEqualStale() {
        SignedRoster v1 = leader.book().create("laptop", RosterParameters.DEFAULTS);
        SignedRoster v2 = leader.book().add(bob.asMember("nas", Role.MEMBER));
        SignedRoster v3 = leader.book().setFavourite(bob.keys().cellId(), true);
        bob.book().pin(leader.book().pinned().orElseThrow());

        assertThat(bob.book().apply(v2).status()).isEqualTo(Status.APPLIED);
        assertThat(bob.book().apply(v1).status()).isEqualTo(Status.STALE);
        assertThat(bob.book().apply(v2).status()).isEqualTo(Status.STALE);
        assertThat(bob.book().apply(v3).status()).isEqualTo(Status.APPLIED);
        assertThat(bob.book().stamp()).isEqualTo(new Membership.RosterStamp(3, v3.hash()));
        assertThat(bob.book().history()).containsExactly(v2, v3);
        assertThat(bob.book().member(bob.keys().cellId())).isPresent();
    }

    @Test
    void refusesARosterSignedByAnotherCell() {
        SignedRoster v1 = leader.book().create("laptop", RosterParameters.DEFAULTS);
        join(bob, v1);
        Roster forged = v1.roster().next(clock.millis(), members -> {
            members.add(carol.asMember("intruder", Role.MEMBER));
            return members;
        });
        byte[] payload = RosterCodec.payload(forged);
        SignedRoster signedByCarol = new SignedRoster(forged, payload, carol.keys().sign(RosterCodec.SIGNATURE_LABEL, payload));

        RosterBook.Outcome outcome = bob.book().apply(signedByCarol);

        assertThat(outcome.status()).isEqualTo(Status.REJECTED);
        assertThat(outcome.reason()).contains("not signed by the pinned leader");
        assertThat(bob.book().stamp().seq()).isEqualTo(1);
    }

    @Test
    void refusesARosterOfAnotherFleet() {
        SignedRoster v1 = leader.book().create("laptop", RosterParameters.DEFAULTS);
        join(bob, v1);
        // Same leader key, another fleet: a cell that founded two fleets cannot mix them.
        Roster other = new Roster(FleetId.random(), "other fleet", 5, clock.millis(), leader.keys().cellId(), v1.roster().members(),
                RosterParameters.DEFAULTS);

        RosterBook.Outcome outcome = bob.book().apply(RosterCodec.sign(other, leader.keys()));

        assertThat(outcome.status()).isEqualTo(Status.REJECTED);
        assertThat(outcome.reason()).contains("not ours");
    }

    @Test
    void refusesBeforeAnyFleetIsPinned() {
        SignedRoster v1 = leader.book().create("laptop", RosterParameters.DEFAULTS);

        assertThat(bob.book().apply(v1).status()).isEqualTo(Status.REJECTED);
        assertThat(bob.book().stamp()).isEqualTo(new Membership.RosterStamp(0, ""));
    }

    @Test
    void equalSeqWithOtherContentIsAForkAndKeptAsEvidence() {
        SignedRoster v1 = leader.book().create("laptop", RosterParameters.DEFAULTS);
        SignedRoster v2 = leader.book().add(bob.asMember("nas", Role.MEMBER));
        join(carol, v1);
        assertThat(carol.book().apply(v2).status()).isEqualTo(Status.APPLIED);
        Roster rival = v1.roster().next(clock.millis() + 1, members -> {
            members.add(carol.asMember("pi", Role.FRIEND));
            return members;
        });
        SignedRoster rivalV2 = RosterCodec.sign(rival, leader.keys());

        RosterBook.Outcome outcome = carol.book().apply(rivalV2);

        assertThat(outcome.status()).isEqualTo(Status.FORK);
        assertThat(carol.book().forks()).containsExactly(rivalV2);
        assertThat(carol.book().current()).contains(v2);
    }

    @Test
    void aSingleFlippedBitAnywhereNeverApplies() {
        SignedRoster v1 = leader.book().create("laptop", RosterParameters.DEFAULTS);
        join(bob, v1);
        byte[] v2 = leader.book().add(bob.asMember("nas", Role.MEMBER)).encode();
        int tried = 0;

        // One bit per byte, a different bit position from byte to byte, so every bit position is hit many times.
        for (int i = 0; i < v2.length; i++) {
            int bit = i % 8;
            byte[] flipped = v2.clone();
            flipped[i] ^= (byte) (1 << bit);
            tried++;
            SignedRoster decoded;
            try {
                decoded = SignedRoster.decode(flipped);
            } catch (FleetFormatException expected) {
                continue;
            }
            assertThat(bob.book().apply(decoded).status()).as("byte %d bit %d", i, bit).isEqualTo(Status.REJECTED);
        }

        assertThat(tried).isEqualTo(v2.length);
        assertThat(bob.book().stamp().seq()).isEqualTo(1);
        assertThat(bob.book().history()).containsExactly(v1);
    }

    /** Pins {@code cell} to the leader's fleet and applies {@code roster}. */
    private void join(TestCell cell, SignedRoster roster) {
        cell.book().pin(leader.book().pinned().orElseThrow());
        assertThat(cell.book().apply(roster).status()).isEqualTo(Status.APPLIED);
    }
}
