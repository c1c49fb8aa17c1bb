package io.grove.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.runtime.json.Json;
import io.grove.runtime.testing.TestCell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Deduplication with the default FastCDC chunking (1 / 4 / 16 MiB), through the API of a real cell. */
class DedupTest {
    private static final int SIZE = 100 << 20;

    @TempDir
    Path tmp;
    private TestCell cell;

    @BeforeEach
    void start() {
        cell = TestCell.start(tmp.resolve("cell"), Map.of());
    }

    @AfterEach
    void stop() {
        cell.close();
    }

    private void put(String path, byte[] content) throws Exception {
        HttpResponse<String> response = cell.send(cell.request("/api/v1/files/" + path)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private JsonNode stats() throws Exception {
        return Json.mapper().readTree(cell.send(cell.request("/api/v1/stats").GET().build()).body());
    }

    private static long stored(JsonNode stats) {
        return stats.path("storedBytes").asLong() + stats.path("manifestBytes").asLong();
    }

    @Test
    void theSameHundredMebibytesUnderTwoNamesAddLessThanOnePercent() throws Exception {
        byte[] content = new byte[SIZE];
        new Random(100).nextBytes(content);
        put("first/copy.bin", content);
        long before = stored(stats());
        put("second/copy.bin", content);
        long after = stored(stats());
        assertThat(after - before).isLessThan(before / 100);
        assertThat(stats().path("logicalBytes").asLong()).isEqualTo(2L * SIZE);
    }

    @Test
    void aOneByteEditInTheMiddleAddsAtMostThreeChunks() throws Exception {
        byte[] content = new byte[SIZE];
        new Random(101).nextBytes(content);
        put("edit.bin", content);
        long chunksBefore = stats().path("chunks").asLong();
        content[SIZE / 2] ^= 0x5a;
        put("edit.bin", content);
        long added = stats().path("chunks").asLong() - chunksBefore;
        assertThat(added).isBetween(1L, 3L);
    }
}
