package io.grove.runtime.replication;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * How one replicated item is kept: {@code factor} whole copies, or Reed-Solomon shards; and whether the owner drops
 * its own copy once the placement is complete elsewhere.
 *
 * @param factor  whole copies wanted, this cell's own included unless {@code offload} (unused for erasure)
 * @param erasure the shard layout of an erasure-coded chunk; empty: whole copies
 * @param offload whether the owner deletes its local chunk once the placement is confirmed elsewhere
 */
public record ChunkPolicy(int factor, Optional<FolderPolicy.Erasure> erasure, boolean offload) {
    public ChunkPolicy {
        if (factor < 1 || factor > 16 || erasure == null) {
            throw new IllegalArgumentException("a chunk policy needs a factor 1..16 and an erasure option");
        }
    }

    /** Whole copies at the fleet's factor, kept locally. */
    public static ChunkPolicy copies(int factor) {
        return new ChunkPolicy(factor, Optional.empty(), false);
    }

    /**
     * Copies wanted on other cells: the factor less this cell's own copy, or the whole factor when the owner
     * offloads (its copy then does not count).
     */
    public int copiesOnPeers() {
        return offload ? factor : factor - 1;
    }

    /** Cells that may be lost with the data still readable: {@code m} for shards, {@code factor − 1} for copies. */
    public int tolerance() {
        return erasure.map(FolderPolicy.Erasure::m).orElse(factor - 1);
    }

    /** Best first: more cells may be lost; then whole copies (read without rebuilding); then fewer shards. */
    static final Comparator<ChunkPolicy> STRONGEST = Comparator
            .comparingInt(ChunkPolicy::tolerance).reversed()
            .thenComparing(p -> p.erasure().isPresent())
            .thenComparingInt(p -> p.erasure().map(e -> e.k()).orElse(0))
            .thenComparing(Comparator.comparingInt(ChunkPolicy::factor).reversed());

    /**
     * The policy of a chunk several files share: the strongest of theirs ({@link #STRONGEST}); it is offloaded
     * only when every one of them offloads.
     */
    static ChunkPolicy strongest(Collection<ChunkPolicy> policies, ChunkPolicy fallback) {
        if (policies.isEmpty()) {
            return fallback;
        }
        ChunkPolicy best = policies.stream().min(STRONGEST).orElseThrow();
        boolean offload = policies.stream().allMatch(ChunkPolicy::offload);
        return new ChunkPolicy(best.factor(), best.erasure(), offload);
    }
}
