package io.grove.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code grove join CODE}: joins the fleet of an invite code. */
@Command(name = "join", mixinStandardHelpOptions = true, description = "Join a fleet with the code 'grove invite' printed.")
final class JoinCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Parameters(paramLabel = "CODE", description = "The invite code (dashes and spaces are ignored).")
    String code;

    @Override
    public Integer call() {
        JsonNode fleet = options.client().json("POST", "/api/v1/fleet/join", Map.of("code", code));
        if (options.json) {
            Human.printJson(System.out, fleet);
        } else {
            System.out.println("joined fleet '" + Human.printable(fleet.path("name").asText()) + "' as "
                    + fleet.path("role").asText() + "; " + fleet.path("members").size() + " members (see 'grove peers')");
        }
        return 0;
    }
}
