package io.grove.runtime.replication;

import io.grove.api.ChunkId;
import io.grove.runtime.json.Json;
import io.grove.runtime.peer.PeerOperation;
import io.grove.runtime.peer.PeerRejection;
import io.grove.runtime.peer.PeerReply;
import io.grove.runtime.peer.VerifiedRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** The replication's peer operation {@code chunk.release}: an owner no longer needs this cell's copies. */
public final class ReplicationOperations {
    /** Operation name. */
    public static final String RELEASE = "chunk.release";
    /** The most ids in one release. */
    public static final int MAX_IDS = 1000;

    private ReplicationOperations() {
    }

    /**
     * The request body: {@code {"ids": [chunk ids]}}.
     *
     * @param ids at most {@link #MAX_IDS}
     */
    public record Release(List<String> ids) {
        public Release {
            if (ids == null || ids.size() > MAX_IDS || ids.stream().anyMatch(id -> !ChunkId.isValid(id))) {
                throw new IllegalArgumentException("ids: at most " + MAX_IDS + " chunk ids");
            }
            ids = List.copyOf(ids);
        }
    }

    static byte[] body(List<String> ids) {
        try {
            return Json.mapper().writeValueAsBytes(new Release(ids));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code chunk.release}: drops the sender's claim on each id; garbage collection deletes what nobody needs. */
    public static PeerOperation release(Placement placement) {
        return new PeerOperation() {
            @Override
            public String name() {
                return RELEASE;
            }

            @Override
            public long maxBodyBytes() {
                return 80L * MAX_IDS;
            }

            @Override
            public PeerReply handle(VerifiedRequest request) throws IOException {
                Release release;
                try {
                    release = Json.mapper().readValue(request.bytes(), Release.class);
                } catch (IOException | RuntimeException e) {
                    if (e instanceof PeerRejection rejection) {
                        throw rejection;
                    }
                    throw new PeerRejection(PeerRejection.Code.MALFORMED, "chunk.release body is not {\"ids\":[…]}");
                }
                int released = 0;
                for (String id : release.ids()) {
                    if (placement.release(ChunkId.of(id), request.sender().id())) {
                        released++;
                    }
                }
                return PeerReply.json(Map.of("released", released));
            }
        };
    }
}
