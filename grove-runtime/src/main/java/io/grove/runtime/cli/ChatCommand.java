package io.grove.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code grove chat CELL [TEXT]}: sends an end-to-end encrypted message, or shows the conversation. */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = "Send TEXT to another cell of the fleet (queued and retried while it is offline), "
                + "or without TEXT show the conversation.")
final class ChatCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Parameters(index = "0", paramLabel = "CELL", description = "The cell's id, or at least its first 4 characters.")
    String cell;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TEXT", description = "The message (at most 16 KiB).")
    String text;

    @Option(names = "--since", paramLabel = "ID", defaultValue = "0", description = "Show messages after this id.")
    long since;

    @Override
    public Integer call() {
        ApiClient client = options.client();
        String path = "/api/v1/chat/" + ApiClient.query(cell);
        if (text != null) {
            JsonNode sent = client.json("POST", path, Map.of("text", text));
            if (options.json) {
                Human.printJson(System.out, sent);
            } else {
                System.out.println(sent.path("delivered").asBoolean() ? "delivered" : "queued; it is sent when the cell is back");
            }
            return 0;
        }
        JsonNode messages = client.get(path + "?since=" + since + "&limit=1000");
        if (options.json) {
            Human.printJson(System.out, messages);
            return 0;
        }
        for (JsonNode m : messages) {
            System.out.println(m.path("sentAt").asText() + "  " + (m.path("outgoing").asBoolean() ? "me" : m.path("from").asText().substring(0, 8))
                    + (m.path("outgoing").asBoolean() && !m.path("delivered").asBoolean() ? " (queued)" : "")
                    + ": " + m.path("text").asText());
        }
        return 0;
    }
}
