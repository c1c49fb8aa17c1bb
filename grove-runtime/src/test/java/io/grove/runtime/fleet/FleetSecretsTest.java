package io.grove.runtime.fleet;

import io.grove.testing.ManualClock;

import io.grove.runtime.fleet.FleetTesting.TestCell;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FleetSecretsTest {
    private static final byte[] NOTE = "fleet-wide metadata".getBytes(StandardCharsets.UTF_8);
    @TempDir
    Path tmp;
    private TestCell leader;
    private TestCell bob;
    private TestCell carol;

    @BeforeEach
    void fleetOfThree() {
        ManualClock clock = FleetTesting.clock();
        leader = TestCell.create(tmp, "leader", clock);
        bob = TestCell.create(tmp, "bob", clock);
        carol = TestCell.create(tmp, "carol", clock);
        SignedRoster v1 = leader.book().create("laptop", RosterParameters.DEFAULTS);
        for (TestCell cell : new TestCell[]{bob, carol}) {
            leader.book().add(cell.asMember(cell == bob ? "nas" : "pi", Role.MEMBER));
            cell.book().pin(leader.book().pinned().orElseThrow());
            cell.book().apply(leader.book().current().orElseThrow());
        }
        assertThat(v1.roster().seq()).isEqualTo(1);
        deliverSecrets();
    }

    @Test
    void everyMemberOpensWhatAnotherSealed() {
        byte[] sealed = bob.book().secrets().sealForFleet(1, NOTE);

        assertThat(leader.book().secrets().open(sealed)).isEqualTo(NOTE);
        assertThat(carol.book().secrets().open(sealed)).isEqualTo(NOTE);
    }

    @Test
    void aRevokedMemberCannotOpenLaterEpochsButOldOnesStayReadable() {
        byte[] before = leader.book().secrets().sealForFleet(1, NOTE);

        leader.book().revoke(carol.keys().cellId());
        deliverSecrets();
        long epoch = leader.book().secrets().currentEpoch().orElseThrow();
        byte[] after = leader.book().secrets().sealForFleet(epoch, NOTE);

        assertThat(epoch).isEqualTo(2);
        assertThat(leader.book().secrets().wrapsFor(carol.keys().cellId())).extracting(WrappedSecret::epoch).containsExactly(1L);
        assertThat(bob.book().secrets().open(after)).isEqualTo(NOTE);
        assertThatThrownBy(() -> carol.book().secrets().open(after))
                .isInstanceOf(FleetSecretException.class).hasMessageContaining("epoch 2");
        // Even handed another member's wrap of epoch 2, carol cannot unwrap it.
        WrappedSecret bobs = leader.book().secrets().wrapsFor(bob.keys().cellId()).getLast();
        assertThatThrownBy(() -> carol.book().secrets().accept(bobs)).isInstanceOf(FleetSecretException.class);
        assertThat(carol.book().secrets().open(before)).isEqualTo(NOTE);
        assertThat(bob.book().secrets().open(before)).isEqualTo(NOTE);
    }

    @Test
    void aSecretWrappedByAnyoneButTheLeaderIsRefused() {
        // Mallory founds a fleet of her own and wraps a secret; she is not the leader bob pinned.
        TestCell mallory = TestCell.create(tmp, "mallory", leader.clock());
        mallory.book().create("mallory", RosterParameters.DEFAULTS);
        WrappedSecret foreign = mallory.book().secrets().wrapsFor(mallory.keys().cellId()).getFirst();

        assertThatThrownBy(() -> bob.book().secrets().accept(foreign)).isInstanceOf(FleetSecretException.class);
    }

    @Test
    void alteredSealedBytesDoNotOpen() {
        byte[] sealed = leader.book().secrets().sealForFleet(1, NOTE);
        sealed[sealed.length - 1] ^= 1;

        assertThatThrownBy(() -> bob.book().secrets().open(sealed)).isInstanceOf(FleetSecretException.class);
    }

    @Test
    void wrappedSecretsRoundTripTheirEncoding() {
        WrappedSecret w = leader.book().secrets().wrapsFor(bob.keys().cellId()).getFirst();

        assertThat(WrappedSecret.decode(w.encode())).isEqualTo(w);
    }

    /** What the peer protocol will do: hand each member the wraps addressed to it. */
    private void deliverSecrets() {
        for (TestCell cell : new TestCell[]{bob, carol}) {
            leader.book().secrets().wrapsFor(cell.keys().cellId()).forEach(cell.book().secrets()::accept);
        }
    }
}
