package io.grove.runtime.replication;

import io.grove.api.CellId;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Where copies go: favourites first, then the best route score (lower is better; unmeasured routes after measured
 * ones), then the cell id for a stable order. Never above the factor, never one cell twice. Pure; property-tested.
 */
public final class PlacementPolicy {
    private PlacementPolicy() {
    }

    /**
     * A cell that could hold a copy.
     *
     * @param id        the cell
     * @param favourite its roster flag
     * @param score     its best route's score, if measured
     */
    public record Candidate(CellId id, boolean favourite, OptionalDouble score) {
        public Candidate {
            if (id == null || score == null) {
                throw new IllegalArgumentException("a candidate needs an id and an optional score");
            }
        }
    }

    /** Best first. */
    static final Comparator<Candidate> PREFERENCE = Comparator
            .comparing((Candidate c) -> !c.favourite())
            .thenComparing(c -> c.score().isEmpty())
            .thenComparingDouble(c -> c.score().orElse(0))
            .thenComparing(Candidate::id);

    /**
     * The cells that should receive a new copy.
     *
     * @param needed     copies wanted on other cells (the factor, less this cell's own copy)
     * @param holders    the cells that hold one now and count
     * @param candidates reachable members that could receive one
     * @return at most {@code needed − holders} cells from {@code candidates}, none a holder, best first
     */
    public static List<CellId> targets(int needed, Collection<CellId> holders, Collection<Candidate> candidates) {
        return targets(needed, holders, candidates, Set.of());
    }

    /**
     * The cells that should receive a new copy, preferring (after favourites) the cells in {@code along}: a file's
     * manifest goes where its chunks went, so a file's copies stay together on the same cells.
     *
     * @param along cells preferred after favourites, e.g. those holding (or receiving) the file's chunks
     */
    public static List<CellId> targets(int needed, Collection<CellId> holders, Collection<Candidate> candidates,
                                       Set<CellId> along) {
        int missing = needed - new HashSet<>(holders).size();
        if (missing <= 0) {
            return List.of();
        }
        Set<CellId> taken = new HashSet<>(holders);
        List<CellId> out = new ArrayList<>();
        Comparator<Candidate> order = along.isEmpty() ? PREFERENCE : Comparator
                .comparing((Candidate c) -> !c.favourite())
                .thenComparing(c -> !along.contains(c.id()))
                .thenComparing(PREFERENCE);
        for (Candidate c : candidates.stream().sorted(order).toList()) {
            if (out.size() == missing) {
                break;
            }
            if (taken.add(c.id())) {
                out.add(c.id());
            }
        }
        return out;
    }

    /**
     * The holders whose copies are above the factor: the least preferred ones, so favourites and fast routes keep
     * theirs.
     *
     * @param needed  copies wanted on other cells
     * @param holders the cells holding one now, as candidates (for their preference)
     */
    public static List<CellId> surplus(int needed, Collection<Candidate> holders) {
        List<Candidate> sorted = holders.stream().sorted(PREFERENCE).toList();
        if (sorted.size() <= needed) {
            return List.of();
        }
        return sorted.subList(Math.max(needed, 0), sorted.size()).stream().map(Candidate::id).toList();
    }
}
