package io.grove.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.grove.distribution.CellApi.eventually;
import static io.grove.distribution.CellApi.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Factor 2 on three cells from the distribution, as real processes: a file put on one cell gets a second copy; the
 * holder is killed (SIGKILL) and, past the grace period, the third cell receives a copy; the killed cell comes back
 * and no file ends up with more counting copies than the factor.
 */
class ReplicationIT extends InstalledDistributionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SERVE = {"--port", "0", "--peer-port", "0", "--set", "peer.bind=127.0.0.1",
            "--set", "fleet.gossip-interval=300ms", "--set", "peer.timeout=5s", "--set", "routes.probe-interval=5s",
            "--set", "sync.interval=1s", "--set", "healing.grace-period=5s", "--set", "healing.release-after=2s",
            "--set", "transports.lan.enabled=false"};
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aKilledHolderIsReplacedAndTheFactorIsNeverExceededWhenItReturns() throws Exception {
        List<GroveProcesses.Cell> cells = new ArrayList<>();
        for (String name : List.of("owner", "second", "third")) {
            cells.add(grove.serve(tmp.resolve(name), SERVE));
        }
        GroveProcesses.Cell owner = cells.get(0);
        ok(grove.run("fleet", "create", "--dir", owner.dir().toString()));
        for (GroveProcesses.Cell cell : cells.subList(1, 3)) {
            String code = ok(grove.run("invite", "--dir", owner.dir().toString())).stdout().strip();
            ok(grove.run("join", code, "--dir", cell.dir().toString()));
        }
        Path file = tmp.resolve("photos.bin");
        byte[] content = new byte[5 << 20];
        new Random(3).nextBytes(content);
        Files.write(file, content);
        ok(grove.run("put", file.toString(), "--as", "photos.bin", "--dir", owner.dir().toString()));

        // Two copies of the manifest and of every chunk, together on one peer (a manifest follows its chunks).
        JsonNode placed = eventually(owner, p -> p.path(0).path("confirmed").asInt() == 2
                && p.path(0).path("holders").size() == 2);
        String holderId = placed.path(0).path("holders").path(1).asText();
        GroveProcesses.Cell holder = cells.stream().filter(c -> c.cellId().equals(holderId)).findFirst().orElseThrow();
        GroveProcesses.Cell other = cells.get(1) == holder ? cells.get(2) : cells.get(1);

        holder.process().destroyForcibly().waitFor();
        Files.deleteIfExists(holder.dir().resolve("serve.json"));
        eventually(owner, p -> p.path(0).path("confirmed").asInt() == 2
                && p.path(0).path("holders").toString().contains(other.cellId())
                && !p.path(0).path("holders").toString().contains(holderId));
        JsonNode status = JSON.readTree(ok(grove.run("status", "--json", "--dir", owner.dir().toString())).stdout());
        assertThat(status.path("atRiskChunks").asLong()).isZero();

        GroveProcesses.Cell back = grove.serve(holder.dir(), SERVE);
        assertThat(back.cellId()).isEqualTo(holderId);
        // Both peers count again; the surplus copy is released and the file stays at exactly 2 counting copies.
        JsonNode settled = eventually(owner, p -> {
            JsonNode sync = get(owner, "/api/v1/sync");
            return sync.path("countingPeers").size() == 2 && p.path(0).path("confirmed").asInt() == 2
                    && sync.path("released").asLong() + released(owner) > 0;
        });
        assertThat(settled.path(0).path("holders")).hasSize(2);
    }

    private long released(GroveProcesses.Cell cell) {
        return get(cell, "/api/v1/sync").path("recent").toString().contains("released its surplus") ? 1 : 0;
    }

    private static GroveProcesses.Exit ok(GroveProcesses.Exit exit) {
        assertThat(exit.code()).as(exit.stderr()).isZero();
        return exit;
    }
}
