package io.grove.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Resolves a version id as typed by a human: the full 64 characters, or a unique prefix of at least 8. */
final class Versions {
    private Versions() {
    }

    static String resolve(ApiClient client, String path, String typed) {
        String prefix = typed.toLowerCase(Locale.ROOT);
        if (!prefix.matches("[0-9a-f]{8,64}")) {
            throw new CliException("--version must be a version id (8 to 64 hex characters) from 'grove history'", Main.USAGE);
        }
        if (prefix.length() == 64) {
            return prefix;
        }
        JsonNode history = client.get("/api/v1/files/" + ApiClient.filePath(path) + "/history");
        List<String> matches = new ArrayList<>();
        for (JsonNode v : history.path("versions")) {
            if (v.path("version").asText().startsWith(prefix)) {
                matches.add(v.path("version").asText());
            }
        }
        if (matches.size() != 1) {
            throw new CliException(matches.isEmpty() ? "no version of " + path + " starts with " + typed
                    : typed + " matches " + matches.size() + " versions of " + path + "; type more of it");
        }
        return matches.get(0);
    }
}
