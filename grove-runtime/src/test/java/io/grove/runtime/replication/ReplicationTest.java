package io.grove.runtime.replication;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.runtime.json.Json;
import io.grove.runtime.testing.TestCell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.grove.runtime.replication.Placements.placement;
import static io.grove.runtime.replication.Placements.eventually;
import static io.grove.runtime.replication.Placements.status;
import static org.assertj.core.api.Assertions.assertThat;

/** Three cells on loopback, factor 2: replicate, heal after a loss, release the surplus when the lost cell returns. */
class ReplicationTest {
    private static final Map<String, String> FAST = Map.of("fleet.gossip-interval", "200ms", "peer.timeout", "5s",
            "sync.interval", "500ms", "healing.grace-period", "3s", "healing.release-after", "1s",
            "routes.probe-interval", "5s");

    @TempDir
    Path dir;
    private TestFleet cells;

    @BeforeEach
    void open() {
        cells = new TestFleet(dir);
    }

    @AfterEach
    void stop() {
        cells.close();
    }

    private TestCell cell(String name) {
        return cell(name, FAST);
    }

    private TestCell cell(String name, Map<String, String> settings) {
        return cells.start(name, settings);
    }

    @Test
    void factorTwoIsMetHealedAfterALossAndNeverExceededWhenTheLostCellReturns() throws Exception {
        TestCell a = cell("a");
        TestCell b = cell("b");
        TestCell c = cell("c");
        TestFleet.form(a, List.of(b, c));
        byte[] content = new byte[3 << 20];
        new Random(7).nextBytes(content);
        HttpResponse<String> put = a.send(a.request("/api/v1/files/docs/report.bin")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);

        JsonNode placed = eventually(a, p -> p.path(0).path("confirmed").asInt() == 2, "the file reaches 2 copies");
        assertThat(placed.path(0).path("atRisk").asBoolean()).isFalse();
        assertThat(placed.path(0).path("holders")).hasSize(2);
        String holder = placed.path(0).path("holders").path(1).asText();
        // The holder's share of a's data, in bytes: at least the sealed 3 MiB file.
        assertThat(status(a).path("heldByPeers")).anySatisfy(p -> {
            assertThat(p.path("cell").asText()).isEqualTo(holder);
            assertThat(p.path("bytes").asLong()).isGreaterThanOrEqualTo(content.length);
        });
        TestCell lost = holder.equals(b.cell().id().value()) ? b : c;
        TestCell other = lost == b ? c : b;
        cells.stop(lost);

        // Past the grace period the lost cell stops counting; the other peer receives a copy.
        JsonNode healed = eventually(a, p -> p.path(0).path("confirmed").asInt() == 2
                && p.path(0).path("holders").toString().contains(other.cell().id().value()), "healed onto the third cell");
        assertThat(healed.path(0).path("holders")).hasSize(2);
        // The healing round told live views how it went while it pushed.
        assertThat(a.cell().events().since(0)).anyMatch(e -> e.type().equals("sync.progress")
                && ((Number) e.data().get("pushed")).longValue() >= 1 && ((Number) e.data().get("bytes")).longValue() > 0);

        // The lost cell returns: its copy is surplus, released after the hysteresis; never more than 2 count.
        TestCell back = cell(lost == b ? "b" : "c");
        eventually(a, p -> {
            JsonNode status = status(a);
            return status.path("countingPeers").size() == 2 && status.path("released").asLong() >= 0
                    && a.cell().network().replicator().placement().holders(List.of(
                    new Item(versionOf(a), Item.Kind.MANIFEST))).values().iterator().next().size() == 1;
        }, "the surplus copy is released");
        JsonNode finalPlacement = placement(a);
        assertThat(finalPlacement.path(0).path("confirmed").asInt()).isEqualTo(2);
        assertThat(finalPlacement.path(0).path("holders")).hasSize(2);
        // A released copy is no longer audited (its former holder would answer "not held" and lose a's trust).
        List<String> chunks = a.cell().storage().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT chunk_id FROM version_chunks").mapTo(String.class).list());
        io.grove.runtime.audit.AuditBook audits = a.cell().network().replicator().audits();
        Placement placement = a.cell().network().replicator().placement();
        TestCell.eventually(Duration.ofSeconds(30), () -> chunks.stream().allMatch(chunk -> placement.holders(
                List.of(new Item(chunk, Item.Kind.CHUNK))).getOrDefault(chunk, java.util.Set.of()).size() == 1),
                "the surplus chunk copies are released");
        for (String chunk : chunks) {
            java.util.Set<io.grove.api.CellId> holders = placement.holders(List.of(new Item(chunk, Item.Kind.CHUNK)))
                    .get(chunk);
            assertThat(audits.copies(io.grove.api.ChunkId.of(chunk))).as("audited copies of " + chunk)
                    .allSatisfy(copy -> assertThat(holders).contains(copy.holder()));
        }
        assertThat(audits.reputation(b.cell().id(), java.time.Instant.now()).trusted()).isTrue();
        assertThat(audits.reputation(c.cell().id(), java.time.Instant.now()).trusted()).isTrue();
    }

    @Test
    void aCorruptedCopyFailsItsAuditIsHealedElsewhereAndItsHolderIsNoLongerTrusted() throws Exception {
        Map<String, String> audited = new HashMap<>(FAST);
        audited.put("audit.interval", "1s");
        TestCell a = cell("a", audited);
        TestCell b = cell("b", audited);
        TestCell c = cell("c", audited);
        TestFleet.form(a, List.of(b, c));
        byte[] content = new byte[1 << 20];
        new Random(11).nextBytes(content);
        assertThat(a.send(a.request("/api/v1/files/audited.bin").PUT(HttpRequest.BodyPublishers.ofByteArray(content))
                .build()).statusCode()).isEqualTo(201);
        eventually(a, p -> p.path(0).path("confirmed").asInt() == 2, "the file reaches 2 copies");
        // The cell that holds the chunk (its manifest may have gone to the other: placement is per item).
        TestCell bad = chunkFiles(b).isEmpty() ? c : b;
        TestCell good = bad == b ? c : b;

        // The holder's disk rots: every chunk file it keeps for a is overwritten with other bytes of the same size.
        try (var files = java.nio.file.Files.walk(bad.cell().folder().dir().resolve("chunks"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("[0-9a-f]{64}")).toList()) {
                byte[] rotten = java.nio.file.Files.readAllBytes(file);
                rotten[rotten.length / 2] ^= 0x5A;
                java.nio.file.Files.write(file, rotten);
            }
        }
        eventually(a, p -> p.path(0).path("holders").toString().contains(good.cell().id().value())
                && !p.path(0).path("holders").toString().contains(bad.cell().id().value())
                && p.path(0).path("confirmed").asInt() == 2, "the rotten copy is replaced by one on the other cell");
        assertThat(a.cell().network().replicator().audits().reputation(bad.cell().id(), java.time.Instant.now())
                .trusted()).isFalse();
        assertThat(status(a).path("recent").toString()).contains("failed the audit");
        JsonNode audits = status(a).path("audits");
        assertThat(audits.findValuesAsText("cell")).contains(bad.cell().id().value());
        for (JsonNode peer : audits) {
            if (peer.path("cell").asText().equals(bad.cell().id().value())) {
                assertThat(peer.path("trusted").asBoolean()).isFalse();
                assertThat(peer.path("failed").asLong() + peer.path("missing").asLong()).isPositive();
            }
        }
    }

    @Test
    void aReadFetchesMissingChunksFromAHolderAndNeverServesATamperedBody() throws Exception {
        Map<String, String> three = new HashMap<>(FAST);
        three.put("replication.factor", "3");
        TestCell a = cell("a", three);
        TestCell b = cell("b", three);
        TestCell c = cell("c", three);
        TestFleet.form(a, List.of(b, c));
        byte[] content = new byte[2 << 20];
        new Random(5).nextBytes(content);
        assertThat(a.send(a.request("/api/v1/files/far.bin").PUT(HttpRequest.BodyPublishers.ofByteArray(content))
                .build()).statusCode()).isEqualTo(201);
        eventually(a, p -> p.path(0).path("confirmed").asInt() == 3, "the file reaches 3 copies");

        // a loses its own copies; b's disk rots (its chunk.get bodies no longer hash to their ids); c is intact.
        for (Path file : chunkFiles(a)) {
            java.nio.file.Files.delete(file);
        }
        for (Path file : chunkFiles(b)) {
            byte[] rotten = java.nio.file.Files.readAllBytes(file);
            rotten[0] ^= 1;
            java.nio.file.Files.write(file, rotten);
        }
        HttpResponse<byte[]> read = a.sendBytes(a.request("/api/v1/files/far.bin").GET().build());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).isEqualTo(content);
        // Fetched chunks are kept: the next read is local, even with both peers gone.
        cells.stop(b);
        cells.stop(c);
        assertThat(a.sendBytes(a.request("/api/v1/files/far.bin").GET().build()).body()).isEqualTo(content);
    }

    private static List<Path> chunkFiles(TestCell cell) throws java.io.IOException {
        try (var files = java.nio.file.Files.walk(cell.cell().folder().dir().resolve("chunks"))) {
            return files.filter(f -> f.getFileName().toString().matches("[0-9a-f]{64}")).toList();
        }
    }

    private static String versionOf(TestCell cell) {
        try {
            JsonNode list = Json.mapper().readTree(cell.send(cell.request("/api/v1/files?prefix=docs").GET().build()).body());
            return list.path("files").path(0).path("version").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

}
