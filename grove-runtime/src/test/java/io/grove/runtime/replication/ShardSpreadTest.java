package io.grove.runtime.replication;

import io.grove.api.CellId;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shard spreading: distinct cells when there are enough, never more than m shards on one cell otherwise, never a
 * shard placed twice or onto a cell that holds it, and as many shards placed as the cap allows.
 */
class ShardSpreadTest {

    private static CellId cell(int i) {
        byte[] key = new byte[32];
        key[0] = (byte) i;
        key[1] = (byte) (i >> 8);
        return CellId.ofPublicKey(key);
    }

    private static PlacementPolicy.Candidate candidate(int i) {
        return new PlacementPolicy.Candidate(cell(i), false, OptionalDouble.empty());
    }

    @Property(tries = 3000)
    void noCellAboveTheCapDistinctWhenEnoughNeverTwiceAndAsManyAsAllowed(
            @ForAll @IntRange(min = 1, max = 8) int k, @ForAll @IntRange(min = 1, max = 4) int m,
            @ForAll @IntRange(min = 0, max = 14) int cells, @ForAll @IntRange(min = 0, max = 3) int holdersMode,
            @ForAll long seed) {
        Random random = new Random(seed);
        int n = k + m;
        List<PlacementPolicy.Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < cells; i++) {
            PlacementPolicy.Candidate c = new PlacementPolicy.Candidate(cell(i), random.nextInt(4) == 0,
                    random.nextBoolean() ? OptionalDouble.of(random.nextDouble() * 50) : OptionalDouble.empty());
            candidates.add(c);
            if (random.nextInt(6) == 0) {
                candidates.add(c); // duplicates in the input must not matter
            }
        }
        // Existing holders: none, or a valid earlier spread with some shards lost (holdersMode > 0).
        List<Set<CellId>> holders = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            holders.add(new HashSet<>());
        }
        if (holdersMode > 0 && cells > 0) {
            Map<Integer, CellId> earlier = ShardSpread.assign(k, m, holders, candidates);
            earlier.forEach((index, c) -> {
                if (random.nextInt(holdersMode + 1) != 0) {
                    holders.get(index).add(c);
                }
            });
        }
        Map<CellId, Integer> loadBefore = load(holders);
        Set<CellId> all = new LinkedHashSet<>(loadBefore.keySet());
        candidates.forEach(c -> all.add(c.id()));
        int cap = ShardSpread.cap(k, m, all.size());

        Map<Integer, CellId> out = ShardSpread.assign(k, m, holders, candidates);

        // Never a shard with a holder, never to a cell that holds it.
        for (Map.Entry<Integer, CellId> e : out.entrySet()) {
            assertThat(holders.get(e.getKey())).isEmpty();
            assertThat(holders.get(e.getKey())).doesNotContain(e.getValue());
        }
        Map<CellId, Integer> after = new HashMap<>(loadBefore);
        out.values().forEach(c -> after.merge(c, 1, Integer::sum));
        // No cell above m; with at least k+m cells, every cell holds at most one shard.
        for (Map.Entry<CellId, Integer> e : after.entrySet()) {
            assertThat(e.getValue()).isLessThanOrEqualTo(Math.max(cap, loadBefore.getOrDefault(e.getKey(), 0)));
            assertThat(e.getValue()).isLessThanOrEqualTo(m);
        }
        if (all.size() >= n) {
            assertThat(after.values()).allMatch(v -> v == 1);
        }
        // As many as allowed: a shard stays unplaced only when no candidate has room.
        long unplaced = holders.stream().filter(Set::isEmpty).count() - out.size();
        if (unplaced > 0) {
            assertThat(candidates).allMatch(c -> after.getOrDefault(c.id(), 0) >= cap);
        }
        // Losing any one cell leaves at least k shards once every shard is placed.
        if (unplaced == 0) {
            for (CellId lost : after.keySet()) {
                assertThat(n - after.get(lost)).isGreaterThanOrEqualTo(k);
            }
        }
    }

    @Test
    void fourPlusTwoOnThreePeersIsTwoEachAndOnSixPeersOneEach() {
        List<Set<CellId>> none = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            none.add(Set.of());
        }
        Map<Integer, CellId> three = ShardSpread.assign(4, 2, none, List.of(candidate(1), candidate(2), candidate(3)));
        assertThat(three).hasSize(6);
        assertThat(load(three)).containsOnlyKeys(cell(1), cell(2), cell(3)).allSatisfy((c, n) -> assertThat(n).isEqualTo(2));
        List<PlacementPolicy.Candidate> six = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            six.add(candidate(i));
        }
        Map<Integer, CellId> distinct = ShardSpread.assign(4, 2, none, six);
        assertThat(new HashSet<>(distinct.values())).hasSize(6);
        // Two peers only: two shards each, two shards unplaced (at risk), never three on one cell.
        Map<Integer, CellId> two = ShardSpread.assign(4, 2, none, List.of(candidate(1), candidate(2)));
        assertThat(two).hasSize(4);
        assertThat(load(two).values()).containsOnly(2);
    }

    @Test
    void aLostShardGoesToTheLeastLoadedCellThatDoesNotHoldIt() {
        List<Set<CellId>> holders = List.of(Set.of(cell(1)), Set.of(cell(1)), Set.of(cell(2)), Set.of(cell(2)),
                Set.of(cell(3)), Set.of());
        Map<Integer, CellId> out = ShardSpread.assign(4, 2, holders,
                List.of(candidate(1), candidate(2), candidate(3)));
        assertThat(out).containsExactly(Map.entry(5, cell(3)));
        // A surplus copy of a shard: the holder with more shards of the chunk releases it.
        List<Set<CellId>> doubled = List.of(Set.of(cell(1), cell(3)), Set.of(cell(1)), Set.of(cell(2)),
                Set.of(cell(2)), Set.of(cell(4)), Set.of(cell(4)));
        assertThat(ShardSpread.surplus(doubled, 0, Map.of())).containsExactly(cell(1));
        assertThat(ShardSpread.surplus(doubled, 1, Map.of())).isEmpty();
    }

    private static Map<CellId, Integer> load(List<Set<CellId>> holders) {
        Map<CellId, Integer> load = new HashMap<>();
        holders.forEach(h -> h.forEach(c -> load.merge(c, 1, Integer::sum)));
        return load;
    }

    private static Map<CellId, Integer> load(Map<Integer, CellId> out) {
        Map<CellId, Integer> load = new HashMap<>();
        out.values().forEach(c -> load.merge(c, 1, Integer::sum));
        return load;
    }
}
