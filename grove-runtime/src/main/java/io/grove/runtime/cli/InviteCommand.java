package io.grove.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code grove invite}: a one-time code for another cell to join this cell's fleet. */
@Command(name = "invite", mixinStandardHelpOptions = true,
        description = "Print a one-time invite code (leader only); run 'grove join CODE' on the new cell.")
final class InviteCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Option(names = "--role", paramLabel = "ROLE", defaultValue = "member",
            description = "member (holds fleet data and secrets) or friend (receives shares only). Default: member.")
    String role;

    @Option(names = "--expires", paramLabel = "DURATION", defaultValue = "24h",
            description = "How long the code works: 1m to 30d. Default: 24h.")
    String expires;

    @Override
    public Integer call() {
        JsonNode invite = options.client().json("POST", "/api/v1/fleet/invites", Map.of("role", role, "expires", expires));
        if (options.json) {
            Human.printJson(System.out, invite);
        } else {
            System.out.println(invite.path("code").asText());
            System.err.println("one-time " + invite.path("role").asText() + " invite, valid until "
                    + invite.path("expiresAt").asText() + "; the new cell runs: grove join <code>");
        }
        return 0;
    }
}
