package io.grove.runtime.peer;

import io.grove.api.transport.PeerRequest;
import io.grove.runtime.http.Problem;
import io.grove.runtime.json.Json;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * What an operation answers, before it is signed: a status and a body of known length and digest.
 *
 * @param status     200 for success, 4xx/5xx with a problem body otherwise
 * @param bodyLength the exact body length
 * @param digest     lower-case hex SHA-256 of the body (for a stored chunk: its id)
 * @param body       the body, read once
 */
public record PeerReply(int status, long bodyLength, String digest, InputStream body) {
    /** The prefix of the RFC 9457 problem types of peer answers; the refusal code follows it. */
    public static final String PROBLEM_TYPE_BASE = "https://grove.dev/problems/peer/";

    public PeerReply {
        if (status < 100 || status > 599 || bodyLength < 0 || bodyLength > PeerRequest.MAX_BODY_BYTES
                || !SignedHeaders.validDigest(digest) || body == null) {
            throw new IllegalArgumentException("a peer reply needs a status, a bounded body and its hex digest");
        }
    }

    /** A 200 reply with an in-memory body. */
    public static PeerReply ok(byte[] body) {
        return of(200, body);
    }

    /** A 200 reply with {@code value} as JSON. */
    public static PeerReply json(Object value) {
        try {
            return ok(Json.mapper().writeValueAsBytes(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A reply with an in-memory body. */
    public static PeerReply of(int status, byte[] body) {
        return new PeerReply(status, body.length, DigestCheckingInputStream.hex(body), new ByteArrayInputStream(body));
    }

    /** A problem reply: {@code type} is {@code https://grove.dev/problems/peer/<kind>}. */
    public static PeerReply problem(int status, String kind, String detail) {
        Problem problem = new Problem(PROBLEM_TYPE_BASE + kind, kind, status, detail);
        try {
            return of(status, Json.mapper().writeValueAsBytes(problem));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The problem answering a refusal. */
    public static PeerReply refusal(PeerRejection rejection) {
        return problem(rejection.code().status(), rejection.code().id(), rejection.getMessage());
    }
}
