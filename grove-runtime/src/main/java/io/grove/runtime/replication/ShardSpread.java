package io.grove.runtime.replication;

import io.grove.api.CellId;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the shards of an erasure-coded chunk go. With at least {@code k + m} cells (holders and candidates) every
 * shard goes to its own cell; with fewer, no cell holds more than {@code m} shards, so the loss of any one cell still
 * leaves at least {@code k} (three peers and 4+2: two each). Among the allowed cells the least loaded is chosen, then
 * the preferred ({@link PlacementPolicy#PREFERENCE}). A shard with a holder is never placed again, and a cell never
 * receives a shard it holds. Pure; property-tested.
 */
public final class ShardSpread {
    private ShardSpread() {
    }

    /**
     * The most shards of one chunk a cell may hold: 1 when {@code cells ≥ k + m}, else {@code m}.
     *
     * @param cells distinct cells that hold a shard or could receive one
     */
    public static int cap(int k, int m, int cells) {
        return cells >= k + m ? 1 : m;
    }

    /**
     * New shard placements.
     *
     * @param k          data shards
     * @param m          parity shards
     * @param holders    per shard index ({@code k + m} entries), the cells whose copy counts
     * @param candidates reachable trusted members that may receive shards
     * @return shard index → the cell to push it to, for shards without a holder that some allowed cell can take;
     * shards left out stay unplaced (the chunk is at risk until more cells count)
     */
    public static Map<Integer, CellId> assign(int k, int m, List<Set<CellId>> holders,
                                              List<PlacementPolicy.Candidate> candidates) {
        if (holders.size() != k + m) {
            throw new IllegalArgumentException("expected " + (k + m) + " holder sets, got " + holders.size());
        }
        Set<CellId> cells = new LinkedHashSet<>();
        holders.forEach(cells::addAll);
        List<PlacementPolicy.Candidate> ordered = candidates.stream().sorted(PlacementPolicy.PREFERENCE).distinct()
                .toList();
        ordered.forEach(c -> cells.add(c.id()));
        int cap = cap(k, m, cells.size());
        Map<CellId, Integer> load = new HashMap<>();
        for (Set<CellId> h : holders) {
            h.forEach(c -> load.merge(c, 1, Integer::sum));
        }
        Map<Integer, CellId> out = new LinkedHashMap<>();
        for (int index = 0; index < holders.size(); index++) {
            if (!holders.get(index).isEmpty()) {
                continue;
            }
            PlacementPolicy.Candidate best = null;
            int bestLoad = Integer.MAX_VALUE;
            for (PlacementPolicy.Candidate c : ordered) {
                int l = load.getOrDefault(c.id(), 0);
                if (l < cap && l < bestLoad) {
                    best = c;
                    bestLoad = l;
                }
            }
            if (best != null) {
                out.put(index, best.id());
                load.merge(best.id(), 1, Integer::sum);
            }
        }
        return out;
    }

    /**
     * The holders of shard {@code index} beyond one, to release once they stayed surplus: every holder but the one
     * holding the fewest shards of the chunk (ties: the preferred).
     */
    public static List<CellId> surplus(List<Set<CellId>> holders, int index,
                                       Map<CellId, PlacementPolicy.Candidate> byId) {
        Set<CellId> these = holders.get(index);
        if (these.size() <= 1) {
            return List.of();
        }
        Map<CellId, Integer> load = new HashMap<>();
        for (Set<CellId> h : holders) {
            h.forEach(c -> load.merge(c, 1, Integer::sum));
        }
        List<CellId> sorted = these.stream().sorted(java.util.Comparator
                .comparingInt((CellId c) -> load.get(c))
                .thenComparing(c -> byId.get(c), java.util.Comparator.nullsLast(PlacementPolicy.PREFERENCE))
                .thenComparing(c -> c))
                .toList();
        return sorted.subList(1, sorted.size());
    }
}
