package io.grove.runtime.audit;

import java.time.Duration;

/**
 * How often copies are audited and how results weigh.
 *
 * @param interval       the mean time between two audits of one copy (each draw is uniform in 0.5–1.5 × this, so
 *                       holders cannot predict it); config {@code audit.interval}
 * @param retry          when a copy is challenged again after a challenge that got no answer (and how long an
 *                       issued challenge may stay unanswered before the copy is due again)
 * @param maxUnanswered  consecutive challenges without any answer after which the copy counts as missing
 * @param halfLife       the half-life of the reputation weights: old results fade, so a peer can earn trust back
 */
public record AuditPolicy(Duration interval, Duration retry, int maxUnanswered, Duration halfLife) {
    /** One audit per copy a day on average, retries after 10 minutes, missing after 3 silences, half-life 30 days. */
    public static final AuditPolicy DEFAULT = new AuditPolicy(Duration.ofDays(1), Duration.ofMinutes(10), 3,
            Duration.ofDays(30));

    public AuditPolicy {
        if (interval == null || retry == null || halfLife == null || interval.toMillis() < 1 || retry.toMillis() < 1
                || halfLife.toMillis() < 1 || maxUnanswered < 1 || maxUnanswered > 1000) {
            throw new IllegalArgumentException("audit interval, retry and half-life must be positive, maxUnanswered "
                    + "1 … 1000");
        }
    }

    /** This policy with another interval. */
    public AuditPolicy withInterval(Duration interval) {
        return new AuditPolicy(interval, retry, maxUnanswered, halfLife);
    }
}
