package io.grove.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code grove peers}: the other members with their best route and health. */
@Command(name = "peers", mixinStandardHelpOptions = true, description = "List the fleet's other cells with routes and health.")
final class PeersCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Override
    public Integer call() {
        ApiClient client = options.client();
        JsonNode peers = client.get("/api/v1/peers");
        if (options.json) {
            Human.printJson(System.out, peers);
            return 0;
        }
        JsonNode nearby = client.get("/api/v1/peers/nearby");
        if (peers.isEmpty()) {
            System.out.println("no other cells (create a fleet with 'grove fleet create', then 'grove invite')");
        } else {
            table(peers);
        }
        if (!nearby.isEmpty()) {
            System.out.println();
            System.out.println("nearby, not in the fleet (invite them with 'grove invite'):");
            for (JsonNode n : nearby) {
                System.out.println("  " + n.path("shortId").asText() + "  " + n.path("transport").asText() + " "
                        + Human.printable(n.path("address").asText()) + "  seen " + n.path("seenAt").asText());
            }
        }
        return 0;
    }

    private static void table(JsonNode peers) {
        System.out.printf(Locale.ROOT, "%-20s %-8s %-7s %-4s %-5s %-28s %10s %10s  %s%n", "LABEL", "CELL", "ROLE", "FAV",
                "UP", "BEST ROUTE", "LATENCY", "THROUGHPUT", "LAST SEEN");
        for (JsonNode p : peers) {
            JsonNode best = p.path("routes").path(0);
            System.out.printf(Locale.ROOT, "%-20s %-8s %-7s %-4s %-5s %-28s %10s %10s  %s%n",
                    clip(Human.printable(p.path("label").asText()), 20), p.path("shortId").asText(),
                    p.path("role").asText(), p.path("favourite").asBoolean() ? "★" : "",
                    p.has("up") ? (p.path("up").asBoolean() ? "yes" : "no") : "?",
                    best.isMissingNode() ? "(none)" : clip(best.path("transport").asText() + " " + best.path("address").asText(), 28),
                    best.hasNonNull("latencyMs") ? String.format(Locale.ROOT, "%.1f ms", best.path("latencyMs").asDouble()) : "-",
                    best.hasNonNull("throughputMBps") ? String.format(Locale.ROOT, "%.1f MB/s", best.path("throughputMBps").asDouble()) : "-",
                    p.hasNonNull("lastSeen") ? p.path("lastSeen").asText()
                            : p.hasNonNull("lastContact") ? p.path("lastContact").asText() : "never");
        }
    }

    private static String clip(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "…";
    }
}
