package io.grove.runtime.http;

import io.grove.runtime.verify.Verifier;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code POST /api/v1/verify}: reads back every manifest and chunk and answers 200 with the report, also when it
 * finds damage ({@code "ok": false} says so); it takes as long as reading the whole store.
 */
final class VerifyService implements HttpService {
    private final Verifier verifier;

    VerifyService(Verifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::verify)
                .any("/", (req, res) -> {
                    throw new ProblemException(Problem.of(405, "method-not-allowed", "Method not allowed",
                            "verification is started with POST /api/v1/verify"));
                });
    }

    private void verify(ServerRequest req, ServerResponse res) {
        Responses.json(res, 200, verifier.run());
    }
}
