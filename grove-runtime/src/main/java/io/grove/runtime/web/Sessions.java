package io.grove.runtime.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's login sessions, in memory (a restart logs everyone out). A session ends after {@link #IDLE} without
 * a request, {@link #MAX_AGE} after login, on logout, or when the password changes. Sessions are looked up by the
 * SHA-256 of their id, so lookup time does not depend on how much of a guessed id is right.
 */
public final class Sessions {
    /** A session unused this long ends. */
    public static final Duration IDLE = Duration.ofHours(12);
    /** No session outlives this. */
    public static final Duration MAX_AGE = Duration.ofDays(7);
    /** At most this many sessions live at once; the least recently used ends first. */
    public static final int MAX_SESSIONS = 64;

    /**
     * A live session.
     *
     * @param id        the secret cookie value (only returned to the client that logged in)
     * @param csrfToken the token state-changing requests must carry in {@code X-CSRF-Token}
     */
    public record Session(String id, String csrfToken) {
        /** Never shows the secrets. */
        @Override
        public String toString() {
            return "Session[…]";
        }

        /** Whether {@code given} is this session's CSRF token, in constant time. */
        public boolean csrfMatches(String given) {
            return MessageDigest.isEqual(csrfToken.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
        }
    }

    private record Entry(Session session, Instant created, Instant lastUsed) {
    }

    private final Map<String, Entry> byDigest = new HashMap<>();
    private final Clock clock;
    private final SecureRandom random;

    public Sessions(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    /** Starts a session. */
    public synchronized Session create() {
        Instant now = clock.instant();
        expire(now);
        while (byDigest.size() >= MAX_SESSIONS) {
            byDigest.entrySet().stream().min(Comparator.comparing(e -> e.getValue().lastUsed()))
                    .ifPresent(e -> byDigest.remove(e.getKey()));
        }
        Session session = new Session(secret(), secret());
        byDigest.put(digest(session.id()), new Entry(session, now, now));
        return session;
    }

    /** The live session with this id, touching it. */
    public synchronized Optional<Session> find(String id) {
        if (id.isEmpty() || id.length() > 128) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        String key = digest(id);
        Entry entry = byDigest.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (expired(entry, now)) {
            byDigest.remove(key);
            return Optional.empty();
        }
        byDigest.put(key, new Entry(entry.session(), entry.created(), now));
        return Optional.of(entry.session());
    }

    /** Ends one session. */
    public synchronized void end(String id) {
        byDigest.remove(digest(id));
    }

    /** Ends every session (the password changed). */
    public synchronized void endAll() {
        byDigest.clear();
    }

    /** How many sessions are live. */
    public synchronized int size() {
        expire(clock.instant());
        return byDigest.size();
    }

    private void expire(Instant now) {
        byDigest.values().removeIf(e -> expired(e, now));
    }

    private static boolean expired(Entry entry, Instant now) {
        return !now.isBefore(entry.lastUsed().plus(IDLE)) || !now.isBefore(entry.created().plus(MAX_AGE));
    }

    private String secret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String digest(String id) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
