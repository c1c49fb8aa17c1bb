package io.grove.runtime.replication;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.runtime.json.Json;
import io.grove.runtime.testing.TestCell;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** What a cell's REST API says of its replication, for the replication tests: placement, sync status, waiting. */
final class Placements {
    /** The most a test waits for a placement condition. */
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private Placements() {
    }

    /** {@code GET /api/v1/placement}. */
    static JsonNode placement(TestCell cell) {
        return get(cell, "/api/v1/placement");
    }

    /** {@code GET /api/v1/sync}. */
    static JsonNode status(TestCell cell) {
        return get(cell, "/api/v1/sync");
    }

    /** Polls the placement until {@code condition} holds (at most a minute); the placement that satisfied it. */
    static JsonNode eventually(TestCell cell, Predicate<JsonNode> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = placement(cell);
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting until " + what + "; placement: " + last + "; sync: " + status(cell));
    }

    private static JsonNode get(TestCell cell, String path) {
        try {
            HttpResponse<String> response = cell.send(cell.request(path).GET().build());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
