package io.grove.runtime.web;

import io.grove.testing.ManualClock;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class SessionsTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-22T00:00:00Z"));
    private final Sessions sessions = new Sessions(clock, new SecureRandom());

    @Test
    void aSessionEndsWhenIdleOrTooOld() {
        Sessions.Session idle = sessions.create();
        clock.advance(Sessions.IDLE.minusMinutes(1));
        assertThat(sessions.find(idle.id())).contains(idle);
        clock.advance(Sessions.IDLE);
        assertThat(sessions.find(idle.id())).isEmpty();

        Sessions.Session busy = sessions.create();
        for (Duration used = Duration.ZERO; used.compareTo(Sessions.MAX_AGE) < 0; used = used.plusHours(6)) {
            assertThat(sessions.find(busy.id())).contains(busy);
            clock.advance(Duration.ofHours(6));
        }
        assertThat(sessions.find(busy.id())).isEmpty();
    }

    @Test
    void idsAndTokensAreUnguessableAndCompared() {
        Sessions.Session a = sessions.create();
        Sessions.Session b = sessions.create();
        assertThat(a.id()).hasSize(43).isNotEqualTo(b.id()).isNotEqualTo(a.csrfToken());
        assertThat(a.csrfMatches(a.csrfToken())).isTrue();
        assertThat(a.csrfMatches(b.csrfToken())).isFalse();
        assertThat(sessions.find(a.id().substring(1))).isEmpty();
        assertThat(a.toString()).doesNotContain(a.id()).doesNotContain(a.csrfToken());
    }

    @Test
    void theNumberOfSessionsIsBounded() {
        Sessions.Session first = sessions.create();
        for (int i = 0; i < Sessions.MAX_SESSIONS; i++) {
            clock.advance(Duration.ofSeconds(1));
            sessions.create();
        }
        assertThat(sessions.size()).isEqualTo(Sessions.MAX_SESSIONS);
        assertThat(sessions.find(first.id())).as("the least recently used ended").isEmpty();
    }

    @Test
    void cookieIsStrictHttpOnlyAndPerPort() {
        Sessions.Session s = sessions.create();
        assertThat(SessionCookie.set(s, 5678, false)).isEqualTo("grove-session-5678=" + s.id()
                + "; Path=/; HttpOnly; SameSite=Strict");
        assertThat(SessionCookie.set(s, 5678, true)).endsWith("; Secure");
        assertThat(SessionCookie.find("a=b; grove-session-5679=x; grove-session-5678=" + s.id(), 5678)).contains(s.id());
        assertThat(SessionCookie.find("grove-session-5679=x", 5678)).isEmpty();
    }
}
