package io.grove.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.api.ChunkId;
import io.grove.api.store.ChunkStore;
import io.grove.runtime.Cell;
import io.grove.runtime.cell.CellFolder;
import io.grove.runtime.files.FileService;
import io.grove.runtime.json.Json;
import io.grove.runtime.plugin.PluginKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /api/v1/verify} and {@code POST /api/v1/gc} on a cell with real loopback sockets. */
@Timeout(60)
class MaintenanceApiTest {
    private static final Map<String, String> SETTINGS = Map.of(
            "api.port", "0", "peer.port", "0", "peer.bind", "127.0.0.1", "plugins.classpath", "true",
            "plugins.fail-on-error", "true", "ingest.warm-up", "false", "gc.grace-period", "0s",
            "transports.lan.enabled", "false");

    @TempDir
    Path tmp;
    private Cell cell;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (cell != null) {
            cell.close();
        }
    }

    @Test
    void verifyAnswersTheReportAndOkFalseWhenAChunkIsDamaged() throws Exception {
        start(Map.of());
        put("docs/a.txt", "hello, grove");

        HttpResponse<String> clean = post("/api/v1/verify");
        assertThat(clean.statusCode()).isEqualTo(200);
        JsonNode report = Json.mapper().readTree(clean.body());
        assertThat(report.get("ok").asBoolean()).isTrue();
        assertThat(report.get("versionsChecked").asLong()).isEqualTo(1);
        assertThat(report.get("chunksChecked").asLong()).isEqualTo(1);
        assertThat(report.get("missing")).isEmpty();
        assertThat(report.get("duration").asText()).startsWith("PT");

        Path chunk = chunkFiles().getFirst();
        byte[] bytes = Files.readAllBytes(chunk);
        bytes[0] ^= 1;
        Files.write(chunk, bytes);

        HttpResponse<String> damaged = post("/api/v1/verify");
        assertThat(damaged.statusCode()).isEqualTo(200);
        JsonNode problems = Json.mapper().readTree(damaged.body());
        assertThat(problems.get("ok").asBoolean()).isFalse();
        assertThat(problems.get("corrupt").get(0).get("chunk").asText()).isEqualTo(chunk.getFileName().toString());
        assertThat(problems.get("corrupt").get(0).get("paths").get(0).asText()).isEqualTo("docs/a.txt");
    }

    @Test
    void gcAnswersTheReportAndDeletesDueOrphans() throws Exception {
        start(Map.of());
        put("docs/a.txt", "hello, grove");
        ChunkId orphan = putOrphan();

        HttpResponse<String> response = post("/api/v1/gc");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode report = Json.mapper().readTree(response.body());
        assertThat(report.get("scanned").asLong()).isEqualTo(2);
        assertThat(report.get("referenced").asLong()).isEqualTo(1);
        assertThat(report.get("candidates").asLong()).isEqualTo(1);
        assertThat(report.get("deleted").asLong()).isEqualTo(1);
        assertThat(report.get("bytesFreed").asLong()).isEqualTo(100);
        assertThat(store().has(orphan)).isFalse();
    }

    @Test
    void aRefusedGcIsAConflictProblemThatDeletesNothing() throws Exception {
        start(Map.of());
        ChunkId orphan = putOrphan();

        HttpResponse<String> response = post("/api/v1/gc");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.headers().firstValue("Content-Type")).contains(Problem.MEDIA_TYPE);
        JsonNode problem = Json.mapper().readTree(response.body());
        assertThat(problem.get("type").asText()).endsWith("/gc-refused");
        assertThat(problem.get("detail").asText()).contains("Nothing was deleted");
        assertThat(store().has(orphan)).isTrue();
    }

    @Test
    void maintenanceNeedsTheTokenAndAPost() throws Exception {
        start(Map.of());
        for (String path : List.of("/api/v1/verify", "/api/v1/gc")) {
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(cell.apiUrl() + path))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).as(path).isEqualTo(401);

            HttpResponse<String> get = http.send(authorized(path).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(get.statusCode()).as(path).isEqualTo(405);
            assertThat(Json.mapper().readTree(get.body()).get("detail").asText()).contains("POST " + path);
        }
    }

    private void start(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(SETTINGS);
        settings.putAll(extra);
        cell = Cell.start(new CellFolder(tmp.resolve("cell")), settings, Map.of(), Optional.empty());
    }

    private ChunkStore store() {
        return cell.instances().running(PluginKind.STORE, ChunkStore.class).getFirst();
    }

    /** A chunk no version references; the store does not check ids, so random bytes under their hash do. */
    private ChunkId putOrphan() throws Exception {
        byte[] bytes = new byte[100];
        new Random(7).nextBytes(bytes);
        ChunkId id = ChunkId.ofDigest(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        store().put(id, new ByteArrayInputStream(bytes), bytes.length);
        return id;
    }

    private List<Path> chunkFiles() throws IOException {
        try (Stream<Path> files = Files.walk(cell.folder().dir().resolve("chunks"))) {
            return files.filter(Files::isRegularFile).filter(f -> ChunkId.isValid(f.getFileName().toString())).toList();
        }
    }

    private HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(URI.create(cell.apiUrl() + path))
                .header("Authorization", "Bearer " + cell.folder().apiToken());
    }

    /** Stores through the file service: what is under test here is maintenance, not the files API. */
    private void put(String path, String content) throws IOException {
        cell.storage().files().put(path, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)),
                new FileService.PutOptions(1, "text/plain", Long.MAX_VALUE));
    }

    private HttpResponse<String> post(String path) throws Exception {
        return http.send(authorized(path).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
