package io.grove.runtime.peer;

import io.grove.api.CellId;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The nonces of accepted requests, remembered until their request could no longer pass the clock window, so that
 * no signed request is accepted twice.
 *
 * <p>Bounded: when {@code maxEntries} unexpired nonces are held, new requests are refused ({@code busy}) instead of
 * forgetting a nonce early, because forgetting would reopen the replay window. Thread-safe.
 */
public final class NonceCache {
    /** The default bound: far above what a fleet sends in ten minutes, small enough (~10 MB) to keep in memory. */
    public static final int DEFAULT_MAX_ENTRIES = 100_000;

    private record Entry(long expiresAt, String key) {
    }

    private final Duration window;
    private final int maxEntries;
    private final Map<String, Long> expiries = new HashMap<>();
    private final PriorityQueue<Entry> byExpiry = new PriorityQueue<>((a, b) -> Long.compare(a.expiresAt, b.expiresAt));

    /**
     * @param window     how long after (or before) its timestamp a request is acceptable
     * @param maxEntries the most nonces held at once, at least 1
     */
    public NonceCache(Duration window, int maxEntries) {
        if (window == null || window.isNegative() || window.isZero() || maxEntries < 1) {
            throw new IllegalArgumentException("a nonce cache needs a positive window and at least one entry");
        }
        this.window = window;
        this.maxEntries = maxEntries;
    }

    /** A cache for the protocol's clock window and the default bound. */
    public static NonceCache standard() {
        return new NonceCache(PeerProtocol.CLOCK_WINDOW, DEFAULT_MAX_ENTRIES);
    }

    /**
     * Records a nonce of an authenticated request.
     *
     * @param sender    who sent it (nonces are per sender, so that one member cannot burn another's)
     * @param nonce     the request's nonce
     * @param timestamp the request's signed timestamp; the nonce is kept until it is older than the window
     * @param now       the receiver's clock
     * @throws PeerRejection {@code replay} if the nonce is held, {@code busy} if the cache is full
     */
    public synchronized void remember(CellId sender, String nonce, Instant timestamp, Instant now) {
        long nowMs = now.toEpochMilli();
        while (!byExpiry.isEmpty() && byExpiry.peek().expiresAt < nowMs) {
            Entry old = byExpiry.poll();
            expiries.remove(old.key, old.expiresAt);
        }
        String key = sender.value() + ":" + nonce;
        if (expiries.containsKey(key)) {
            throw new PeerRejection(PeerRejection.Code.REPLAY, "nonce already used by " + sender.shortForm());
        }
        if (expiries.size() >= maxEntries) {
            throw new PeerRejection(PeerRejection.Code.BUSY, "nonce cache full (" + maxEntries + " entries); retry later");
        }
        long expiresAt = timestamp.plus(window).toEpochMilli();
        expiries.put(key, expiresAt);
        byExpiry.add(new Entry(expiresAt, key));
    }

    /** How many nonces are held (expired ones may still be counted until the next {@link #remember}). */
    public synchronized int size() {
        return expiries.size();
    }
}
