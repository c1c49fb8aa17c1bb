package io.grove.runtime.audit;

import io.grove.api.ChunkId;
import io.grove.runtime.peer.PeerTesting;
import io.grove.api.transport.Route;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.db.Database;
import io.grove.runtime.peer.PeerCallException;
import io.grove.runtime.peer.PeerClient;
import io.grove.runtime.peer.PeerSigner;
import io.grove.store.filesystem.FilesystemChunkStore;
import io.grove.testing.ManualClock;
import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Cell A audits the copies cell B holds, over B's real peer socket on loopback, B answering from its real
 * filesystem chunk store; A's audit book is real SQLite.
 */
class AuditOperationTest {
    @TempDir
    Path tmp;
    CellKeys a;
    CellKeys b;
    final ManualClock clock = new ManualClock(Instant.now());
    FilesystemChunkStore storeB;
    WebServer serverB;
    PeerTesting.HttpTransport http;
    PeerClient client;
    Route route;
    AuditBook book;
    final List<AuditResult> heard = new ArrayList<>();
    Auditor auditor;

    @BeforeEach
    void start() throws IOException {
        a = PeerTesting.keys(tmp.resolve("a"));
        b = PeerTesting.keys(tmp.resolve("b"));
        PeerTesting.TestMembership roster = new PeerTesting.TestMembership().add(a).add(b);
        storeB = FilesystemChunkStore.open(tmp.resolve("b/chunks"), true);
        serverB = ReplTesting.serve(b, roster, clock, List.of(new AuditOperation(storeB)));
        http = new PeerTesting.HttpTransport();
        client = PeerClient.of(new PeerSigner(a, roster, clock), Map.of("http", http), Duration.ofSeconds(20));
        route = PeerTesting.HttpTransport.route(b.cellId(), serverB.port());
        book = new AuditBook(Database.open(tmp.resolve("a/grove.db")), AuditBookTest.POLICY);
        auditor = new Auditor(book, (holder, chunk, nonce) -> {
            try {
                return AuditClient.ask(client, route, chunk, nonce);
            } catch (IOException e) {
                return AuditReply.unreachable();
            }
        }, heard::add, clock);
    }

    @AfterEach
    void stop() throws IOException {
        http.close();
        serverB.stop();
        storeB.close();
    }

    @Test
    void aHolderOfTheChunkPassesFromTheBytesItStores() throws IOException {
        ChunkId id = placeOnB(AuditBookTest.bytes(300_000, 1));
        clock.advance(Duration.ofHours(2));

        List<AuditResult> results = auditor.round(10);

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(AuditResult.Outcome.PASSED);
            assertThat(r.chunk()).isEqualTo(id);
            assertThat(r.holder()).isEqualTo(b.cellId());
        });
        assertThat(heard).isEqualTo(results);
    }

    @Test
    void aCorruptedChunkFileFailsTheNextAuditAndTheCopyIsLost() throws IOException {
        byte[] chunk = AuditBookTest.bytes(300_000, 2);
        ChunkId id = placeOnB(chunk);
        Path file = chunkFile(id);
        byte[] onDisk = Files.readAllBytes(file);
        onDisk[onDisk.length / 2] ^= 0x10;
        Files.write(file, onDisk);
        clock.advance(Duration.ofHours(2));

        assertThat(auditor.round(10)).singleElement().satisfies(r -> assertThat(r.outcome())
                .isEqualTo(AuditResult.Outcome.FAILED));
        assertThat(book.lost(10)).extracting(AuditedCopy::chunk).containsExactly(id);
        assertThat(book.reputation(b.cellId(), clock.instant()).trusted()).isFalse();
    }

    @Test
    void aDeletedChunkIsMissing() throws IOException {
        ChunkId id = placeOnB(AuditBookTest.bytes(1000, 3));
        Files.delete(chunkFile(id));
        clock.advance(Duration.ofHours(2));

        assertThat(auditor.round(10)).singleElement().satisfies(r -> assertThat(r.outcome())
                .isEqualTo(AuditResult.Outcome.MISSING));
    }

    @Test
    void aCellThatDoesNotServeAuditsIsUnansweredNotMissing() throws IOException {
        ChunkId id = placeOnB(AuditBookTest.bytes(1000, 4));
        serverB.stop();
        PeerTesting.TestMembership roster = new PeerTesting.TestMembership().add(a).add(b);
        serverB = ReplTesting.serve(b, roster, clock, List.of());
        route = PeerTesting.HttpTransport.route(b.cellId(), serverB.port());
        clock.advance(Duration.ofHours(2));

        assertThat(auditor.round(10)).singleElement().satisfies(r -> assertThat(r.outcome())
                .isEqualTo(AuditResult.Outcome.UNANSWERED));
        assertThat(book.copy(id, b.cellId()).orElseThrow().lost()).isFalse();
    }

    @Test
    void aCopyForgottenWhileItsChallengeIsOutIsSkipped() throws IOException {
        ChunkId id = placeOnB(AuditBookTest.bytes(1000, 5));
        clock.advance(Duration.ofHours(2));
        Auditor forgetting = new Auditor(book, (holder, chunk, nonce) -> {
            book.forget(chunk, holder);
            return AuditReply.notHeld();
        }, heard::add, clock);

        assertThat(forgetting.round(10)).isEmpty();
        assertThat(heard).isEmpty();
        assertThat(book.copies(id)).isEmpty();
    }

    @Test
    void refusesMalformedChallenges() {
        for (String body : List.of("{}", "{\"id\":\"" + "0".repeat(64) + "\",\"nonce\":\"00\"}", "[1]",
                "{\"id\":\"xyz\",\"nonce\":\"" + "0".repeat(64) + "\"}")) {
            assertThatThrownBy(() -> client.call(route, AuditOperation.NAME, body.getBytes(StandardCharsets.UTF_8), 4096))
                    .isInstanceOfSatisfying(PeerCallException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.problem()).contains("malformed");
                    });
        }
    }

    private ChunkId placeOnB(byte[] chunk) throws IOException {
        ChunkId id = AuditBookTest.idOf(chunk);
        storeB.put(id, new ByteArrayInputStream(chunk), chunk.length);
        book.place(id, b.cellId(), chunk.length, Challenge.create(chunk, 3), clock.instant());
        return id;
    }

    private Path chunkFile(ChunkId id) {
        return storeB.root().resolve(id.prefix()).resolve(id.hex());
    }
}
