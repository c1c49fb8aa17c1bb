package io.grove.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.grove.runtime.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code grove ls [PREFIX]}: lists files, paging through the API. */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "List stored files whose path starts with PREFIX.")
final class LsCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Parameters(paramLabel = "PREFIX", defaultValue = "", description = "A path prefix (default: everything).")
    String prefix;

    @Option(names = "--deleted", description = "Include deleted files.")
    boolean deleted;

    @Override
    public Integer call() {
        ApiClient client = options.client();
        ArrayNode all = Json.mapper().createArrayNode();
        String after = "";
        for (int page = 0; page < 100_000; page++) {
            JsonNode body = client.get("/api/v1/files?prefix=" + ApiClient.query(prefix)
                    + "&after=" + ApiClient.query(after) + (deleted ? "&deleted=true" : ""));
            for (JsonNode f : body.path("files")) {
                if (options.json) {
                    all.add(f);
                } else {
                    System.out.println(Human.version(f));
                }
            }
            if (!body.hasNonNull("next")) {
                break;
            }
            after = body.get("next").asText();
        }
        if (options.json) {
            Human.printJson(System.out, all);
        }
        return 0;
    }
}
