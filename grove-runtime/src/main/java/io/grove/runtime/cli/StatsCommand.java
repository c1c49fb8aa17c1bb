package io.grove.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code grove stats}: storage counts. */
@Command(name = "stats", mixinStandardHelpOptions = true, description = "Show files, versions, chunks, bytes and the dedup ratio.")
final class StatsCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Override
    public Integer call() {
        ApiClient client = options.client();
        JsonNode s = client.get("/api/v1/stats");
        if (options.json) {
            Human.printJson(System.out, s);
            return 0;
        }
        System.out.println("files:         " + s.path("files").asLong());
        System.out.println("versions:      " + s.path("versions").asLong());
        System.out.println("chunks:        " + s.path("chunks").asLong());
        System.out.println("logical bytes: " + Human.bytes(s.path("logicalBytes").asLong()));
        System.out.println("stored bytes:  " + Human.bytes(s.path("storedBytes").asLong()));
        System.out.println("dedup ratio:   " + s.path("dedupRatio").asDouble());
        System.out.println("store free:    " + Human.bytes(s.path("storeFreeBytes").asLong()));
        return 0;
    }
}
