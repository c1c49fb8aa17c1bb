package io.grove.runtime.http;

import io.grove.api.CellId;
import io.grove.runtime.GroveVersion;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code GET /api/v1/health}: public liveness, with the cell id and version. */
final class HealthService implements HttpService {
    private final CellId cellId;

    /**
     * The health body.
     *
     * @param status  {@code UP} while the cell serves
     * @param cellId  the cell's id
     * @param version the Grove version
     */
    record Health(String status, String cellId, String version) {
    }

    HealthService(CellId cellId) {
        this.cellId = cellId;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::health);
    }

    private void health(ServerRequest req, ServerResponse res) {
        Responses.json(res, 200, new Health("UP", cellId.value(), GroveVersion.version()));
    }
}
