package io.grove.runtime.http;

import io.grove.runtime.manifest.FilePaths;
import io.grove.runtime.replication.PlacementView;
import io.grove.runtime.replication.Replicator;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/placement} (per file: target, confirmed copies, holders, at risk),
 * {@code GET /api/v1/placement/at-risk}, {@code GET /api/v1/sync} (status and recent activity) and
 * {@code POST /api/v1/sync} (a round now).
 */
final class PlacementService {
    private final PlacementView view;
    private final Replicator replicator;

    PlacementService(PlacementView view, Replicator replicator) {
        this.view = view;
        this.replicator = replicator;
    }

    HttpService placement() {
        return (HttpRules rules) -> rules
                .get("/", this::files)
                .get("/at-risk", (req, res) -> Responses.json(res, 200, view.atRisk(after(req))));
    }

    HttpService sync() {
        return (HttpRules rules) -> rules
                .get("/", (req, res) -> Responses.json(res, 200, view.status()))
                .post("/", (req, res) -> {
                    replicator.syncSoon();
                    Responses.json(res, 202, Map.of("scheduled", true));
                });
    }

    HttpService bounty() {
        return (HttpRules rules) -> rules
                .get("/", (req, res) -> Responses.json(res, 200, replicator.ledger().summary(20)));
    }

    private void files(ServerRequest req, ServerResponse res) {
        int limit;
        try {
            limit = Integer.parseInt(req.query().first("limit").orElse("1000"));
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > PlacementView.MAX_FILES) {
            throw new ProblemException(Problem.of(400, "invalid-limit", "Bad request",
                    "limit is 1.." + PlacementView.MAX_FILES));
        }
        List<PlacementView.FilePlacement> files = view.files(after(req), limit);
        res.header("X-Grove-Next", files.size() == limit ? files.get(files.size() - 1).path() : "");
        Responses.json(res, 200, files);
    }

    private static String after(ServerRequest req) {
        String after = req.query().first("after").orElse("");
        if (after.length() > FilePaths.MAX_BYTES) {
            throw new ProblemException(Problem.of(400, "invalid-path", "Bad request", "after: too long"));
        }
        return after;
    }
}
