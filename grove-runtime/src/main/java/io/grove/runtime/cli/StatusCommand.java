package io.grove.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grove.runtime.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code grove status}: the fleet, the peers and replication health on one screen. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the fleet, peers, sync activity and files below their replication factor.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Override
    public Integer call() {
        ApiClient client = options.client();
        JsonNode fleet = client.get("/api/v1/fleet");
        JsonNode peers = client.get("/api/v1/peers");
        JsonNode sync = client.get("/api/v1/sync");
        JsonNode risk = client.get("/api/v1/placement/at-risk");
        if (options.json) {
            ObjectNode all = Json.mapper().createObjectNode();
            all.set("fleet", fleet);
            all.set("peers", peers);
            all.set("sync", sync);
            all.set("atRiskFiles", risk.path("files"));
            all.put("atRiskChunks", risk.path("atRiskChunks").asLong());
            Human.printJson(System.out, all);
            return 0;
        }
        if (!fleet.path("inFleet").asBoolean()) {
            System.out.println("cell " + fleet.path("cell").asText() + " is in no fleet: its data has one copy, here.");
            System.out.println("found a fleet with 'grove fleet create' or join one with 'grove join CODE'");
            return 0;
        }
        long up = 0;
        for (JsonNode p : peers) {
            if (p.path("up").asBoolean()) {
                up++;
            }
        }
        System.out.println("fleet:        " + Human.printable(fleet.path("name").asText()) + ", roster seq "
                + fleet.path("seq").asLong() + ", " + fleet.path("members").size() + " cells, " + up + " of "
                + peers.size() + " peers up");
        System.out.println("replication:  factor " + sync.path("factor").asInt() + ", " + sync.path("countingPeers").size()
                + " peer(s) counting, holding " + sync.path("heldForOthers").asLong() + " chunk(s) for others");
        System.out.println("last sync:    " + (sync.hasNonNull("lastRound") ? sync.path("lastRound").asText() + " ("
                + sync.path("roundMillis").asLong() + " ms): pushed " + sync.path("pushed").asLong() + ", released "
                + sync.path("released").asLong() + ", confirmed " + sync.path("confirmed").asLong() : "not yet"));
        long atRiskFiles = risk.path("files").size();
        System.out.println("at risk:      " + (atRiskFiles == 0 ? "nothing; every file has its copies"
                : atRiskFiles + " file(s), " + risk.path("atRiskChunks").asLong() + " chunk(s) below the factor"));
        for (JsonNode f : risk.path("files")) {
            System.out.println("  " + Human.printable(f.path("path").asText()) + "  " + f.path("confirmed").asInt() + "/"
                    + f.path("target").asInt() + " copies");
        }
        if (!sync.path("recent").isEmpty()) {
            System.out.println("recent:");
            for (JsonNode e : sync.path("recent")) {
                System.out.println("  " + e.path("at").asText() + "  " + e.path("kind").asText() + "  "
                        + Human.printable(e.path("detail").asText()));
            }
        }
        return 0;
    }
}
