package io.grove.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grove.testing.VethPair;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two cells from the distribution on a LAN that exists only for this test (two network namespaces joined by a veth
 * pair): each finds the other with mDNS and lists it as nearby while they share no fleet; once one joins the
 * other's fleet, the LAN route is one of its ranked routes.
 */
class LanIT extends InstalledDistributionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SERVE = {"--set", "fleet.gossip-interval=300ms", "--set", "peer.timeout=5s",
            "--set", "routes.probe-interval=5s"};

    @Test
    void cellsOnTheLanSeeEachOtherAsNearbyThenJoinAndUseTheLanRoute() throws Exception {
        assumeTrue(VethPair.ipCommand() != null, "iproute2's 'ip' is not installed: no network namespaces to test in");
        try (VethPair lan = VethPair.create("grove-lanit")) {
            GroveProcesses left = grove.behind("a", List.of(VethPair.ipCommand().toString(), "netns", "exec", lan.namespaceA()));
            GroveProcesses right = grove.behind("b", List.of(VethPair.ipCommand().toString(), "netns", "exec", lan.namespaceB()));
            try {
                Path a = tmp.resolve("a");
                Path b = tmp.resolve("b");
                GroveProcesses.Cell cellA = left.serve(a, SERVE);
                GroveProcesses.Cell cellB = right.serve(b, SERVE);

                // Strangers on one LAN: each lists the other as nearby, never as a peer.
                eventually(() -> right.run("peers", "--dir", b.toString()),
                        out -> out.contains("nearby") && out.contains(shortId(cellA.cellId())));
                assertThat(JSON.readTree(ok(left.run("peers", "--json", "--dir", a.toString())).stdout())).isEmpty();

                ok(left.run("fleet", "create", "--name", "lan", "--dir", a.toString()));
                String code = ok(left.run("invite", "--dir", a.toString())).stdout().strip();
                ok(right.run("join", code, "--dir", b.toString()));

                // Members now: b reaches a over the direct route from the code and over the LAN route mDNS found.
                String peers = eventually(() -> right.run("peers", "--json", "--dir", b.toString()),
                        out -> hasMeasuredLanRoute(out));
                JsonNode peer = JSON.readTree(peers).path(0);
                assertThat(peer.path("id").asText()).isEqualTo(cellA.cellId());
                assertThat(peer.path("routes").findValuesAsText("address"))
                        .anyMatch(address -> address.startsWith("http://" + VethPair.ADDRESS_A + ":"));
            } finally {
                grove.close();
            }
        }
    }

    private static boolean hasMeasuredLanRoute(String json) {
        try {
            for (JsonNode route : JSON.readTree(json).path(0).path("routes")) {
                if (route.path("transport").asText().equals("lan") && route.hasNonNull("latencyMs")) {
                    return true;
                }
            }
            return false;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String shortId(String cellId) {
        return cellId.substring(0, 7);
    }

    @FunctionalInterface
    private interface Command {
        GroveProcesses.Exit run() throws Exception;
    }

    private static String eventually(Command command, Predicate<String> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            GroveProcesses.Exit exit = command.run();
            last = exit.stdout() + exit.stderr();
            if (exit.code() == 0 && condition.test(exit.stdout())) {
                return exit.stdout();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the condition never held; last output:\n" + last);
    }

    private static GroveProcesses.Exit ok(GroveProcesses.Exit exit) {
        assertThat(exit.code()).as(exit.stderr()).isZero();
        return exit;
    }
}
