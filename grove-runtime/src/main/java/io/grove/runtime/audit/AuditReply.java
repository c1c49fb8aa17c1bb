package io.grove.runtime.audit;

import java.util.Optional;

/**
 * What came back from challenging a holder: a digest, a signed "not held" (404), or nothing (no route worked, a
 * timeout, a refusal that is not an answer).
 *
 * @param kind   which of the three
 * @param digest the answered digest for {@link Kind#DIGEST}, empty otherwise
 */
public record AuditReply(Kind kind, Optional<String> digest) {
    /** The kinds of reply. */
    public enum Kind {
        /** The holder answered a digest (right or wrong). */
        DIGEST,
        /** The holder answered that it does not hold the chunk. */
        NOT_HELD,
        /** No answer reached us. */
        UNREACHABLE
    }

    /** The most characters of an answered digest that are kept; anything longer is simply wrong. */
    private static final int MAX_DIGEST_CHARS = 128;

    public AuditReply {
        if (kind == null || digest == null || digest.isPresent() != (kind == Kind.DIGEST)
                || digest.map(d -> d.length() > MAX_DIGEST_CHARS).orElse(false)) {
            throw new IllegalArgumentException("a digest reply carries a digest of at most " + MAX_DIGEST_CHARS
                    + " characters, other replies none");
        }
    }

    public static AuditReply digest(String digest) {
        return new AuditReply(Kind.DIGEST, Optional.of(digest));
    }

    public static AuditReply notHeld() {
        return new AuditReply(Kind.NOT_HELD, Optional.empty());
    }

    public static AuditReply unreachable() {
        return new AuditReply(Kind.UNREACHABLE, Optional.empty());
    }
}
