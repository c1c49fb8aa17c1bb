package io.grove.runtime.web;

import io.grove.testing.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class LoginLimiterTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-22T00:00:00Z"));
    private final LoginLimiter limiter = new LoginLimiter(clock);

    @Test
    void fiveWrongGuessesLockTheClientForTheWindow() {
        for (int i = 0; i < LoginLimiter.PER_CLIENT; i++) {
            assertThat(limiter.attempt("10.0.0.1")).isEmpty();
            clock.advance(Duration.ofSeconds(10));
        }
        assertThat(limiter.attempt("10.0.0.1")).hasValueSatisfying(wait ->
                assertThat(wait).isEqualTo(LoginLimiter.WINDOW.minusSeconds(50)));
        assertThat(limiter.attempt("10.0.0.2")).as("another client is not locked").isEmpty();
        clock.advance(LoginLimiter.WINDOW.minusSeconds(50));
        assertThat(limiter.attempt("10.0.0.1")).as("the oldest guess left the window").isEmpty();
    }

    @Test
    void aRightPasswordForgetsTheClientsGuesses() {
        for (int i = 0; i < LoginLimiter.PER_CLIENT - 1; i++) {
            assertThat(limiter.attempt("10.0.0.1")).isEmpty();
        }
        assertThat(limiter.attempt("10.0.0.1")).isEmpty();
        limiter.succeeded("10.0.0.1");
        for (int i = 0; i < LoginLimiter.PER_CLIENT; i++) {
            assertThat(limiter.attempt("10.0.0.1")).isEmpty();
        }
        assertThat(limiter.attempt("10.0.0.1")).isPresent();
    }

    @Test
    void manyClientsTogetherHitTheOverallLimit() {
        for (int i = 0; i < LoginLimiter.OVERALL; i++) {
            assertThat(limiter.attempt("10.0.1." + i)).isEmpty();
        }
        assertThat(limiter.attempt("10.0.2.1")).isPresent();
        clock.advance(LoginLimiter.WINDOW);
        assertThat(limiter.attempt("10.0.2.1")).isEmpty();
    }
}
