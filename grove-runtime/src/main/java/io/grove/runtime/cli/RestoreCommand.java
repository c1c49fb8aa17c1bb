package io.grove.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code grove restore PATH --version V}: makes an earlier version current again. */
@Command(name = "restore", mixinStandardHelpOptions = true, description = "Make an earlier version of a file current again.")
final class RestoreCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Parameters(paramLabel = "PATH")
    String path;

    @Option(names = "--version", paramLabel = "V", required = true, description = "The version id (from 'grove history'; a unique prefix of 8+ characters is enough).")
    String version;

    @Override
    public Integer call() {
        ApiClient client = options.client();
        String full = Versions.resolve(client, path, version);
        JsonNode body = client.send("POST", "/api/v1/files/" + ApiClient.filePath(path) + "/restore?version="
                + ApiClient.query(full));
        if (options.json) {
            Human.printJson(System.out, body);
        } else {
            System.out.println("restored " + path + " to " + Human.shortVersion(full) + " as new version "
                    + Human.shortVersion(body.path("version").path("version").asText()));
        }
        return 0;
    }
}
