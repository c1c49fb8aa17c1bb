package io.grove.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three cells from the distribution, as real processes on loopback, form a fleet with the CLI alone: create,
 * invite, join, see each other in {@code grove peers} with a route, revoke one and see it refused by the others.
 */
class FleetIT extends InstalledDistributionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SERVE = {"--port", "0", "--peer-port", "0", "--set", "peer.bind=127.0.0.1",
            "--set", "fleet.gossip-interval=300ms", "--set", "peer.timeout=5s", "--set", "routes.probe-interval=5s"};

    @Test
    void threeCellsJoinWithTwoCommandsEachAndARevokedCellIsRefused() throws Exception {
        List<GroveProcesses.Cell> cells = new ArrayList<>();
        for (String name : List.of("leader", "laptop", "pi")) {
            Path dir = tmp.resolve(name);
            List<String> args = new ArrayList<>(List.of(SERVE));
            args.addAll(List.of("--set", "cell.label=" + name));
            cells.add(grove.serve(dir, args.toArray(String[]::new)));
        }
        GroveProcesses.Cell leader = cells.get(0);
        ok(grove.run("fleet", "create", "--name", "home", "--dir", leader.dir().toString()));

        for (GroveProcesses.Cell cell : cells.subList(1, 3)) {
            GroveProcesses.Exit invite = ok(grove.run("invite", "--dir", leader.dir().toString()));
            String code = invite.stdout().strip();
            assertThat(code).startsWith("GROVE1-");
            GroveProcesses.Exit joined = ok(grove.run("join", code, "--dir", cell.dir().toString()));
            assertThat(joined.stdout()).contains("joined fleet 'home' as member");
        }

        // Everyone sees the two others, with a route, once the roster has spread.
        for (GroveProcesses.Cell cell : cells) {
            // ... with a measured best route.
            JsonNode peers = eventually(cell, "peers", p -> p.size() == 2
                    && p.findValues("routes").stream().allMatch(r -> r.path(0).hasNonNull("latencyMs")));
            for (JsonNode peer : peers) {
                assertThat(peer.path("routes").path(0).path("address").asText()).startsWith("http://127.0.0.1:");
                assertThat(peer.path("routes").path(0).path("latencyMs").asDouble()).isPositive();
                assertThat(peer.path("up").asBoolean()).isTrue();
            }
        }
        GroveProcesses.Exit table = ok(grove.run("peers", "--dir", cells.get(1).dir().toString()));
        assertThat(table.stdout()).contains("leader").contains("pi").contains("127.0.0.1").contains(" ms");

        // A used code is refused with one line and a non-zero exit.
        Path stranger = tmp.resolve("stranger");
        grove.serve(stranger, SERVE);
        String code = ok(grove.run("invite", "--dir", leader.dir().toString())).stdout().strip();
        ok(grove.run("join", code, "--dir", stranger.toString()));
        GroveProcesses.Exit reused = grove.run("join", code, "--dir", cells.get(2).dir().toString());
        assertThat(reused.code()).isNotZero();
        assertThat(reused.errors()).hasSize(1);
        ok(grove.run("revoke", cellId(stranger), "--dir", leader.dir().toString()));

        // Revoke the pi: the other two refuse it from the next roster on.
        GroveProcesses.Cell pi = cells.get(2);
        GroveProcesses.Exit revoked = ok(grove.run("revoke", pi.cellId().substring(0, 10), "--dir", leader.dir().toString()));
        assertThat(revoked.stdout()).contains("revoked");
        eventually(cells.get(1), "fleet", f -> f.path("seq").asLong() == 6 && f.path("members").size() == 2);
        JsonNode piPeers = eventually(pi, "peers", p -> p.size() >= 2 && countRefused(p) >= 2);
        assertThat(countRefused(piPeers)).isGreaterThanOrEqualTo(2);
    }

    private String cellId(Path dir) throws Exception {
        return JSON.readTree(ok(grove.run("fleet", "show", "--json", "--dir", dir.toString())).stdout()).path("cell").asText();
    }

    private static long countRefused(JsonNode peers) {
        long n = 0;
        for (JsonNode p : peers) {
            if (p.path("lastError").asText().contains("not-member")) {
                n++;
            }
        }
        return n;
    }

    private JsonNode eventually(GroveProcesses.Cell cell, String command, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            GroveProcesses.Exit exit = command.equals("fleet")
                    ? grove.run("fleet", "show", "--json", "--dir", cell.dir().toString())
                    : grove.run(command, "--json", "--dir", cell.dir().toString());
            if (exit.code() == 0) {
                last = JSON.readTree(exit.stdout());
                if (condition.test(last)) {
                    return last;
                }
            }
            Thread.sleep(300);
        }
        throw new AssertionError("grove " + command + " of " + cell.dir().getFileName() + " never satisfied the condition; last: " + last);
    }

    private static GroveProcesses.Exit ok(GroveProcesses.Exit exit) {
        assertThat(exit.code()).as(exit.stderr()).isZero();
        return exit;
    }
}
