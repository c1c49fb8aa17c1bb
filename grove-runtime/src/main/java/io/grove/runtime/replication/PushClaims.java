package io.grove.runtime.replication;

import io.grove.api.CellId;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The copies being pushed right now, per item. Sync rounds and eager pushes ({@link EagerPush}) choose their targets
 * here, against the recorded holders plus the copies in flight, and claim them in the same step; a push records its
 * holding before it gives up its claim. So two pushers racing over one item never send it to more cells than the
 * factor allows. Thread-safe; holds one entry per item being pushed.
 */
final class PushClaims {
    private final Map<String, Set<CellId>> inFlight = new HashMap<>();

    /**
     * Chooses and claims targets for {@code item} in one step.
     *
     * @param holders the cells that hold it now and count, read fresh (called under this object's lock)
     * @param choose  the targets given the cells taken (holders and copies in flight)
     * @return the claimed targets, each to be {@link #release released} once its push ended
     */
    synchronized List<CellId> claim(String item, Supplier<Set<CellId>> holders,
                                    Function<Set<CellId>, List<CellId>> choose) {
        Set<CellId> taken = new HashSet<>(holders.get());
        Set<CellId> pushing = inFlight.getOrDefault(item, Set.of());
        taken.addAll(pushing);
        List<CellId> targets = choose.apply(Set.copyOf(taken));
        if (!targets.isEmpty()) {
            inFlight.computeIfAbsent(item, k -> new HashSet<>()).addAll(targets);
        }
        return targets;
    }

    /** Ends the claim of a push of {@code item} to {@code target}, after its holding was recorded (if it succeeded). */
    synchronized void release(String item, CellId target) {
        Set<CellId> pushing = inFlight.get(item);
        if (pushing != null && pushing.remove(target) && pushing.isEmpty()) {
            inFlight.remove(item);
        }
    }

    /** The cells that {@code items} are being pushed to now. */
    synchronized Set<CellId> pushing(Collection<String> items) {
        Set<CellId> out = new HashSet<>();
        for (String item : items) {
            out.addAll(inFlight.getOrDefault(item, Set.of()));
        }
        return out;
    }

    /** Items with a push in flight. */
    synchronized int size() {
        return inFlight.size();
    }
}
