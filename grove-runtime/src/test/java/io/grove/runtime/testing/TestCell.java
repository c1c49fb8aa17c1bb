package io.grove.runtime.testing;

import io.grove.runtime.Cell;
import io.grove.runtime.cell.CellFolder;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A cell in this JVM on loopback ports, with the store-filesystem plugin from the class path, and a small HTTP
 * client for its API. Close it to stop the cell.
 */
public final class TestCell implements AutoCloseable {
    /**
     * Settings every test cell uses: ephemeral loopback ports, class-path plugins that must load, no warm-up, the
     * direct transport only.
     */
    public static final Map<String, String> SETTINGS = Map.of(
            "api.port", "0", "peer.port", "0", "peer.bind", "127.0.0.1",
            "plugins.classpath", "true", "plugins.fail-on-error", "true", "ingest.warm-up", "false",
            // The LAN transport is a plugin of its own (tested with network namespaces); cells here use direct HTTP.
            "transports.lan.enabled", "false");

    private final Cell cell;
    private final String token;
    private final HttpClient http = HttpClient.newHttpClient();

    private TestCell(Cell cell) {
        this.cell = cell;
        this.token = cell.folder().apiToken();
    }

    /** Starts a cell in {@code dir} with the default test settings plus {@code extra}. */
    public static TestCell start(Path dir, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(SETTINGS);
        settings.putAll(extra);
        return new TestCell(Cell.start(new CellFolder(dir), settings, Map.of(), Optional.empty()));
    }

    public Cell cell() {
        return cell;
    }

    /** A request to the API with the bearer token. */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(cell.apiUrl() + path)).header("Authorization", "Bearer " + token);
    }

    /** POSTs {@code json} to the API. */
    public HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** Waits, polling every 50 ms, until {@code condition} holds; fails naming {@code what} after {@code limit}. */
    public static void eventually(Duration limit, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<byte[]> sendBytes(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<InputStream> sendStream(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    @Override
    public void close() {
        cell.close();
    }
}
