package io.grove.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code grove revoke CELL}: removes a member (leader only). */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = "Remove a cell from the fleet (leader only); every member refuses it from the next roster on.")
final class RevokeCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Parameters(paramLabel = "CELL", description = "The cell's id, or at least its first 4 characters.")
    String cell;

    @Override
    public Integer call() {
        ApiClient client = options.client();
        JsonNode fleet = client.send("DELETE", "/api/v1/fleet/members/" + ApiClient.query(cell));
        if (options.json) {
            Human.printJson(System.out, fleet);
        } else {
            System.out.println("revoked " + cell + "; roster seq " + fleet.path("seq").asLong()
                    + ", fleet secret rotated to epoch " + fleet.path("epoch").asText());
        }
        return 0;
    }
}
