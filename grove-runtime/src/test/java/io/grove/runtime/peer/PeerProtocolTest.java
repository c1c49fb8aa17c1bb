package io.grove.runtime.peer;

import io.grove.testing.ManualClock;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.api.ChunkId;
import io.grove.api.store.ChunkCursor;
import io.grove.api.store.ChunkPage;
import io.grove.api.transport.PeerRequest;
import io.grove.api.transport.PeerResponse;
import io.grove.api.transport.Route;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.db.Database;
import io.grove.runtime.http.ApiRouting;
import io.grove.runtime.json.Json;
import io.grove.testing.InMemoryChunkStore;
import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two cells over a real Helidon peer socket on loopback: cell A asks, cell B answers through
 * {@link ApiRouting#peer(io.helidon.webserver.http.HttpRouting.Builder, PeerHandler)}. Every answer, refusals
 * included, must carry B's valid signature; every refusal must carry its code and change nothing.
 */
class PeerProtocolTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final byte[] ROSTER = "signed roster bytes".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;
    private CellKeys a;
    private CellKeys b;
    private PeerTesting.TestMembership roster;
    private final ManualClock clock = new ManualClock(Instant.now());
    private final InMemoryChunkStore chunksB = new InMemoryChunkStore();
    private SqliteManifestStore manifestsB;
    private WebServer server;
    private PeerTesting.HttpTransport http;
    private PeerSigner signerA;
    private PeerClient client;
    private Route route;

    @BeforeEach
    void start() {
        a = PeerTesting.keys(tmp.resolve("a"));
        b = PeerTesting.keys(tmp.resolve("b"));
        roster = new PeerTesting.TestMembership().add(a).add(b);
        manifestsB = new SqliteManifestStore(Database.open(tmp.resolve("b.db")), clock);
        PeerStack stackB = PeerStack.of(b, roster, () -> Optional.of(ROSTER), chunksB, manifestsB, clock);
        server = WebServer.builder().host("127.0.0.1").port(0)
                .maxPayloadSize(PeerRequest.MAX_BODY_BYTES)
                .routing(r -> ApiRouting.peer(r, stackB.handler())).build().start();
        http = new PeerTesting.HttpTransport();
        signerA = new PeerSigner(a, roster, clock);
        client = PeerClient.of(signerA, Map.of("http", http), TIMEOUT);
        route = PeerTesting.HttpTransport.route(b.cellId(), server.port());
    }

    @AfterEach
    void stop() {
        http.close();
        server.stop();
    }

    @Test
    void answersHelloWithASignedResponseNamingItsRoster() throws IOException {
        PeerMessages.Hello reply = client.hello(route, new PeerMessages.Hello(List.of(PeerProtocol.VERSION), 0, ""));

        assertThat(reply.versions()).containsExactly("grove-peer/1");
        assertThat(reply.rosterSeq()).isEqualTo(7);
        assertThat(reply.rosterHash()).isEqualTo("ab".repeat(32));
    }

    @Test
    void signsResponsesForTheRequestOnly() throws IOException {
        PeerRequest request = signerA.request(b.cellId(), "ping", bytes(100));
        try (PeerResponse response = http.exchange(route, request, TIMEOUT)) {
            assertThat(response.headers()).containsKeys(PeerProtocol.RESPONDER, PeerProtocol.SIGNATURE,
                    PeerProtocol.TIMESTAMP, PeerProtocol.DIGEST);
            assertThat(response.headers().get(PeerProtocol.NONCE)).isEqualTo(request.headers().get(PeerProtocol.NONCE));
            // The same response does not verify as B's answer to another request, nor as another cell's answer.
            PeerRequest other = signerA.request(b.cellId(), "ping", bytes(100));
            Map<String, String> headers = response.headers();
            assertThatThrownBy(() -> signerA.verify(b.cellId(), other, copy(response.status(), headers, new byte[100])))
                    .isInstanceOfSatisfying(PeerRejection.class, e -> assertThat(e.code()).isEqualTo(PeerRejection.Code.REPLAY));
            assertThatThrownBy(() -> signerA.verify(a.cellId(), request, copy(response.status(), headers, new byte[100])))
                    .isInstanceOfSatisfying(PeerRejection.class, e -> assertThat(e.code()).isEqualTo(PeerRejection.Code.BAD_SIGNATURE));
            Map<String, String> forged = new HashMap<>(headers);
            forged.put(PeerProtocol.DIGEST, "00".repeat(32));
            assertThatThrownBy(() -> signerA.verify(b.cellId(), request, copy(response.status(), forged, new byte[100])))
                    .isInstanceOfSatisfying(PeerRejection.class, e -> assertThat(e.code()).isEqualTo(PeerRejection.Code.BAD_SIGNATURE));
            assertThatThrownBy(() -> signerA.verify(b.cellId(), request, copy(201, headers, new byte[100])))
                    .isInstanceOfSatisfying(PeerRejection.class, e -> assertThat(e.code()).isEqualTo(PeerRejection.Code.BAD_SIGNATURE));
        }
    }

    @Test
    void servesTheRosterBytes() throws IOException {
        assertThat(client.roster(route)).isEqualTo(ROSTER);
    }

    @Test
    void echoesAQuarterMebibytePing() throws IOException {
        assertThat(client.ping(route, bytes(PeerMessages.MAX_PING_BYTES))).isPositive();
    }

    @Test
    void putsListsAndGetsChunks() throws IOException {
        byte[] chunk = bytes(300_000);
        ChunkId id = ChunkId.ofDigest(sha256(chunk));

        assertThat(client.put(route, id, chunk.length, new ByteArrayInputStream(chunk))).isTrue();
        assertThat(client.put(route, id, chunk.length, new ByteArrayInputStream(chunk))).isFalse();

        ChunkId absent = ChunkId.ofDigest(sha256(bytes(1)));
        assertThat(client.has(route, List.of(id, absent))).containsExactly(id);
        ChunkPage page = client.inventory(route, ChunkCursor.START, 10);
        assertThat(page.ids()).containsExactly(id);
        try (VerifiedResponse got = client.chunk(route, id).orElseThrow()) {
            assertThat(got.bytes()).isEqualTo(chunk);
        }
        assertThat(client.chunk(route, absent)).isEmpty();
    }

    @Test
    void pagesTheInventoryByCursor() throws IOException {
        for (int i = 0; i < 25; i++) {
            byte[] chunk = bytes(10);
            chunksB.put(ChunkId.ofDigest(sha256(chunk)), new ByteArrayInputStream(chunk), chunk.length);
        }
        List<ChunkId> all = new java.util.ArrayList<>();
        ChunkCursor cursor = ChunkCursor.START;
        int pages = 0;
        while (true) {
            ChunkPage page = client.inventory(route, cursor, 10);
            all.addAll(page.ids());
            pages++;
            if (page.next().isEmpty()) {
                break;
            }
            cursor = page.next().get();
        }
        assertThat(all).hasSize(25).isSorted().doesNotHaveDuplicates();
        assertThat(pages).isBetween(3, 4);
    }

    @Test
    void pushesAndPullsSealedManifests() throws IOException {
        byte[] blob = bytes(5000);
        String id = HexFormat.of().formatHex(sha256(blob));

        assertThat(client.pushManifest(route, blob)).isTrue();
        assertThat(client.pushManifest(route, blob)).isFalse();

        assertThat(client.pullManifest(route, id)).hasValue(blob);
        assertThat(client.pullManifest(route, "00".repeat(32))).isEmpty();
    }

    @Test
    void answersUnknownOperationsWithASignedNotFound() throws IOException {
        try (VerifiedResponse response = client.exchange(route, signerA.request(b.cellId(), "chunk.steal", new byte[0]))) {
            assertThat(response.status()).isEqualTo(404);
            assertThat(code(response)).isEqualTo("unknown-operation");
        }
    }

    @Test
    void leavesOtherPathsOnThePeerSocketUnserved() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/api/v1/files")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue(PeerProtocol.SIGNATURE)).isEmpty();
    }

    // Refusals, one by one.

    @Test
    void refusesACellThatIsNotAMember() throws IOException {
        CellKeys stranger = PeerTesting.keys(tmp.resolve("stranger"));
        PeerSigner strangerSigner = new PeerSigner(stranger, roster, clock);

        assertRefused(strangerSigner.request(b.cellId(), "ping", bytes(10)), 403, "not-member");
    }

    @Test
    void refusesARevokedMember() throws IOException {
        assertThat(client.ping(route, bytes(10))).isPositive();
        roster.revoke(a.cellId());

        assertRefused(signerA.request(b.cellId(), "ping", bytes(10)), 403, "not-member");
    }

    @Test
    void refusesAFlippedSignatureBit() throws IOException {
        PeerRequest request = signerA.request(b.cellId(), "ping", bytes(10));
        byte[] signature = Base64.getUrlDecoder().decode(request.headers().get(PeerProtocol.SIGNATURE));
        signature[17] ^= 0x04;
        Map<String, String> headers = new HashMap<>(request.headers());
        headers.put(PeerProtocol.SIGNATURE, Base64.getUrlEncoder().withoutPadding().encodeToString(signature));

        assertRefused(new PeerRequest("ping", headers, request.bodyLength(), request.body()), 401, "bad-signature");
    }

    @Test
    void refusesARequestAddressedToAnotherCell() throws IOException {
        assertRefused(signerA.request(a.cellId(), "ping", bytes(10)), 401, "bad-signature");
    }

    @Test
    void refusesAReplayedNonce() throws IOException {
        byte[] body = bytes(10);
        PeerRequest first = signerA.request(b.cellId(), "ping", body);
        try (VerifiedResponse response = send(first)) {
            assertThat(response.status()).isEqualTo(200);
        }

        assertRefused(new PeerRequest("ping", first.headers(), body.length, new ByteArrayInputStream(body)), 409, "replay");
    }

    @ParameterizedTest
    @ValueSource(longs = {-6, 6})
    void refusesATimestampSixMinutesOff(long minutes) throws IOException {
        PeerSigner skewed = new PeerSigner(a, roster, Clock.offset(clock, Duration.ofMinutes(minutes)));

        assertRefused(skewed.request(b.cellId(), "ping", bytes(10)), 401, "stale");
    }

    @Test
    void acceptsATimestampFourMinutesOff() throws IOException {
        PeerSigner skewed = new PeerSigner(a, roster, Clock.offset(clock, Duration.ofMinutes(-4)));
        try (VerifiedResponse response = send(skewed.request(b.cellId(), "ping", bytes(10)))) {
            assertThat(response.status()).isEqualTo(200);
        }
    }

    @Test
    void refusesABodyThatDoesNotMatchItsDigest() throws IOException {
        PeerRequest request = signerA.request(b.cellId(), "ping", bytes(1000));

        assertRefused(new PeerRequest("ping", request.headers(), 1000, new ByteArrayInputStream(bytes(1000))),
                400, "digest-mismatch");
    }

    @Test
    void refusesABodyLargerThanTheOperationAccepts() throws IOException {
        assertRefused(signerA.request(b.cellId(), "ping", bytes(PeerMessages.MAX_PING_BYTES + 1)), 413, "too-large");
        assertRefused(signerA.request(b.cellId(), "hello", bytes(PeerOperations.SMALL_BODY_BYTES + 1)), 413, "too-large");
    }

    @Test
    void refusesAChunkWhoseBytesDoNotHashToItsIdAndStoresNothing() throws IOException {
        byte[] claimed = bytes(200_000);
        byte[] sent = bytes(200_000);
        ChunkId id = ChunkId.ofDigest(sha256(claimed));

        assertRefused(signerA.request(b.cellId(), "chunk.put", sent.length, id.hex(), new ByteArrayInputStream(sent)),
                400, "digest-mismatch");
        assertThat(chunksB.has(id)).isFalse();
        assertThat(chunksB.list(ChunkCursor.START, 10).ids()).isEmpty();
    }

    @Test
    void refusesAMalformedMessageBody() throws IOException {
        assertRefused(signerA.request(b.cellId(), "inventory", "{\"after\":\"x\",\"limit\":0}".getBytes(StandardCharsets.UTF_8)),
                400, "malformed");
        assertRefused(signerA.request(b.cellId(), "chunk.has", "[1,2".getBytes(StandardCharsets.UTF_8)), 400, "malformed");
    }

    @Test
    void refusesMissingHeadersAsMalformed() throws IOException {
        PeerRequest request = signerA.request(b.cellId(), "ping", bytes(10));
        Map<String, String> headers = new HashMap<>(request.headers());
        headers.remove(PeerProtocol.DIGEST);

        assertRefused(new PeerRequest("ping", headers, 10, request.body()), 400, "malformed");
    }

    @Test
    void refusesAManifestWhoseBytesDoNotHashToItsIdAndStoresNothing() throws IOException {
        byte[] claimed = bytes(1000);
        String id = HexFormat.of().formatHex(sha256(claimed));

        assertRefused(signerA.request(b.cellId(), "manifest.push", 1000, id, new ByteArrayInputStream(bytes(1000))),
                400, "digest-mismatch");
        assertThat(manifestsB.get(id)).isEmpty();
    }

    private void assertRefused(PeerRequest request, int status, String code) throws IOException {
        try (VerifiedResponse response = send(request)) {
            assertThat(response.status()).isEqualTo(status);
            assertThat(code(response)).isEqualTo(code);
        }
    }

    /** Sends without the client's own checks and verifies the answer as A would. */
    private VerifiedResponse send(PeerRequest request) throws IOException {
        return signerA.verify(b.cellId(), request, http.exchange(route, request, TIMEOUT));
    }

    private static String code(VerifiedResponse response) throws IOException {
        JsonNode problem = Json.mapper().readTree(response.bytes());
        return problem.get("type").asText().substring(PeerReply.PROBLEM_TYPE_BASE.length());
    }

    private static PeerResponse copy(int status, Map<String, String> headers, byte[] body) {
        return new PeerResponse(status, headers, body.length, new ByteArrayInputStream(body));
    }

    private static byte[] bytes(int n) {
        byte[] data = new byte[n];
        new SecureRandom().nextBytes(data);
        return data;
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
