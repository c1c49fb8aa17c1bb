package io.grove.runtime.http;

import io.grove.runtime.gc.GarbageCollector;
import io.grove.runtime.gc.GcRefusedException;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code POST /api/v1/gc}: collects garbage now and answers 200 with the report, or 409 when the collector refuses
 * (another run, or an index in doubt), having deleted nothing.
 */
final class GcService implements HttpService {
    private final GarbageCollector collector;

    GcService(GarbageCollector collector) {
        this.collector = collector;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::collect)
                .any("/", (req, res) -> {
                    throw new ProblemException(Problem.of(405, "method-not-allowed", "Method not allowed",
                            "garbage collection is started with POST /api/v1/gc"));
                });
    }

    private void collect(ServerRequest req, ServerResponse res) {
        try {
            Responses.json(res, 200, collector.collect());
        } catch (GcRefusedException e) {
            throw new ProblemException(Problem.of(409, "gc-refused", "Garbage collection refused", e.getMessage()));
        }
    }
}
