package io.grove.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** A cell's REST API read as its owner (bearer token), and waiting on its placement: for the replication ITs. */
final class CellApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** The most an IT waits for a placement condition. */
    private static final Duration LIMIT = Duration.ofSeconds(90);

    private CellApi() {
    }

    /** {@code GET path} as JSON; the answer must be 200. */
    static JsonNode get(GroveProcesses.Cell cell, String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(cell.api().resolve(path))
                    .header("Authorization", "Bearer " + cell.token()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Polls {@code GET /api/v1/placement} until {@code condition} holds (at most 90 s); the placement that did. */
    static JsonNode eventually(GroveProcesses.Cell cell, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = get(cell, "/api/v1/placement");
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("placement never satisfied the condition; last: " + last + "; sync: "
                + get(cell, "/api/v1/sync"));
    }
}
