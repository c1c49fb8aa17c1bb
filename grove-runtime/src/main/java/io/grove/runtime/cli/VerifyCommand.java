package io.grove.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code grove verify}: reads every chunk and manifest back and reports what is missing or corrupt. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check every manifest signature and read back every chunk (like restic check --read-data). Exits 1 if anything is damaged.")
final class VerifyCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Override
    public Integer call() {
        ApiClient client = options.client();
        JsonNode report = client.send("POST", "/api/v1/verify");
        boolean ok = report.path("ok").asBoolean();
        if (options.json) {
            Human.printJson(System.out, report);
            return ok ? 0 : Main.FAILURE;
        }
        System.out.println("checked " + report.path("versionsChecked").asLong() + " versions and "
                + report.path("chunksChecked").asLong() + " chunks (" + Human.bytes(report.path("bytesRead").asLong()) + ")");
        if (report.path("offloaded").asLong() > 0) {
            System.out.println(report.path("offloaded").asLong() + " chunks are offloaded to the fleet (not checked here)");
        }
        for (JsonNode m : report.path("missing")) {
            System.out.println("missing chunk " + m.path("chunk").asText() + " used by " + m.path("paths"));
        }
        for (JsonNode c : report.path("corrupt")) {
            System.out.println("corrupt chunk " + c.path("chunk").asText() + " (" + c.path("reason").asText() + ") used by " + c.path("paths"));
        }
        for (JsonNode b : report.path("badManifests")) {
            System.out.println("bad manifest " + b.path("version").asText() + " of " + b.path("path").asText() + ": " + b.path("reason").asText());
        }
        System.out.println(ok ? "no errors were found" : "damage found: see above");
        return ok ? 0 : Main.FAILURE;
    }
}
