package io.grove.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.grove.distribution.CellApi.eventually;
import static io.grove.distribution.CellApi.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Four cells from the distribution, as real processes: the owner has an RS 4+2 folder and a factor-2 folder, both
 * offloading. Files put with the CLI are placed in full (two shards of every chunk on each of the three peers) and
 * the owner keeps no chunk; then each other cell in turn is killed (SIGKILL) and every file is read back
 * byte-identical on the owner with {@code grove get}, the killed cell restarted before the next.
 */
class ErasureIT extends InstalledDistributionTest {
    private static final String[] SERVE = {"--port", "0", "--peer-port", "0", "--set", "peer.bind=127.0.0.1",
            "--set", "fleet.gossip-interval=300ms", "--set", "peer.timeout=5s", "--set", "routes.probe-interval=5s",
            "--set", "sync.interval=1s", "--set", "healing.grace-period=5s", "--set", "healing.release-after=2s",
            "--set", "transports.lan.enabled=false",
            "--set", "replication.folders=path=photos;erasure=4+2;offload=true,path=docs;factor=2;offload=true"};
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyFileReadsBackOnTheOwnerWhicheverOtherCellIsKilled() throws Exception {
        List<GroveProcesses.Cell> cells = new ArrayList<>();
        for (String name : List.of("owner", "b", "c", "d")) {
            cells.add(grove.serve(tmp.resolve(name), SERVE));
        }
        GroveProcesses.Cell owner = cells.get(0);
        ok(grove.run("fleet", "create", "--dir", owner.dir().toString()));
        for (GroveProcesses.Cell cell : cells.subList(1, 4)) {
            String code = ok(grove.run("invite", "--dir", owner.dir().toString())).stdout().strip();
            ok(grove.run("join", code, "--dir", cell.dir().toString()));
        }
        Random random = new Random(5);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("photos/big.bin", bytes(random, 9 << 20));
        files.put("photos/tiny.txt", "tiny".getBytes());
        files.put("photos/empty.bin", new byte[0]);
        files.put("docs/report.bin", bytes(random, 3 << 20));
        Path upload = tmp.resolve("upload");
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path local = upload.resolve(f.getKey());
            Files.createDirectories(local.getParent());
            Files.write(local, f.getValue());
        }
        // One put per folder (a tar stream: the small files may share a pack, placed like any chunk).
        for (String folder : List.of("photos", "docs")) {
            ok(grove.run("put", upload.resolve(folder).toString(), "--as", folder, "--dir", owner.dir().toString()));
        }

        eventually(owner, p -> {
            if (p.size() != files.size()) {
                return false;
            }
            for (JsonNode f : p) {
                if (f.path("atRisk").asBoolean()) {
                    return false;
                }
            }
            return chunkFiles(owner.dir()) == 0;
        });
        JsonNode placement = get(owner, "/api/v1/placement");
        for (JsonNode f : placement) {
            if (f.path("path").asText().equals("photos/big.bin")) {
                assertThat(f.path("erasure").asText()).isEqualTo("4+2");
                assertThat(f.path("shardsConfirmed").asInt()).isEqualTo(6);
            }
        }

        for (int victim = 1; victim <= 3; victim++) {
            GroveProcesses.Cell killed = cells.get(victim);
            killed.process().destroyForcibly().waitFor();
            Files.deleteIfExists(killed.dir().resolve("serve.json"));
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Path out = tmp.resolve("read-" + victim + "-" + f.getKey().replace('/', '_'));
                ok(grove.run("get", f.getKey(), "--output", out.toString(), "--dir", owner.dir().toString()));
                assertThat(Files.readAllBytes(out)).as(f.getKey() + " with cell " + victim + " killed")
                        .isEqualTo(f.getValue());
            }
            GroveProcesses.Cell back = grove.serve(killed.dir(), SERVE);
            assertThat(back.cellId()).isEqualTo(killed.cellId());
            cells.set(victim, back);
            // Seen and counting again before the next one goes down.
            eventually(owner, p -> {
                JsonNode sync = get(owner, "/api/v1/sync");
                if (sync.path("countingPeers").size() != 3) {
                    return false;
                }
                for (JsonNode f : p) {
                    if (f.path("atRisk").asBoolean()) {
                        return false;
                    }
                }
                return true;
            });
        }
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static long chunkFiles(Path cellDir) {
        try (var walk = Files.walk(cellDir.resolve("chunks"))) {
            return walk.filter(f -> f.getFileName().toString().matches("[0-9a-f]{64}")).count();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static GroveProcesses.Exit ok(GroveProcesses.Exit exit) {
        assertThat(exit.code()).as(exit.stderr()).isZero();
        return exit;
    }
}
