package io.grove.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.runtime.watch.WatchedFolders;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.util.Map;

/**
 * {@code GET/POST /api/v1/watch}, {@code DELETE /api/v1/watch/{name}}: the watched folders of this cell. Configured
 * ones ({@code watch.folders}) are listed read-only; added ones start being watched at once. docs/api.md describes
 * the bodies.
 */
final class WatchApiService implements HttpService {
    private static final int MAX_BODY = 16 * 1024;

    private final WatchedFolders folders;

    WatchApiService(WatchedFolders folders) {
        this.folders = folders;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> Responses.json(res, 200, Map.of("folders", folders.list())))
                .post("/", this::add)
                .delete("/{name}", this::remove);
    }

    private void add(ServerRequest req, ServerResponse res) throws IOException {
        JsonNode body = JsonBodies.object(req, MAX_BODY, "watch requests");
        String name = JsonBodies.text(body, "name").orElseThrow(() -> JsonBodies.bad(
                "the body needs \"name\": the folder's name in Grove, e.g. Camera"));
        String dir = JsonBodies.text(body, "dir").orElseThrow(() -> JsonBodies.bad(
                "the body needs \"dir\": a directory on this cell's disk"));
        WatchedFolders.Folder added;
        try {
            added = folders.add(name.strip(), dir.strip());
        } catch (IllegalStateException e) {
            throw new ProblemException(Problem.of(409, "watch-conflict", "Not possible", e.getMessage()));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.of(400, "invalid-folder", "Cannot watch this folder", e.getMessage()));
        }
        Responses.json(res, 201, added);
    }

    private void remove(ServerRequest req, ServerResponse res) {
        String name = req.path().pathParameters().get("name");
        boolean removed;
        try {
            removed = folders.remove(name);
        } catch (IllegalStateException e) {
            throw new ProblemException(Problem.of(409, "configured-folder", "Configured in grove.yaml", e.getMessage()));
        }
        if (!removed) {
            throw new ProblemException(Problem.of(404, "not-watched", "Not watched",
                    "no folder named " + name.substring(0, Math.min(name.length(), 256)) + " was added here"));
        }
        res.status(io.helidon.http.Status.NO_CONTENT_204).send();
    }
}
