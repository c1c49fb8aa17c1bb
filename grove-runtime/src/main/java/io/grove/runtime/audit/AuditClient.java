package io.grove.runtime.audit;

import io.grove.api.ChunkId;
import io.grove.api.transport.Route;
import io.grove.runtime.json.Json;
import io.grove.runtime.peer.PeerClient;
import io.grove.runtime.peer.PeerOperations;
import io.grove.runtime.peer.PeerRejection;
import io.grove.runtime.peer.VerifiedResponse;

import java.io.IOException;

/** The owner's side of {@value AuditOperation#NAME}: sends one challenge over one route. */
public final class AuditClient {
    private static final String NOT_HELD_TYPE = io.grove.runtime.peer.PeerReply.PROBLEM_TYPE_BASE + "chunk-not-found";
    private AuditClient() {
    }

    /**
     * Challenges the cell at {@code route} for {@code chunk}.
     *
     * @return the digest it answered, or {@link AuditReply#notHeld()} for its signed 404
     * @throws IOException when the route fails, or the peer refused (a
     *                     {@link io.grove.runtime.peer.PeerCallException}, e.g. {@code busy}): no answer this time
     */
    public static AuditReply ask(PeerClient client, Route route, ChunkId chunk, String nonce) throws IOException {
        byte[] body = Json.mapper().writeValueAsBytes(new AuditOperation.Request(chunk.hex(), nonce));
        try (VerifiedResponse response = client.exchange(route,
                client.signer().request(route.peer(), AuditOperation.NAME, body))) {
            if (response.status() != 200) {
                String problem = new String(response.body().readNBytes(PeerOperations.SMALL_BODY_BYTES),
                        java.nio.charset.StandardCharsets.UTF_8);
                // Only the holder's own "not held" is an answer; a 404 for an unknown operation (an older cell) is not.
                if (response.status() == 404 && problemType(problem).equals(NOT_HELD_TYPE)) {
                    return AuditReply.notHeld();
                }
                throw new io.grove.runtime.peer.PeerCallException(AuditOperation.NAME, response.status(), problem);
            }
            if (response.bodyLength() > PeerOperations.SMALL_BODY_BYTES) {
                // Garbage of any size is a wrong answer, not a reason to read megabytes.
                return AuditReply.digest("oversized");
            }
            try {
                return AuditReply.digest(Json.mapper().readValue(response.bytes(), AuditOperation.Answer.class).digest());
            } catch (PeerRejection e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                return AuditReply.digest("malformed");
            }
        }
    }

    private static String problemType(String problem) {
        try {
            com.fasterxml.jackson.databind.JsonNode type = Json.mapper().readTree(problem).get("type");
            return type != null && type.isTextual() ? type.textValue() : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
