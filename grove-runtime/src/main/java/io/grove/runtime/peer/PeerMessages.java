package io.grove.runtime.peer;

import io.grove.api.ChunkId;
import io.grove.api.store.ChunkPage;
import io.grove.runtime.fleet.Invite;

import java.util.List;

/**
 * The JSON bodies of the protocol's small messages (see {@code docs/protocol.md}). Every record checks its bounds
 * in its constructor, so a parsed message is a valid one; absent values are empty strings, never {@code null}.
 */
public final class PeerMessages {
    /** The most ids in one {@code chunk.has}. */
    public static final int MAX_HAS_IDS = 1000;
    /** The largest {@code ping} body. */
    public static final int MAX_PING_BYTES = 256 * 1024;

    private PeerMessages() {
    }

    /**
     * {@code hello}, both ways: the protocol versions spoken and the roster held.
     *
     * @param versions   protocol versions, e.g. {@code ["grove-peer/1"]}, 1 to 8
     * @param rosterSeq  the roster's sequence number, 0 before any
     * @param rosterHash hex SHA-256 of the signed roster, empty before any
     * @param routes     where the sender's peer socket can be reached ({@code host:port}), at most 8; the leader
     *                   records a member's in the roster
     */
    public record Hello(List<String> versions, long rosterSeq, String rosterHash, List<String> routes) {
        /** A hello that advertises no routes. */
        public Hello(List<String> versions, long rosterSeq, String rosterHash) {
            this(versions, rosterSeq, rosterHash, List.of());
        }

        public Hello {
            if (routes == null || routes.size() > Invite.MAX_ROUTES) {
                throw new IllegalArgumentException("routes: at most " + Invite.MAX_ROUTES + " host:port addresses");
            }
            routes.forEach(Invite::requireRoute);
            routes = List.copyOf(routes);
            if (versions == null || versions.isEmpty() || versions.size() > 8
                    || versions.stream().anyMatch(v -> v == null || v.length() > 32)) {
                throw new IllegalArgumentException("versions: 1 to 8 names of at most 32 characters");
            }
            versions = List.copyOf(versions);
            if (rosterSeq < 0 || rosterHash == null || !(rosterHash.isEmpty() || SignedHeaders.validDigest(rosterHash))) {
                throw new IllegalArgumentException("rosterSeq must be >= 0 and rosterHash empty or 64 hex characters");
            }
        }
    }

    /**
     * {@code inventory} request: one page of the chunk ids a peer holds.
     *
     * @param after the id the page starts after, empty for the start
     * @param limit 1 to {@link ChunkPage#MAX_LIMIT}
     */
    public record InventoryRequest(String after, int limit) {
        public InventoryRequest {
            if (after == null || !(after.isEmpty() || ChunkId.isValid(after))) {
                throw new IllegalArgumentException("after: empty or a chunk id");
            }
            ChunkPage.checkLimit(limit);
        }
    }

    /**
     * {@code inventory} reply.
     *
     * @param ids  ascending ids
     * @param next the {@code after} of the next page, empty when this was the last
     */
    public record InventoryReply(List<String> ids, String next) {
        public InventoryReply {
            if (ids == null || ids.size() > ChunkPage.MAX_LIMIT || ids.stream().anyMatch(id -> !ChunkId.isValid(id))) {
                throw new IllegalArgumentException("ids: at most " + ChunkPage.MAX_LIMIT + " chunk ids");
            }
            ids = List.copyOf(ids);
            if (next == null || !(next.isEmpty() || ChunkId.isValid(next))) {
                throw new IllegalArgumentException("next: empty or a chunk id");
            }
        }
    }

    /**
     * {@code chunk.has} request and reply: ids asked about, or the subset held.
     *
     * @param ids at most {@link #MAX_HAS_IDS} chunk ids
     */
    public record ChunkIds(List<String> ids) {
        public ChunkIds {
            if (ids == null || ids.size() > MAX_HAS_IDS || ids.stream().anyMatch(id -> !ChunkId.isValid(id))) {
                throw new IllegalArgumentException("ids: at most " + MAX_HAS_IDS + " chunk ids");
            }
            ids = List.copyOf(ids);
        }
    }

    /**
     * {@code chunk.get} and {@code manifest.pull} request: which blob.
     *
     * @param id a chunk id, or a manifest version id (the same form: 64 lower-case hex characters)
     */
    public record BlobId(String id) {
        public BlobId {
            if (!ChunkId.isValid(id)) {
                throw new IllegalArgumentException("id: 64 lower-case hex characters");
            }
        }
    }
}
