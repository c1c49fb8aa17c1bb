package io.grove.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code grove favourite CELL} and {@code grove unfavourite CELL} (leader only). */
final class FavouriteCommand {
    private FavouriteCommand() {
    }

    static int set(ClientOptions options, String cell, boolean favourite) {
        ApiClient client = options.client();
        JsonNode result = client.send(favourite ? "PUT" : "DELETE", "/api/v1/peers/" + ApiClient.query(cell) + "/favourite");
        if (options.json) {
            Human.printJson(System.out, result);
        } else {
            System.out.println((favourite ? "favourite: " : "no longer a favourite: ") + result.path("id").asText());
        }
        return 0;
    }

    @Command(name = "favourite", mixinStandardHelpOptions = true,
            description = "Mark a cell as a favourite: it gets copies first (leader only).")
    static final class Mark implements Callable<Integer> {
        @Mixin
        ClientOptions options;

        @Parameters(paramLabel = "CELL", description = "The cell's id, or at least its first 4 characters.")
        String cell;

        @Override
        public Integer call() {
            return set(options, cell, true);
        }
    }

    @Command(name = "unfavourite", mixinStandardHelpOptions = true, description = "Unmark a favourite cell (leader only).")
    static final class Unmark implements Callable<Integer> {
        @Mixin
        ClientOptions options;

        @Parameters(paramLabel = "CELL", description = "The cell's id, or at least its first 4 characters.")
        String cell;

        @Override
        public Integer call() {
            return set(options, cell, false);
        }
    }
}
