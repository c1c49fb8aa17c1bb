package io.grove.runtime.peer;

import io.grove.api.ChunkId;
import io.grove.api.store.ChunkCursor;
import io.grove.api.store.ChunkPage;
import io.grove.api.store.ChunkStore;
import io.grove.api.transport.PeerRequest;
import io.grove.api.transport.PeerResponse;
import io.grove.api.transport.Route;
import io.grove.api.transport.Transport;
import io.grove.runtime.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The sending side of the protocol: signs a request, sends it over a route through the transport that reported it,
 * verifies the signed response and hands back its checked body. Thread-safe.
 */
public final class PeerClient {
    private final PeerSigner signer;
    private final Function<String, Optional<Transport>> transports;
    private final Duration timeout;

    /**
     * @param signer     signs requests and verifies responses
     * @param transports the running transport instance of an id ({@link Route#transport()})
     * @param timeout    how long to wait for a response to start
     */
    public PeerClient(PeerSigner signer, Function<String, Optional<Transport>> transports, Duration timeout) {
        if (signer == null || transports == null || timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a peer client needs a signer, transports and a positive timeout");
        }
        this.signer = signer;
        this.transports = transports;
        this.timeout = timeout;
    }

    /** A client over a fixed set of transports by id. */
    public static PeerClient of(PeerSigner signer, Map<String, Transport> transports, Duration timeout) {
        Map<String, Transport> copy = Map.copyOf(transports);
        return new PeerClient(signer, id -> Optional.ofNullable(copy.get(id)), timeout);
    }

    /**
     * Sends one request and returns the verified response, whatever its status; the caller closes it.
     *
     * @throws IOException   when the route fails (try the next one)
     * @throws PeerRejection when the answer is not a valid signed response to this request
     */
    public VerifiedResponse exchange(Route route, PeerRequest request) throws IOException {
        Transport transport = transports.apply(route.transport()).orElseThrow(() ->
                new IOException("no running transport " + route.transport() + " for route " + route.address()));
        PeerResponse response = transport.exchange(route, request, timeout);
        return signer.verify(route.peer(), request, response);
    }

    /**
     * Sends one request to a cell known by its key rather than the roster (the leader of an invite, while joining)
     * and returns the verified response, whatever its status; the caller closes it.
     */
    public VerifiedResponse exchange(Route route, byte[] responderKey, PeerRequest request) throws IOException {
        Transport transport = transports.apply(route.transport()).orElseThrow(() ->
                new IOException("no running transport " + route.transport() + " for route " + route.address()));
        PeerResponse response = transport.exchange(route, request, timeout);
        return signer.verify(route.peer(), responderKey, request, response);
    }

    /** The signer of this client's requests. */
    public PeerSigner signer() {
        return signer;
    }

    /** Sends an in-memory body and returns the verified 200 body, bounded by {@code maxReply} bytes. */
    public byte[] call(Route route, String operation, byte[] body, long maxReply) throws IOException {
        try (VerifiedResponse response = ok(operation, exchange(route, signer.request(route.peer(), operation, body)))) {
            if (response.bodyLength() > maxReply) {
                throw new PeerRejection(PeerRejection.Code.TOO_LARGE, operation + " answered " + response.bodyLength()
                        + " bytes, more than " + maxReply);
            }
            return response.bytes();
        }
    }

    /** {@code hello}: the peer's versions and roster stamp. */
    public PeerMessages.Hello hello(Route route, PeerMessages.Hello mine) throws IOException {
        return parse(call(route, "hello", Json.mapper().writeValueAsBytes(mine), PeerOperations.SMALL_BODY_BYTES),
                PeerMessages.Hello.class);
    }

    /** {@code roster.get}: the peer's signed roster bytes, unverified (the fleet layer checks the leader's signature). */
    public byte[] roster(Route route) throws IOException {
        return call(route, "roster.get", new byte[0], RosterSource.MAX_ROSTER_BYTES);
    }

    /** {@code ping}: echoes {@code payload} (at most 256 KiB) and checks the echo. */
    public Duration ping(Route route, byte[] payload) throws IOException {
        long start = System.nanoTime();
        byte[] echo = call(route, "ping", payload, PeerMessages.MAX_PING_BYTES);
        if (!java.util.Arrays.equals(echo, payload)) {
            throw new PeerRejection(PeerRejection.Code.MALFORMED, "ping echo differs from what was sent");
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** {@code inventory}: one page of the ids the peer holds. */
    public ChunkPage inventory(Route route, ChunkCursor cursor, int limit) throws IOException {
        PeerMessages.InventoryRequest ask = new PeerMessages.InventoryRequest(
                cursor.after().map(ChunkId::hex).orElse(""), limit);
        PeerMessages.InventoryReply reply = parse(call(route, "inventory", Json.mapper().writeValueAsBytes(ask),
                PeerRequest.MAX_BODY_BYTES), PeerMessages.InventoryReply.class);
        return new ChunkPage(reply.ids().stream().map(ChunkId::of).toList(),
                reply.next().isEmpty() ? Optional.empty() : Optional.of(ChunkCursor.after(ChunkId.of(reply.next()))));
    }

    /** {@code chunk.has}: which of at most 1000 ids the peer holds. */
    public Set<ChunkId> has(Route route, List<ChunkId> ids) throws IOException {
        PeerMessages.ChunkIds ask = new PeerMessages.ChunkIds(ids.stream().map(ChunkId::hex).toList());
        PeerMessages.ChunkIds reply = parse(call(route, "chunk.has", Json.mapper().writeValueAsBytes(ask),
                PeerRequest.MAX_BODY_BYTES), PeerMessages.ChunkIds.class);
        return reply.ids().stream().map(ChunkId::of).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * {@code chunk.get}: streams a chunk, empty if the peer does not hold it. The stream fails with a
     * {@code digest-mismatch} {@link PeerRejection} before its last bytes if they do not hash to {@code id}.
     */
    public Optional<VerifiedResponse> chunk(Route route, ChunkId id) throws IOException {
        byte[] ask = Json.mapper().writeValueAsBytes(new PeerMessages.BlobId(id.hex()));
        VerifiedResponse response = exchange(route, signer.request(route.peer(), "chunk.get", ask));
        if (response.status() == 404) {
            response.close();
            return Optional.empty();
        }
        ok("chunk.get", response);
        // The signed digest must be the id we asked for; the body is then checked against it as it streams.
        if (!response.digest().equals(id.hex()) || response.bodyLength() > ChunkStore.MAX_CHUNK_BYTES) {
            response.close();
            throw new PeerRejection(PeerRejection.Code.DIGEST_MISMATCH, "peer answered chunk.get " + id.hex()
                    + " with other content");
        }
        return Optional.of(response);
    }

    /** {@code chunk.put}: streams {@code length} bytes that hash to {@code id}; whether the peer stored them now. */
    public boolean put(Route route, ChunkId id, long length, InputStream data) throws IOException {
        return stored("chunk.put", signer.request(route.peer(), "chunk.put", length, id.hex(), data), route);
    }

    /** {@code manifest.push}: a sealed manifest blob; whether the peer stored it now. */
    public boolean pushManifest(Route route, byte[] blob) throws IOException {
        return stored("manifest.push", signer.request(route.peer(), "manifest.push", blob), route);
    }

    /** {@code manifest.pull}: a sealed manifest blob by version id, checked against the id. */
    public Optional<byte[]> pullManifest(Route route, String versionId) throws IOException {
        byte[] ask = Json.mapper().writeValueAsBytes(new PeerMessages.BlobId(versionId));
        try (VerifiedResponse response = exchange(route, signer.request(route.peer(), "manifest.pull", ask))) {
            if (response.status() == 404) {
                return Optional.empty();
            }
            ok("manifest.pull", response);
            if (!response.digest().equals(versionId) || response.bodyLength() > ManifestStore.MAX_MANIFEST_BYTES) {
                throw new PeerRejection(PeerRejection.Code.DIGEST_MISMATCH, "peer answered manifest.pull "
                        + versionId + " with other content");
            }
            return Optional.of(response.bytes());
        }
    }

    private boolean stored(String operation, PeerRequest request, Route route) throws IOException {
        try (VerifiedResponse response = ok(operation, exchange(route, request))) {
            if (response.bodyLength() > PeerOperations.SMALL_BODY_BYTES) {
                throw new PeerRejection(PeerRejection.Code.TOO_LARGE, operation + " reply too large");
            }
            return parse(response.bytes(), PeerOperations.Stored.class).stored();
        }
    }

    private static VerifiedResponse ok(String operation, VerifiedResponse response) throws IOException {
        if (response.status() != 200) {
            try (response) {
                byte[] problem = response.body().readNBytes(PeerOperations.SMALL_BODY_BYTES);
                throw new PeerCallException(operation, response.status(), new String(problem, StandardCharsets.UTF_8));
            }
        }
        return response;
    }

    private static <T> T parse(byte[] body, Class<T> type) {
        try {
            return Json.mapper().readValue(body, type);
        } catch (IOException | RuntimeException e) {
            throw new PeerRejection(PeerRejection.Code.MALFORMED, "peer sent an invalid " + type.getSimpleName());
        }
    }
}
