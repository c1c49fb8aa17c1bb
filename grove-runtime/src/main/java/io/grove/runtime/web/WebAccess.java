package io.grove.runtime.web;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Who may use the dashboard: the password (its hash in the cell folder), the login sessions, the guess limiter and
 * the allowed {@code Host} names. One per cell; the HTTP side is {@link HostFilter} and {@link SessionService}.
 */
public final class WebAccess {
    private static final System.Logger LOG = System.getLogger(WebAccess.class.getName());
    /** Argon2id uses ~19 MiB per hash: at most two at once, so a burst of logins cannot exhaust memory. */
    private static final int CONCURRENT_HASHES = 2;

    /** The outcome of a password check. */
    public sealed interface Outcome {
        /** The password is right: a new session. */
        record LoggedIn(Sessions.Session session) implements Outcome {
        }

        /** The password is wrong. */
        record Wrong() implements Outcome {
        }

        /** Too many wrong passwords lately: try again after {@code retryAfter}. */
        record Limited(Duration retryAfter) implements Outcome {
        }
    }

    private final PasswordFile password;
    private final Sessions sessions;
    private final LoginLimiter limiter;
    private final AllowedHosts hosts;
    private final SecureRandom random;
    private final Semaphore hashing = new Semaphore(CONCURRENT_HASHES, true);

    public WebAccess(PasswordFile password, Sessions sessions, LoginLimiter limiter, AllowedHosts hosts,
                     SecureRandom random) {
        this.password = password;
        this.sessions = sessions;
        this.limiter = limiter;
        this.hosts = hosts;
        this.random = random;
    }

    /** The access of the cell in {@code cellDir}, allowing the {@code api.hosts} names. */
    public static WebAccess of(Path cellDir, List<String> apiHosts, Clock clock) {
        SecureRandom random = new SecureRandom();
        return new WebAccess(new PasswordFile(cellDir), new Sessions(clock, random), new LoginLimiter(clock),
                new AllowedHosts(apiHosts), random);
    }

    public AllowedHosts hosts() {
        return hosts;
    }

    public Sessions sessions() {
        return sessions;
    }

    /** Whether a dashboard password has been set. */
    public boolean passwordSet() {
        return password.exists();
    }

    /**
     * Sets the first password and logs the caller in; empty if a password exists already (the caller must log in).
     * Synchronized so two first visits cannot both set one.
     */
    public synchronized Optional<Sessions.Session> setUp(String newPassword) throws IOException {
        PasswordPolicy.check(newPassword);
        if (password.exists()) {
            return Optional.empty();
        }
        password.write(hashed(newPassword));
        LOG.log(System.Logger.Level.INFO, "dashboard password set");
        return Optional.of(sessions.create());
    }

    /** Checks a login attempt from {@code client} (its address), counting failures against the limits. */
    public Outcome login(String client, String given) {
        Optional<Duration> refusal = limiter.attempt(client);
        if (refusal.isPresent()) {
            return new Outcome.Limited(refusal.get());
        }
        boolean right = password.read().map(hash -> matches(hash, given)).orElse(false);
        if (!right) {
            LOG.log(System.Logger.Level.WARNING, "dashboard login with a wrong password from " + client);
            return new Outcome.Wrong();
        }
        limiter.succeeded(client);
        return new Outcome.LoggedIn(sessions.create());
    }

    /**
     * Replaces the password when {@code current} is right: every session ends and the caller gets a new one.
     * Wrong guesses count against the same limits as logins.
     */
    public Outcome change(String client, String current, String newPassword) throws IOException {
        PasswordPolicy.check(newPassword);
        Outcome check = login(client, current);
        if (!(check instanceof Outcome.LoggedIn)) {
            return check;
        }
        synchronized (this) {
            password.write(hashed(newPassword));
            sessions.endAll();
        }
        LOG.log(System.Logger.Level.INFO, "dashboard password changed; every session ended");
        return new Outcome.LoggedIn(sessions.create());
    }

    private PasswordHash hashed(String newPassword) {
        return withHashSlot(() -> PasswordHash.create(newPassword, random));
    }

    private boolean matches(PasswordHash hash, String given) {
        if (given.length() > PasswordPolicy.MAX_LENGTH * 2) {
            return false;
        }
        return withHashSlot(() -> hash.matches(given));
    }

    private <T> T withHashSlot(Supplier<T> work) {
        try {
            if (!hashing.tryAcquire(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the cell is too busy checking passwords; try again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to check a password", e);
        }
        try {
            return work.get();
        } finally {
            hashing.release();
        }
    }
}
