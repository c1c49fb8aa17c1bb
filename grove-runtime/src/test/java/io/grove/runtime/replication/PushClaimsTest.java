package io.grove.runtime.replication;

import io.grove.api.CellId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Pushers that disagree on the best target, racing over the same items, never place more copies than needed. */
class PushClaimsTest {
    private static final CellId B = cell(1);
    private static final CellId C = cell(2);
    private static final CellId D = cell(3);

    @Test
    void racingPushersWithDifferentPreferencesNeverExceedTheFactor() throws Exception {
        PushClaims claims = new PushClaims();
        Map<String, Set<CellId>> holdings = new ConcurrentHashMap<>();
        int needed = 1;
        // The round and the eager pusher see different route scores: each prefers another cell.
        List<List<PlacementPolicy.Candidate>> views = List.of(
                List.of(candidate(B, 1), candidate(C, 2), candidate(D, 3)),
                List.of(candidate(C, 1), candidate(D, 2), candidate(B, 3)),
                List.of(candidate(D, 1), candidate(B, 2), candidate(C, 3)));
        List<Future<?>> pushers = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(6)) {
            for (int p = 0; p < 6; p++) {
                List<PlacementPolicy.Candidate> view = views.get(p % views.size());
                pushers.add(threads.submit(() -> {
                    for (int i = 0; i < 2000; i++) {
                        String item = "item-" + (i % 50);
                        List<CellId> targets = claims.claim(item,
                                () -> Set.copyOf(holdings.getOrDefault(item, Set.of())),
                                taken -> PlacementPolicy.targets(needed, taken, view));
                        for (CellId target : targets) {
                            if (ThreadLocalRandom.current().nextInt(4) > 0) { // a quarter of the pushes fail
                                holdings.computeIfAbsent(item, k -> ConcurrentHashMap.newKeySet()).add(target);
                            }
                            claims.release(item, target);
                        }
                        if (i % 200 == 0) {
                            holdings.remove("item-" + ThreadLocalRandom.current().nextInt(50)); // a copy was lost
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : pushers) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        assertThat(holdings.values()).allSatisfy(cells -> assertThat(cells).hasSizeLessThanOrEqualTo(needed));
        assertThat(holdings).isNotEmpty();
        assertThat(claims.size()).isZero();
    }

    @Test
    void aCopyInFlightCountsAsTaken() {
        PushClaims claims = new PushClaims();
        List<PlacementPolicy.Candidate> candidates = List.of(candidate(B, 1), candidate(C, 2));
        assertThat(claims.claim("x", Set::of, taken -> PlacementPolicy.targets(1, taken, candidates))).containsExactly(B);
        assertThat(claims.claim("x", Set::of, taken -> PlacementPolicy.targets(1, taken, candidates))).isEmpty();
        assertThat(claims.claim("x", Set::of, taken -> PlacementPolicy.targets(2, taken, candidates))).containsExactly(C);
        claims.release("x", B);
        claims.release("x", C);
        assertThat(claims.size()).isZero();
        assertThat(claims.claim("x", Set::of, taken -> PlacementPolicy.targets(1, taken, candidates))).containsExactly(B);
    }

    private static CellId cell(int seed) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) seed);
        return CellId.ofPublicKey(key);
    }

    private static PlacementPolicy.Candidate candidate(CellId id, double score) {
        return new PlacementPolicy.Candidate(id, false, OptionalDouble.of(score));
    }
}
