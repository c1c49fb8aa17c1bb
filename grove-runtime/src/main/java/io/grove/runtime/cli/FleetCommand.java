package io.grove.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code grove fleet create|show|set}: found a fleet led by this cell, show the one it is in, or change its
 * fleet-wide parameters (leader only).
 */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = "Found a fleet, show this cell's fleet, or change the fleet's parameters.",
        subcommands = {FleetCommand.Create.class, FleetCommand.Show.class, FleetCommand.Set.class})
final class FleetCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Override
    public Integer call() {
        return Show.show(options);
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Make this cell the leader of a new fleet; then 'grove invite' the other cells.")
    static final class Create implements Callable<Integer> {
        @Mixin
        ClientOptions options;

        @Option(names = "--name", paramLabel = "NAME", description = "The fleet's name (default: Grove fleet).")
        String name;

        @Option(names = "--replication-factor", paramLabel = "K", description = "Copies of every chunk, this cell's included (default 2).")
        Integer factor;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            if (name != null) {
                body.put("name", name);
            }
            if (factor != null) {
                body.put("replicationFactor", factor);
            }
            JsonNode fleet = options.client().json("POST", "/api/v1/fleet", body);
            if (options.json) {
                Human.printJson(System.out, fleet);
            } else {
                System.out.println("founded fleet '" + fleet.path("name").asText() + "' (" + fleet.path("fleet").asText()
                        + ") with this cell as leader; invite cells with 'grove invite'");
            }
            return 0;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Change the fleet-wide parameters (on the leader); every cell follows by gossip.")
    static final class Set implements Callable<Integer> {
        @Mixin
        ClientOptions options;

        @Option(names = "--factor", paramLabel = "K", description = "Copies of every chunk, this cell's included (1-16).")
        Integer factor;

        @Option(names = "--sync-interval", paramLabel = "DURATION", description = "Time between sync rounds, e.g. 2m (10s to 1d).")
        String syncInterval;

        @Option(names = "--healing-grace", paramLabel = "DURATION",
                description = "How long a cell may be offline before its copies are made elsewhere, e.g. 1h (1m to 30d).")
        String healingGrace;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            if (factor != null) {
                body.put("replicationFactor", factor);
            }
            if (syncInterval != null) {
                body.put("syncInterval", syncInterval);
            }
            if (healingGrace != null) {
                body.put("healingGrace", healingGrace);
            }
            if (body.isEmpty()) {
                throw new CliException("give at least one of --factor, --sync-interval, --healing-grace");
            }
            JsonNode p = options.client().json("PUT", "/api/v1/fleet/parameters", body);
            if (options.json) {
                Human.printJson(System.out, p);
            } else {
                System.out.println("fleet parameters (roster seq " + p.path("rosterSeq").asLong() + "): replication factor "
                        + p.path("fleet").path("replicationFactor").asInt() + ", sync interval "
                        + p.path("fleet").path("syncIntervalSeconds").asLong() + "s, healing grace "
                        + p.path("fleet").path("healingGraceSeconds").asLong() + "s; every cell follows by gossip");
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show the fleet and its members.")
    static final class Show implements Callable<Integer> {
        @Mixin
        ClientOptions options;

        @Override
        public Integer call() {
            return show(options);
        }

        static int show(ClientOptions options) {
            ApiClient client = options.client();
            JsonNode fleet = client.get("/api/v1/fleet");
            if (options.json) {
                Human.printJson(System.out, fleet);
                return 0;
            }
            System.out.println("this cell: " + fleet.path("cell").asText());
            if (!fleet.path("inFleet").asBoolean()) {
                System.out.println("not in a fleet: 'grove fleet create' founds one, 'grove join CODE' joins one");
                return 0;
            }
            System.out.println("fleet:     " + fleet.path("name").asText() + " (" + fleet.path("fleet").asText() + ")");
            System.out.println("roster:    seq " + fleet.path("seq").asLong() + ", replication factor "
                    + fleet.path("parameters").path("replicationFactor").asInt()
                    + (fleet.path("isLeader").asBoolean() ? ", this cell leads" : ""));
            System.out.println("members:");
            for (JsonNode m : fleet.path("members")) {
                System.out.println("  " + Human.printable(m.path("label").asText()) + "  " + m.path("shortId").asText()
                        + "  " + m.path("role").asText() + (m.path("leader").asBoolean() ? "  leader" : "")
                        + (m.path("favourite").asBoolean() ? "  ★" : "") + (m.path("self").asBoolean() ? "  (this cell)" : ""));
            }
            return 0;
        }
    }
}
