package io.grove.runtime.replication;

import io.grove.api.CellId;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Placement never exceeds the factor, never picks a holder or a cell twice, and prefers favourites then speed. */
class PlacementPolicyTest {

    private static CellId cell(int i) {
        byte[] key = new byte[32];
        key[0] = (byte) i;
        key[1] = (byte) (i >> 8);
        return CellId.ofPublicKey(key);
    }

    @Property(tries = 2000)
    void neverAboveTheFactorNeverAHolderNeverTwiceFavouritesFirst(@ForAll @IntRange(min = 0, max = 12) int cells,
                                                                   @ForAll @IntRange(min = 0, max = 8) int needed,
                                                                   @ForAll long seed) {
        Random random = new Random(seed);
        List<PlacementPolicy.Candidate> candidates = new ArrayList<>();
        Set<CellId> holders = new HashSet<>();
        for (int i = 0; i < cells; i++) {
            CellId id = cell(i);
            if (random.nextInt(4) == 0) {
                holders.add(id);
            }
            OptionalDouble score = random.nextBoolean() ? OptionalDouble.of(random.nextDouble() * 100 - 20) : OptionalDouble.empty();
            PlacementPolicy.Candidate c = new PlacementPolicy.Candidate(id, random.nextInt(3) == 0, score);
            candidates.add(c);
            if (random.nextInt(5) == 0) {
                candidates.add(c); // duplicates in the input must not yield a cell twice
            }
        }
        List<CellId> targets = PlacementPolicy.targets(needed, holders, candidates);

        assertThat(targets.size() + holders.size()).isLessThanOrEqualTo(Math.max(needed, holders.size()));
        assertThat(new HashSet<>(targets)).hasSameSizeAs(targets);
        assertThat(targets).noneMatch(holders::contains);
        long available = candidates.stream().map(PlacementPolicy.Candidate::id).filter(id -> !holders.contains(id))
                .distinct().count();
        assertThat(targets).hasSize((int) Math.min(Math.max(needed - holders.size(), 0), available));
        // A non-favourite is chosen only when every available favourite was chosen.
        Set<CellId> chosen = new HashSet<>(targets);
        boolean anyNonFavourite = candidates.stream().anyMatch(c -> !c.favourite() && chosen.contains(c.id()));
        if (anyNonFavourite) {
            assertThat(candidates.stream().filter(c -> c.favourite() && !holders.contains(c.id()))
                    .allMatch(c -> chosen.contains(c.id()))).isTrue();
        }
    }

    @Test
    void measuredFasterRoutesBeforeSlowerBeforeUnmeasuredAndSurplusDropsTheLeastPreferred() {
        PlacementPolicy.Candidate slow = new PlacementPolicy.Candidate(cell(1), false, OptionalDouble.of(40));
        PlacementPolicy.Candidate fast = new PlacementPolicy.Candidate(cell(2), false, OptionalDouble.of(2));
        PlacementPolicy.Candidate unmeasured = new PlacementPolicy.Candidate(cell(3), false, OptionalDouble.empty());
        PlacementPolicy.Candidate favourite = new PlacementPolicy.Candidate(cell(4), true, OptionalDouble.of(90));

        assertThat(PlacementPolicy.targets(3, Set.of(), List.of(unmeasured, slow, fast, favourite)))
                .containsExactly(favourite.id(), fast.id(), slow.id());
        assertThat(PlacementPolicy.targets(1, Set.of(favourite.id()), List.of(unmeasured, slow, fast, favourite))).isEmpty();
        assertThat(PlacementPolicy.surplus(2, List.of(unmeasured, slow, fast, favourite)))
                .containsExactly(slow.id(), unmeasured.id());
        assertThat(PlacementPolicy.surplus(4, List.of(unmeasured, slow))).isEmpty();
    }

    @Test
    void aManifestFollowsItsChunksAfterFavouritesButNeverAboveTheFactor() {
        PlacementPolicy.Candidate fast = new PlacementPolicy.Candidate(cell(1), false, OptionalDouble.of(2));
        PlacementPolicy.Candidate slow = new PlacementPolicy.Candidate(cell(2), false, OptionalDouble.of(40));
        PlacementPolicy.Candidate favourite = new PlacementPolicy.Candidate(cell(3), true, OptionalDouble.of(90));
        List<PlacementPolicy.Candidate> all = List.of(fast, slow, favourite);

        // The chunks went to the slow cell: the manifest follows them rather than the faster route.
        assertThat(PlacementPolicy.targets(1, Set.of(), List.of(fast, slow), Set.of(slow.id()))).containsExactly(slow.id());
        // Favourites still come first; the cells along come next; never more than missing, never a holder.
        assertThat(PlacementPolicy.targets(2, Set.of(), all, Set.of(slow.id()))).containsExactly(favourite.id(), slow.id());
        assertThat(PlacementPolicy.targets(2, Set.of(slow.id()), all, Set.of(slow.id()))).containsExactly(favourite.id());
        assertThat(PlacementPolicy.targets(1, Set.of(), all, Set.of(cell(9)))).containsExactly(favourite.id());
    }
}
