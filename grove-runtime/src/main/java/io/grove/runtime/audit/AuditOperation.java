package io.grove.runtime.audit;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.grove.api.ChunkId;
import io.grove.api.store.ChunkStore;
import io.grove.runtime.json.Json;
import io.grove.runtime.peer.PeerOperation;
import io.grove.runtime.peer.PeerOperations;
import io.grove.runtime.peer.PeerRejection;
import io.grove.runtime.peer.PeerReply;
import io.grove.runtime.peer.VerifiedRequest;

import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The holder's side of a storage audit, peer operation {@value #NAME}: request {@code {"id": chunk id, "nonce": 64
 * hex}}, answer {@code {"digest": hex SHA-256(nonce ‖ chunk)}} computed over the chunk as stored, or a 404
 * {@code chunk-not-found} problem when this cell does not hold it. Reading a chunk costs a full pass over it, so
 * at most {@value #MAX_CONCURRENT} answers are computed at once; others are refused {@code busy} (retry later).
 */
public final class AuditOperation implements PeerOperation {
    /** The operation name. */
    public static final String NAME = "audit.challenge";
    static final int MAX_CONCURRENT = 2;

    private final ChunkStore chunks;
    private final java.util.concurrent.Semaphore running = new java.util.concurrent.Semaphore(MAX_CONCURRENT);

    public AuditOperation(ChunkStore chunks) {
        if (chunks == null) {
            throw new IllegalArgumentException("the audit operation needs the chunk store");
        }
        this.chunks = chunks;
    }

    /**
     * A challenge on the wire.
     *
     * @param id    the chunk id
     * @param nonce 32 bytes in lower-case hex
     */
    public record Request(@JsonProperty("id") String id, @JsonProperty("nonce") String nonce) {
        public Request {
            if (!ChunkId.isValid(id) || !Challenge.isHex(nonce, 2 * Challenge.NONCE_BYTES)) {
                throw new IllegalArgumentException("id: 64 lower-case hex characters; nonce: 64 lower-case hex characters");
            }
        }
    }

    /**
     * An answer on the wire.
     *
     * @param digest lower-case hex SHA-256 of nonce ‖ chunk
     */
    public record Answer(@JsonProperty("digest") String digest) {
        public Answer {
            if (digest == null || digest.length() > 128) {
                throw new IllegalArgumentException("digest: at most 128 characters");
            }
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long maxBodyBytes() {
        return PeerOperations.SMALL_BODY_BYTES;
    }

    @Override
    public PeerReply handle(VerifiedRequest request) throws IOException {
        Request ask = read(request);
        ChunkId id = ChunkId.of(ask.id());
        if (!running.tryAcquire()) {
            throw new PeerRejection(PeerRejection.Code.BUSY, "this cell is answering other audits; retry later");
        }
        try {
            Optional<InputStream> data = chunks.get(id);
            if (data.isEmpty()) {
                return PeerReply.problem(404, "chunk-not-found", "this cell does not hold chunk " + id.hex());
            }
            try (InputStream in = data.get()) {
                return PeerReply.json(new Answer(AuditAnswer.of(HexFormat.of().parseHex(ask.nonce()), in)));
            }
        } finally {
            running.release();
        }
    }

    private static Request read(VerifiedRequest request) throws IOException {
        byte[] body = request.bytes();
        try {
            return Json.mapper().readValue(body, Request.class);
        } catch (IOException | RuntimeException e) {
            throw new PeerRejection(PeerRejection.Code.MALFORMED, NAME + " body must be {\"id\": chunk id, \"nonce\": "
                    + "64 hex characters}");
        }
    }
}
