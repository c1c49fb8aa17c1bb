package io.grove.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code grove rm PATH}: deletes a file (a tombstone version; the history stays). */
@Command(name = "rm", mixinStandardHelpOptions = true, description = "Delete a file. Its history stays and it can be restored.")
final class RmCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Parameters(paramLabel = "PATH")
    String path;

    @Override
    public Integer call() {
        ApiClient client = options.client();
        JsonNode body = client.send("DELETE", "/api/v1/files/" + ApiClient.filePath(path));
        if (options.json) {
            Human.printJson(System.out, body);
        } else {
            System.out.println("deleted " + path + " (restore it with 'grove history' and 'grove restore')");
        }
        return 0;
    }
}
