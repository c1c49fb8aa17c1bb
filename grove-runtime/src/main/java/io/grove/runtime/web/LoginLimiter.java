package io.grove.runtime.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Limits password guesses: at most {@link #PER_CLIENT} failures per client address and {@link #OVERALL} over all
 * addresses within {@link #WINDOW}. Once a limit is reached every attempt is refused — even with the right password —
 * until the oldest failure leaves the window, so guessing cannot continue. Each attempt counts as a failure the
 * moment it starts (so parallel guesses cannot slip past the limit while the hash is computed) and is taken back if
 * the password was right. The overall limit matters behind a reverse proxy, where every client has its address.
 */
public final class LoginLimiter {
    /** Failures remembered for this long. */
    public static final Duration WINDOW = Duration.ofMinutes(5);
    /** Failures one address may have in the window. */
    public static final int PER_CLIENT = 5;
    /** Failures all addresses together may have in the window. */
    public static final int OVERALL = 30;
    private static final int MAX_CLIENTS = 4096;

    private record Failure(String client, Instant at) {
    }

    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new LinkedHashMap<>(16, 0.75f, true);
    private final Deque<Failure> all = new ArrayDeque<>();

    public LoginLimiter(Clock clock) {
        this.clock = clock;
    }

    /**
     * Starts an attempt by {@code client}: empty if it may try now (the attempt is counted as a failure until
     * {@link #succeeded}), else how long until it may.
     */
    public synchronized Optional<Duration> attempt(String client) {
        Instant now = clock.instant();
        Instant cutoff = now.minus(WINDOW);
        while (!all.isEmpty() && !all.peekFirst().at().isAfter(cutoff)) {
            all.removeFirst();
        }
        Deque<Instant> mine = failures.get(client);
        if (mine != null) {
            while (!mine.isEmpty() && !mine.peekFirst().isAfter(cutoff)) {
                mine.removeFirst();
            }
        }
        Instant until = null;
        if (mine != null && mine.size() >= PER_CLIENT) {
            until = mine.peekFirst().plus(WINDOW);
        }
        if (all.size() >= OVERALL) {
            Instant overall = all.peekFirst().at().plus(WINDOW);
            until = until == null || overall.isAfter(until) ? overall : until;
        }
        if (until != null) {
            Duration wait = Duration.between(now, until);
            return Optional.of(wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait);
        }
        failures.computeIfAbsent(client, c -> new ArrayDeque<>()).addLast(now);
        all.addLast(new Failure(client, now));
        if (failures.size() > MAX_CLIENTS) {
            // The least recently seen client goes first (access order).
            failures.remove(failures.keySet().iterator().next());
        }
        return Optional.empty();
    }

    /** The attempt by {@code client} had the right password: its failures are forgotten. */
    public synchronized void succeeded(String client) {
        failures.remove(client);
        for (Iterator<Failure> it = all.descendingIterator(); it.hasNext(); ) {
            if (it.next().client().equals(client)) {
                it.remove();
                break;
            }
        }
    }
}
