package io.grove.runtime.replication;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.api.CellId;
import io.grove.api.ChunkId;
import io.grove.runtime.erasure.ShardSet;
import io.grove.runtime.json.Json;
import io.grove.runtime.testing.TestCell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

import static io.grove.runtime.replication.Placements.placement;
import static io.grove.runtime.replication.Placements.eventually;
import static io.grove.runtime.replication.Placements.status;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Erasure-coded folders on real cells over loopback: four cells, an RS 4+2 folder and a factor-2 folder, both
 * offloading; the owner keeps no chunk, and every file reads back byte-identical whichever other cell is killed. A
 * corrupted shard is skipped on read and healed after its audit fails.
 */
class ErasurePlacementTest {
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

    /** {@code extra} over the fast test settings. */
    private static Map<String, String> settings(Map<String, String> extra) {
        Map<String, String> s = new HashMap<>(FAST);
        s.putAll(extra);
        return s;
    }

    private TestCell cell(String name, Map<String, String> extra) {
        return cells.start(name, settings(extra));
    }

    @Test
    void fourCellsEveryFileReadsBackWhicheverOtherCellIsKilled() throws Exception {
        Map<String, String> folders = Map.of("replication.folders",
                "path=photos;erasure=4+2;offload=true, path=docs;factor=2;offload=true");
        TestCell a = cell("a", folders);
        Map<String, TestCell> others = new LinkedHashMap<>();
        for (String name : List.of("b", "c", "d")) {
            others.put(name, cell(name, folders));
        }
        TestFleet.form(a, List.copyOf(others.values()));

        Map<String, byte[]> files = new LinkedHashMap<>();
        Random random = new Random(42);
        files.put("photos/big.bin", bytes(random, 9 << 20));
        files.put("photos/tiny.txt", "a tiny file in an erasure-coded folder".getBytes());
        files.put("photos/empty", new byte[0]);
        files.put("docs/report.bin", bytes(random, 3 << 20));
        files.put("docs/note.txt", "a note".getBytes());
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            HttpResponse<String> put = a.send(a.request("/api/v1/files/" + f.getKey())
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(f.getValue())).build());
            assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        }

        // Full placement: nothing at risk, the EC files at 6 shards of 6, and the owner keeps no chunk at all.
        JsonNode placed = eventually(a, p -> p.size() == files.size()
                && all(p, f -> !f.path("atRisk").asBoolean())
                // The listing itself says so (it may be read just before the round that offloads ends).
                && all(p, f -> !f.path("path").asText().startsWith("photos/") || f.path("path").asText().endsWith("empty")
                        || f.path("offloadedChunks").asInt() > 0)
                // Likewise a, the owner, stops being listed as a holder of the docs once their offload round ended.
                && all(p, f -> !f.path("path").asText().startsWith("docs/")
                        || all(f.path("holders"), h -> !h.asText().equals(a.cell().id().value())))
                && chunkFiles(a).isEmpty(), "everything is placed and offloaded");
        for (JsonNode f : placed) {
            if (f.path("path").asText().startsWith("photos/") && !f.path("path").asText().endsWith("empty")) {
                assertThat(f.path("erasure").asText()).isEqualTo("4+2");
                assertThat(f.path("shardsConfirmed").asInt()).isEqualTo(6);
                assertThat(f.path("offloadedChunks").asInt()).as(f.toString()).isPositive();
            }
            if (f.path("path").asText().startsWith("docs/")) {
                assertThat(f.path("confirmed").asInt()).isEqualTo(2);
                // The manifest stays on a and one peer, the offloaded chunks on two peers: the one peer holding all
                // of them is listed, a is not (it holds no chunk).
                assertThat(f.path("holders")).isNotEmpty().noneMatch(h -> h.asText().equals(a.cell().id().value()));
            }
        }
        // Three peers and 4+2: two shards of every chunk on each.
        for (TestCell peer : others.values()) {
            assertThat(shardsHeldBy(a, peer.cell().id())).as("shards on " + peer.cell().id().shortForm())
                    .allSatisfy((chunk, n) -> assertThat(n).isEqualTo(2));
        }
        // Copies are placed without audit challenges (made when first due), but an offloaded chunk's copies got theirs
        // from the local bytes before they were deleted: after the offload nothing could make them.
        List<String> docChunks = a.cell().storage().database().jdbi().withHandle(h -> h.createQuery("""
                        SELECT DISTINCT vc.chunk_id FROM version_chunks vc JOIN versions v ON v.id = vc.version_id
                        WHERE v.path LIKE 'docs/%'""").mapTo(String.class).list());
        assertThat(docChunks).isNotEmpty().allSatisfy(chunk -> assertThat(a.cell().network().replicator().audits()
                .copies(io.grove.api.ChunkId.of(chunk))).as("audit copies of offloaded chunk " + chunk)
                .hasSizeGreaterThanOrEqualTo(2).allSatisfy(copy -> assertThat(copy.challengesLeft()).isPositive()));
        // verify reports the offloaded chunks as offloaded, not missing.
        JsonNode verify = Json.mapper().readTree(a.send(a.request("/api/v1/verify")
                .POST(HttpRequest.BodyPublishers.noBody()).build()).body());
        assertThat(verify.path("ok").asBoolean()).as(verify.toString()).isTrue();
        assertThat(verify.path("offloaded").asLong()).isPositive();

        for (String victim : List.of("b", "c", "d")) {
            TestCell killed = others.get(victim);
            CellId victimId = killed.cell().id();
            cells.stop(killed);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                HttpResponse<byte[]> read = a.sendBytes(a.request("/api/v1/files/" + f.getKey()).GET().build());
                assertThat(read.statusCode()).as(f.getKey() + " with " + victim + " down").isEqualTo(200);
                assertThat(read.body()).as(f.getKey() + " with " + victim + " down").isEqualTo(f.getValue());
            }
            // Reads are read-through: the owner still keeps no chunk.
            assertThat(chunkFiles(a)).isEmpty();
            Instant restarted = Instant.now();
            TestCell back = cell(victim, folders);
            others.put(victim, back);
            TestCell.eventually(Duration.ofSeconds(45), () -> a.cell().network().peers().routes().health(victimId)
                    .lastSeen().filter(t -> t.isAfter(restarted)).isPresent(), victim + " is seen again");
            eventually(a, p -> all(p, f -> !f.path("atRisk").asBoolean()), "the placement is whole again");
        }
    }

    @Test
    void aCorruptedShardIsSkippedOnReadAndHealedOnAnotherCellAfterItsAuditFails() throws Exception {
        List<TestCell> peers = new ArrayList<>();
        byte[] content = bytes(new Random(9), 3 << 20);
        TestCell a = vaultOnFiveCells(Map.of("audit.interval", "1s"), peers, "vault/secret.bin", content);

        Placement placement = a.cell().network().replicator().placement();
        String chunk = a.cell().network().replicator().placement().files("", 1).get(0).chunks().get(0);
        ShardSet set = placement.shards().get(ChunkId.of(chunk)).orElseThrow();
        ChunkId shard0 = set.shards().get(0);
        CellId holder = placement.holders(List.of(new Item(shard0.hex(), Item.Kind.SHARD))).get(shard0.hex())
                .iterator().next();
        TestCell bad = peers.stream().filter(p -> p.cell().id().equals(holder)).findFirst().orElseThrow();
        // The holder's disk rots: its copy of shard 0 no longer hashes to the shard id.
        Path file = chunkFiles(bad).stream().filter(f -> f.getFileName().toString().equals(shard0.hex()))
                .findFirst().orElseThrow();
        byte[] rotten = Files.readAllBytes(file);
        rotten[rotten.length / 3] ^= 0x40;
        Files.write(file, rotten);

        // Asked for every shard, the owner gets the two intact ones only; the file still reads back whole.
        Map<Integer, byte[]> got = a.cell().network().remoteChunks().shards(set, 3);
        assertThat(got).containsOnlyKeys(1, 2);
        HttpResponse<byte[]> read = a.sendBytes(a.request("/api/v1/files/vault/secret.bin").GET().build());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).isEqualTo(content);

        // The next audit of that copy fails; the shard is rebuilt from the two others and placed on the spare cell.
        eventually(a, p -> {
            Set<CellId> holders = placement.holders(List.of(new Item(shard0.hex(), Item.Kind.SHARD)))
                    .get(shard0.hex());
            return !holders.contains(holder) && !holders.isEmpty() && !p.path(0).path("atRisk").asBoolean()
                    && p.path(0).path("shardsConfirmed").asInt() == 3;
        }, "the rotten shard is healed on another cell");
        assertThat(a.cell().network().replicator().audits().reputation(holder, Instant.now()).trusted()).isFalse();
        assertThat(chunkFiles(a)).isEmpty();
        assertThat(a.sendBytes(a.request("/api/v1/files/vault/secret.bin").GET().build()).body()).isEqualTo(content);
    }

    @Test
    void aShardHealedElsewhereIsReleasedByItsFormerHolderWhenThatCellReturns() throws Exception {
        List<TestCell> peers = new ArrayList<>();
        byte[] content = bytes(new Random(11), 2 << 20);
        TestCell a = vaultOnFiveCells(Map.of(), peers, "vault/album.bin", content);
        Placement placement = a.cell().network().replicator().placement();
        ChunkId chunk = ChunkId.of(placement.files("", 1).get(0).chunks().get(0));
        ChunkId shard0 = placement.shards().get(chunk).orElseThrow().shards().get(0);
        CellId holder = shardHolders(a, shard0).iterator().next();
        TestCell away = peers.stream().filter(p -> p.cell().id().equals(holder)).findFirst().orElseThrow();
        Path awayDir = away.cell().folder().dir();
        String awayName = awayDir.getFileName().toString();
        cells.stop(away);

        // Past the grace period the shard is rebuilt from the two others onto the spare cell.
        eventually(a, p -> shardHolders(a, shard0).stream().anyMatch(h -> !h.equals(holder))
                && !p.path(0).path("atRisk").asBoolean(), "shard 0 is healed onto the spare cell");
        CellId spare = shardHolders(a, shard0).stream().filter(h -> !h.equals(holder)).findFirst().orElseThrow();

        // The cell returns with its old copy: one of the two copies of shard 0 is surplus and is released (deleted
        // on that cell, forgotten by placement and audits); every shard ends with one holder.
        TestCell back = cell(awayName, vaultSettings(Map.of()));
        assertThat(back.cell().folder().dir()).isEqualTo(awayDir);
        assertThat(holdsFile(back, shard0)).as("the returning cell still has its copy").isTrue();
        TestCell spareCell = peers.stream().filter(p -> p.cell().id().equals(spare)).findFirst().orElseThrow();
        CellId owner = a.cell().id();
        eventually(a, p -> keepsFor(back, shard0, owner) != keepsFor(spareCell, shard0, owner)
                && shardHolders(a, shard0).size() == 1 && !p.path(0).path("atRisk").asBoolean(),
                "the surplus copy of shard 0 is released");
        CellId released = keepsFor(back, shard0, owner) ? spare : holder;
        assertThat(shardHolders(a, shard0)).doesNotContain(released);
        // The released file waits for that cell's garbage collection, so its inventory still lists it for a while:
        // that listing does not count it again, so it is not found surplus and released again round after round.
        Thread.sleep(3_000); // a few sync rounds (500 ms apart) with inventories
        assertThat(shardHolders(a, shard0)).hasSize(1).doesNotContain(released);
        assertThat(status(a).path("recent")).filteredOn(e -> e.path("detail").asText()
                .contains("released its surplus shard " + shard0.hex().substring(0, 12))).hasSize(1);
        assertThat(a.cell().network().replicator().audits().copies(shard0)).extracting(c -> c.holder())
                .doesNotContain(released);
        for (ChunkId shard : placement.shards().get(chunk).orElseThrow().shards()) {
            assertThat(shardHolders(a, shard)).as("holders of shard " + shard.hex()).hasSize(1);
        }
        assertThat(a.sendBytes(a.request("/api/v1/files/vault/album.bin").GET().build()).body()).isEqualTo(content);
    }

    @Test
    void aFolderThatChangesLayoutReleasesTheCopiesOrShardsItNoLongerNeeds() throws Exception {
        Map<String, String> copies = Map.of();
        Map<String, String> coded = Map.of("replication.folders", "path=vault;erasure=2+1");
        TestCell a = cell("a", copies);
        List<TestCell> peers = new ArrayList<>();
        for (String name : List.of("b", "c", "d")) {
            peers.add(cell(name, copies));
        }
        TestFleet.form(a, peers);
        byte[] content = bytes(new Random(13), 1 << 20); // one chunk
        assertThat(a.send(a.request("/api/v1/files/vault/doc.bin").PUT(HttpRequest.BodyPublishers.ofByteArray(content))
                .build()).statusCode()).isEqualTo(201);
        eventually(a, p -> p.size() == 1 && p.path(0).path("confirmed").asInt() == 2, "two whole copies");
        ChunkId chunk = ChunkId.of(a.cell().network().replicator().placement().files("", 1).get(0).chunks().get(0));
        assertThat(wholeCopyHolders(a, chunk)).hasSize(1);
        CellId owner = a.cell().id();

        // The folder becomes erasure-coded: once its three shards are placed, the whole copy on a peer is released.
        cells.stop(a);
        TestCell coding = cell("a", coded);
        eventually(coding, p -> p.path(0).path("shardsConfirmed").asInt() == 3 && !p.path(0).path("atRisk").asBoolean()
                && wholeCopyHolders(coding, chunk).isEmpty(), "shards placed and the whole copy released");
        assertThat(peers).noneMatch(peer -> keepsFor(peer, chunk, owner));
        List<ChunkId> shards = coding.cell().network().replicator().placement().shards().get(chunk).orElseThrow().shards();
        assertThat(coding.sendBytes(coding.request("/api/v1/files/vault/doc.bin").GET().build()).body()).isEqualTo(content);

        // And back to whole copies: once a peer holds one again, every shard is released and the set forgotten.
        cells.stop(coding);
        TestCell copying = cell("a", copies);
        Placement placement = copying.cell().network().replicator().placement();
        eventually(copying, p -> p.path(0).path("confirmed").asInt() == 2 && placement.shards().get(chunk).isEmpty(),
                "a whole copy again and the shards released");
        assertShardsReleased(copying, shards, peers);
        assertThat(wholeCopyHolders(copying, chunk)).hasSize(1);
        assertThat(copying.sendBytes(copying.request("/api/v1/files/vault/doc.bin").GET().build()).body())
                .isEqualTo(content);
    }

    @Test
    void aFolderThatStopsOffloadingGetsItsChunksBackAndReleasesTheirShards() throws Exception {
        List<TestCell> peers = new ArrayList<>();
        byte[] content = bytes(new Random(19), 1 << 20); // one chunk
        TestCell a = vaultOnFiveCells(Map.of(), peers, "vault/back.bin", content);
        Placement before = a.cell().network().replicator().placement();
        ChunkId chunk = ChunkId.of(before.files("", 1).get(0).chunks().get(0));
        List<ChunkId> shards = before.shards().get(chunk).orElseThrow().shards();

        // Whole copies again, no offload: the chunk is rebuilt from its shards and kept here, a peer gets a whole
        // copy, and then the shards are released.
        cells.stop(a);
        TestCell home = cell("a", Map.of());
        Placement placement = home.cell().network().replicator().placement();
        eventually(home, p -> holdsFile(home, chunk) && p.path(0).path("confirmed").asInt() == 2
                && placement.shards().get(chunk).isEmpty(), "the chunk is kept here again and its shards released");
        assertThat(placement.shards().isOffloaded(chunk)).isFalse();
        assertShardsReleased(home, shards, peers);
        assertThat(wholeCopyHolders(home, chunk)).hasSize(1);
        assertThat(home.sendBytes(home.request("/api/v1/files/vault/back.bin").GET().build()).body()).isEqualTo(content);
    }

    @Test
    void offloadedShardsStayAuditedAfterTheirThreeChallengesAreUsedUp() throws Exception {
        List<TestCell> peers = new ArrayList<>();
        byte[] content = bytes(new Random(17), 1 << 20); // one chunk: three shards, one on each of three peers
        TestCell a = vaultOnFiveCells(Map.of("audit.interval", "1s"), peers, "vault/old.bin", content);
        var audits = a.cell().network().replicator().audits();
        // A copy gets three challenges; this cell has neither the chunk nor its shards any more, so every pass after
        // the third comes from reading the shard back from its holder and challenging it anew.
        TestCell.eventually(Duration.ofSeconds(90), () -> audits.reputations(Instant.now()).stream()
                .filter(r -> r.passed() >= 5).count() >= 3, "every shard holder passes more than three audits");
        assertThat(audits.reputations(Instant.now())).allMatch(r -> r.failed() == 0 && r.missing() == 0 && r.trusted());
        assertThat(chunkFiles(a)).as("the chunk stays offloaded: read back, not kept").isEmpty();
        assertThat(a.sendBytes(a.request("/api/v1/files/vault/old.bin").GET().build()).body()).isEqualTo(content);
    }

    /** No holder of any of {@code shards} is recorded by {@code owner}, and none of {@code peers} keeps one for it. */
    private static void assertShardsReleased(TestCell owner, List<ChunkId> shards, List<TestCell> peers) {
        for (ChunkId shard : shards) {
            assertThat(shardHolders(owner, shard)).as("holders of shard " + shard.hex()).isEmpty();
            assertThat(peers).noneMatch(peer -> keepsFor(peer, shard, owner.cell().id()));
        }
    }

    private static Set<CellId> wholeCopyHolders(TestCell owner, ChunkId chunk) {
        return owner.cell().network().replicator().placement().holders(List.of(new Item(chunk.hex(), Item.Kind.CHUNK)))
                .getOrDefault(chunk.hex(), Set.of());
    }

    private static boolean holdsFile(TestCell cell, ChunkId id) {
        return chunkFiles(cell).stream().anyMatch(f -> f.getFileName().toString().equals(id.hex()));
    }

    /** Whether {@code cell} keeps {@code id} for {@code owner} (what a release undoes). */
    private static boolean keepsFor(TestCell cell, ChunkId id, CellId owner) {
        return cell.cell().storage().database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM held_chunks WHERE chunk_id = ? AND owner = ?")
                .bind(0, id.hex()).bind(1, owner.value()).mapTo(Integer.class).one()) > 0;
    }

    private static Set<CellId> shardHolders(TestCell owner, ChunkId shard) {
        return owner.cell().network().replicator().placement().holders(List.of(new Item(shard.hex(), Item.Kind.SHARD)))
                .getOrDefault(shard.hex(), Set.of());
    }

    private static Map<String, String> vaultSettings(Map<String, String> more) {
        Map<String, String> extra = new HashMap<>(more);
        extra.put("replication.folders", "path=vault;erasure=2+1;offload=true");
        return extra;
    }

    /**
     * Cell a and four peers ({@code peers} receives them) in one fleet, folder {@code vault} erasure-coded 2+1 and
     * offloaded; {@code content} is put at {@code path} and waited on until placed on three cells and offloaded.
     */
    private TestCell vaultOnFiveCells(Map<String, String> more, List<TestCell> peers, String path, byte[] content)
            throws Exception {
        Map<String, String> extra = vaultSettings(more);
        TestCell a = cell("a", extra);
        for (String name : List.of("b", "c", "d", "e")) {
            peers.add(cell(name, extra));
        }
        TestFleet.form(a, peers);
        assertThat(a.send(a.request("/api/v1/files/" + path).PUT(HttpRequest.BodyPublishers.ofByteArray(content))
                .build()).statusCode()).isEqualTo(201);
        eventually(a, p -> p.size() == 1 && !p.path(0).path("atRisk").asBoolean() && chunkFiles(a).isEmpty(),
                "placed on three distinct cells and offloaded");
        return a;
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static boolean all(JsonNode array, Predicate<JsonNode> test) {
        for (JsonNode n : array) {
            if (!test.test(n)) {
                return false;
            }
        }
        return true;
    }

    /** Per chunk of {@code owner}'s shard sets, how many of its shards {@code peer} is recorded as holding. */
    private static Map<String, Integer> shardsHeldBy(TestCell owner, CellId peer) {
        Placement placement = owner.cell().network().replicator().placement();
        Map<String, Integer> out = new HashMap<>();
        for (Placement.FileChunks f : placement.files("", 100)) {
            for (String chunk : f.chunks()) {
                placement.shards().get(ChunkId.of(chunk)).ifPresent(set -> {
                    int n = 0;
                    for (ChunkId shard : set.shards()) {
                        if (placement.holders(List.of(new Item(shard.hex(), Item.Kind.SHARD))).get(shard.hex())
                                .contains(peer)) {
                            n++;
                        }
                    }
                    out.put(chunk, n);
                });
            }
        }
        return out;
    }

    private static List<Path> chunkFiles(TestCell cell) {
        try (var files = Files.walk(cell.cell().folder().dir().resolve("chunks"))) {
            return files.filter(f -> f.getFileName().toString().matches("[0-9a-f]{64}")).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
