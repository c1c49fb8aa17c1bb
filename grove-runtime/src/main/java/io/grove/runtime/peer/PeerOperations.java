package io.grove.runtime.peer;

import io.grove.api.ChunkId;
import io.grove.api.store.ChunkCursor;
import io.grove.api.store.ChunkPage;
import io.grove.api.store.ChunkStore;
import io.grove.runtime.fleet.Member;
import io.grove.runtime.fleet.Membership;
import io.grove.runtime.json.Json;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** The operations of {@value PeerProtocol#VERSION} over a cell's stores; {@code docs/protocol.md} specifies each. */
public final class PeerOperations {
    /** The body limit of operations whose request is a small JSON message. */
    public static final int SMALL_BODY_BYTES = 4096;

    private PeerOperations() {
    }

    /** An operation whose behaviour is a function. */
    private record Simple(String name, long maxBodyBytes, Handler handler) implements PeerOperation {
        @Override
        public PeerReply handle(VerifiedRequest request) throws IOException {
            return handler.handle(request);
        }
    }

    @FunctionalInterface
    private interface Handler {
        PeerReply handle(VerifiedRequest request) throws IOException;
    }

    /** Every operation this version serves. */
    public static List<PeerOperation> standard(Membership membership, RosterSource roster, ChunkStore chunks,
                                               ManifestStore manifests) {
        return standard(membership, roster, chunks, manifests, (sender, hello) -> List.of(), HeldChunks.NONE);
    }

    /**
     * Every operation this version serves; {@code hellos} hears each {@code hello} (the fleet layer pulls a newer
     * roster from its sender and the leader records the routes it advertises) and names this cell's own routes
     * for the answer; {@code held} records the chunks other cells push.
     */
    public static List<PeerOperation> standard(Membership membership, RosterSource roster, ChunkStore chunks,
                                               ManifestStore manifests, HelloListener hellos, HeldChunks held) {
        return List.of(
                new Simple("hello", SMALL_BODY_BYTES, request -> {
                    PeerMessages.Hello theirs = read(request, PeerMessages.Hello.class);
                    List<String> routes = hellos.heard(request.sender(), theirs);
                    Membership.RosterStamp stamp = membership.stamp();
                    return PeerReply.json(new PeerMessages.Hello(List.of(PeerProtocol.VERSION), stamp.seq(),
                            stamp.hash(), routes));
                }),
                new Simple("roster.get", 0, request -> {
                    request.bytes();
                    return roster.current()
                            .map(bytes -> bytes.length > RosterSource.MAX_ROSTER_BYTES
                                    ? PeerReply.problem(500, "roster-too-large", "the roster exceeds the wire limit")
                                    : PeerReply.ok(bytes))
                            .orElseGet(() -> PeerReply.problem(404, "no-roster", "this cell has no roster yet"));
                }),
                // Echoes the body so that the runtime can measure latency and throughput per route.
                new Simple("ping", PeerMessages.MAX_PING_BYTES, request -> PeerReply.ok(request.bytes())),
                new Simple("inventory", SMALL_BODY_BYTES, request -> {
                    PeerMessages.InventoryRequest ask = read(request, PeerMessages.InventoryRequest.class);
                    ChunkCursor cursor = ask.after().isEmpty() ? ChunkCursor.START : ChunkCursor.after(ChunkId.of(ask.after()));
                    ChunkPage page = chunks.list(cursor, ask.limit());
                    String next = page.next().flatMap(ChunkCursor::after).map(ChunkId::hex).orElse("");
                    return PeerReply.json(new PeerMessages.InventoryReply(page.ids().stream().map(ChunkId::hex).toList(),
                            next));
                }),
                new Simple("chunk.has", 128 * 1024, request -> {
                    PeerMessages.ChunkIds ask = read(request, PeerMessages.ChunkIds.class);
                    List<String> present = new ArrayList<>();
                    for (String id : ask.ids()) {
                        if (chunks.has(ChunkId.of(id))) {
                            present.add(id);
                        }
                    }
                    return PeerReply.json(new PeerMessages.ChunkIds(present));
                }),
                new Simple("chunk.get", SMALL_BODY_BYTES, request -> {
                    ChunkId id = ChunkId.of(read(request, PeerMessages.BlobId.class).id());
                    OptionalLong size = chunks.size(id);
                    Optional<InputStream> data = size.isPresent() ? chunks.get(id) : Optional.empty();
                    if (data.isEmpty() || size.getAsLong() > ChunkStore.MAX_CHUNK_BYTES) {
                        data.ifPresent(PeerOperations::closeQuietly);
                        return PeerReply.problem(404, "chunk-not-found", "this cell does not hold chunk " + id);
                    }
                    // A chunk's digest is its id: the requester checks the bytes it streams against it.
                    return new PeerReply(200, size.getAsLong(), id.hex(), data.get());
                }),
                new Simple("chunk.put", ChunkStore.MAX_CHUNK_BYTES, request -> {
                    // The chunk id is the signed body digest; the body is checked against it while the store reads
                    // it, and fails before its last bytes, so the store discards its temporary file.
                    ChunkId id = ChunkId.of(request.digest());
                    boolean stored = chunks.put(id, request.body(), request.bodyLength());
                    request.finish(); // a store that already held the id read nothing: still refuse a false body
                    held.held(id, request.sender().id());
                    return PeerReply.json(new Stored(id.hex(), stored));
                }),
                new Simple("manifest.push", ManifestStore.MAX_MANIFEST_BYTES, request -> {
                    byte[] blob = request.bytes(); // checked against the digest, which is the version id
                    boolean stored = manifests.put(request.digest(), blob, request.sender().id());
                    return PeerReply.json(new Stored(request.digest(), stored));
                }),
                new Simple("manifest.pull", SMALL_BODY_BYTES, request -> {
                    String id = read(request, PeerMessages.BlobId.class).id();
                    return manifests.get(id).map(blob -> new PeerReply(200, blob.length, id, new ByteArrayInputStream(blob)))
                            .orElseGet(() -> PeerReply.problem(404, "manifest-not-found",
                                    "this cell does not hold manifest " + id));
                }));
    }

    /** Hears the {@code hello}s members send; must return quickly (schedule work, do not do it). */
    @FunctionalInterface
    public interface HelloListener {
        /**
         * @param sender the member that said hello
         * @param hello  what it said
         * @return this cell's own routes, for the answer
         */
        List<String> heard(Member sender, PeerMessages.Hello hello);
    }

    /**
     * The reply of {@code chunk.put} and {@code manifest.push}.
     *
     * @param id     what was pushed
     * @param stored {@code true} if stored now, {@code false} if already held
     */
    public record Stored(String id, boolean stored) {
        public Stored {
            if (!ChunkId.isValid(id)) {
                throw new IllegalArgumentException("id: 64 lower-case hex characters");
            }
        }
    }

    /** Reads and parses a small JSON body; anything that does not parse into a valid message is malformed. */
    static <T> T read(VerifiedRequest request, Class<T> type) throws IOException {
        byte[] body = request.bytes();
        try {
            return Json.mapper().readValue(body, type);
        } catch (IOException | RuntimeException e) {
            throw new PeerRejection(PeerRejection.Code.MALFORMED, request.operation() + " body is not a valid "
                    + type.getSimpleName() + " message");
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing was read
        }
    }
}
