package io.grove.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.runtime.Cell;
import io.grove.runtime.CellStartException;
import io.grove.runtime.cell.CellFolder;
import io.grove.runtime.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A cell on real loopback sockets, with the store-filesystem plugin from the class path. */
class CellServerTest {
    static final Map<String, String> TEST_SETTINGS = Map.of(
            "api.port", "0", "peer.port", "0", "peer.bind", "127.0.0.1",
            "plugins.classpath", "true", "plugins.fail-on-error", "true", "ingest.warm-up", "false",
            "transports.lan.enabled", "false");

    @TempDir
    Path tmp;
    private Cell cell;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        cell = Cell.start(new CellFolder(tmp.resolve("cell")), TEST_SETTINGS, Map.of(), Optional.empty());
    }

    @AfterEach
    void stop() {
        if (cell != null) {
            cell.close();
        }
    }

    private HttpResponse<String> get(String path, Optional<String> token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cell.apiUrl() + path));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIsPublicAndNamesTheCell() throws Exception {
        HttpResponse<String> response = get("/api/v1/health", Optional.empty());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode health = Json.mapper().readTree(response.body());
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.get("cellId").asText()).isEqualTo(cell.id().value());
        assertThat(health.get("version").asText()).isNotBlank();
    }

    @Test
    void pluginsRequireTheBearerToken() throws Exception {
        HttpResponse<String> none = get("/api/v1/plugins", Optional.empty());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("Content-Type")).contains(Problem.MEDIA_TYPE);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(Json.mapper().readTree(none.body()).get("status").asInt()).isEqualTo(401);
        assertThat(get("/api/v1/plugins", Optional.of("wrong-token-wrong-token-wrong-token-x")).statusCode()).isEqualTo(401);

        HttpResponse<String> ok = get("/api/v1/plugins", Optional.of(cell.folder().apiToken()));
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode plugins = Json.mapper().readTree(ok.body());
        assertThat(plugins).anySatisfy(p -> {
            assertThat(p.get("name").asText()).isEqualTo("store-filesystem");
            assertThat(p.get("kind").asText()).isEqualTo("store");
            assertThat(p.get("state").asText()).isEqualTo("active");
            assertThat(p.get("instances").get(0).asText()).isEqualTo("local");
        });
    }

    @Test
    void unknownApiPathsAnswerProblemDetails() throws Exception {
        HttpResponse<String> response = get("/api/v1/nothing-here", Optional.of(cell.folder().apiToken()));
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(Json.mapper().readTree(response.body()).get("detail").asText()).contains("/api/v1/nothing-here");
    }

    @Test
    void servesTheDashboardPageAtTheRoot() throws Exception {
        HttpResponse<String> response = get("/", Optional.empty());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("<title>Grove</title>").contains("app.js");
        assertThat(response.headers().firstValue("Content-Security-Policy")).isPresent();
    }

    @Test
    void recordsWhereItServesAndForgetsItOnClose() {
        assertThat(cell.folder().serving()).hasValueSatisfying(info -> {
            assertThat(info.apiUrl()).isEqualTo(cell.apiUrl());
            assertThat(info.peerPort()).isEqualTo(cell.peerPort());
        });
        cell.close();
        assertThat(cell.folder().serving()).isEmpty();
        cell = null;
    }

    @Test
    void refusesAPortInUseWithAClearMessage() {
        Map<String, String> clash = new java.util.HashMap<>(TEST_SETTINGS);
        clash.put("api.port", Integer.toString(cell.apiPort()));
        assertThatThrownBy(() -> Cell.start(new CellFolder(tmp.resolve("other")), clash, Map.of(), Optional.empty()))
                .isInstanceOf(CellStartException.class).hasMessageContaining(Integer.toString(cell.apiPort()))
                .hasMessageContaining("--port");
    }

    @Test
    void refusesToExposeTheDashboardBeyondLoopbackWithoutAPassword() throws IOException {
        Map<String, String> open = new java.util.HashMap<>(TEST_SETTINGS);
        open.put("api.bind", "0.0.0.0");
        Path other = tmp.resolve("open");
        assertThatThrownBy(() -> Cell.start(new CellFolder(other), open, Map.of(), Optional.empty()))
                .isInstanceOf(CellStartException.class).hasMessageContaining("password");
        assertThat(Files.exists(other.resolve("serve.json"))).isFalse();
    }
}
