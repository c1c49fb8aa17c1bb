package io.grove.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code grove history PATH}: every version of a file, newest first. */
@Command(name = "history", mixinStandardHelpOptions = true, description = "Show every version of a file, newest first.")
final class HistoryCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Parameters(paramLabel = "PATH")
    String path;

    @Override
    public Integer call() {
        ApiClient client = options.client();
        JsonNode body = client.get("/api/v1/files/" + ApiClient.filePath(path) + "/history");
        if (options.json) {
            Human.printJson(System.out, body);
            return 0;
        }
        if (body.path("conflict").asBoolean()) {
            System.out.println("! " + path + " has concurrent versions (a conflict); the newest is current");
        }
        for (JsonNode v : body.path("versions")) {
            System.out.println(Human.version(v));
        }
        return 0;
    }
}
