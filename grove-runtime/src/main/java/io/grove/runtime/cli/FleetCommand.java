package io.grove.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code grove fleet create|show}: found a fleet led by this cell, or show the one it is in. */
@Command(name = "fleet", mixinStandardHelpOptions = true, description = "Found a fleet or show this cell's fleet.",
        subcommands = {FleetCommand.Create.class, FleetCommand.Show.class})
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
            JsonNode fleet = client.json(client.request("/api/v1/fleet").GET().build());
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
