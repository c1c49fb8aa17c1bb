package io.grove.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.runtime.json.Json;
import io.grove.runtime.testing.TestCell;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The files API of a real cell on loopback: SQLite on disk, the filesystem store, real HTTP. */
class FilesApiTest {
    /** Small fixed chunks, so that sizes around a chunk boundary are cheap to test. */
    private static final int CHUNK = 64 * 1024;

    @TempDir
    Path tmp;
    private TestCell cell;

    @BeforeEach
    void start() {
        cell = TestCell.start(tmp.resolve("cell"), Map.of("chunking.mode", "fixed", "chunking.fixed-size", "64KiB",
                "api.max-body", "8MiB"));
    }

    @AfterEach
    void stop() {
        cell.close();
    }

    static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private JsonNode put(String path, byte[] content) throws Exception {
        HttpResponse<String> response = cell.send(cell.request("/api/v1/files/" + path)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return Json.mapper().readTree(response.body());
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = cell.request("/api/v1/files/" + path).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return cell.sendBytes(request.build());
    }

    private JsonNode json(HttpRequest request) throws Exception {
        return Json.mapper().readTree(cell.send(request).body());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17})
    void roundTripsByteForByte(int size) throws Exception {
        byte[] content = random(size, size);
        JsonNode created = put("sizes/f" + size + ".bin", content);
        assertThat(created.path("version").path("size").asLong()).isEqualTo(size);
        HttpResponse<byte[]> response = get("sizes/f" + size + ".bin");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(content);
        assertThat(response.headers().firstValue("ETag")).contains("\"" + created.path("version").path("version").asText() + "\"");
    }

    @Test
    void identicalContentIsStoredOnce() throws Exception {
        byte[] content = random(20 * CHUNK, 7);
        put("a/one.bin", content);
        long stored = json(cell.request("/api/v1/stats").GET().build()).path("storedBytes").asLong();
        JsonNode second = put("b/two.bin", content);
        assertThat(second.path("newBytes").asLong()).isZero();
        JsonNode stats = json(cell.request("/api/v1/stats").GET().build());
        assertThat(stats.path("storedBytes").asLong()).isEqualTo(stored);
        assertThat(stats.path("logicalBytes").asLong()).isEqualTo(2L * content.length);
        assertThat(stats.path("dedupRatio").asDouble()).isGreaterThan(1.9);
    }

    @Test
    void keepsHistoryAndRestoresAnEarlierVersion() throws Exception {
        byte[] first = "first".getBytes(StandardCharsets.UTF_8);
        String v1 = put("notes/todo.txt", first).path("version").path("version").asText();
        put("notes/todo.txt", "second".getBytes(StandardCharsets.UTF_8));
        JsonNode history = json(cell.request("/api/v1/files/notes/todo.txt/history").GET().build());
        assertThat(history.path("versions")).hasSize(2);
        assertThat(history.path("versions").get(1).path("version").asText()).isEqualTo(v1);
        assertThat(history.path("versions").get(0).path("parent").asText()).isEqualTo(v1);
        assertThat(history.path("conflict").asBoolean()).isFalse();
        assertThat(get("notes/todo.txt?version=" + v1).body()).isEqualTo(first);

        HttpResponse<String> restored = cell.send(cell.request("/api/v1/files/notes/todo.txt/restore?version=" + v1)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(restored.statusCode()).isEqualTo(201);
        assertThat(get("notes/todo.txt").body()).isEqualTo(first);
        assertThat(json(cell.request("/api/v1/files/notes/todo.txt/history").GET().build()).path("versions")).hasSize(3);
    }

    @Test
    void deleteLeavesATombstoneAndTheHistory() throws Exception {
        put("gone.txt", "bye".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> deleted = cell.send(cell.request("/api/v1/files/gone.txt").DELETE().build());
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(get("gone.txt").statusCode()).isEqualTo(404);
        assertThat(json(cell.request("/api/v1/files?prefix=").GET().build()).path("files")).isEmpty();
        JsonNode history = json(cell.request("/api/v1/files/gone.txt/history").GET().build());
        assertThat(history.path("versions").get(0).path("deleted").asBoolean()).isTrue();
        assertThat(cell.send(cell.request("/api/v1/files/gone.txt").DELETE().build()).statusCode()).isEqualTo(404);
    }

    @Test
    void listsByPrefixInPathOrder() throws Exception {
        for (String p : List.of("photos/b.jpg", "photos/a.jpg", "photosynthesis.txt", "docs/x.txt")) {
            put(p, p.getBytes(StandardCharsets.UTF_8));
        }
        JsonNode list = json(cell.request("/api/v1/files?prefix=photos/").GET().build());
        assertThat(list.path("files").findValuesAsText("path")).containsExactly("photos/a.jpg", "photos/b.jpg");
        JsonNode page = json(cell.request("/api/v1/files?limit=2").GET().build());
        assertThat(page.path("files")).hasSize(2);
        JsonNode rest = json(cell.request("/api/v1/files?limit=2&after=" + page.path("next").asText()).GET().build());
        assertThat(rest.path("files").findValuesAsText("path")).containsExactly("photos/b.jpg", "photosynthesis.txt");
        assertThat(list.path("files").get(0).path("mediaType").asText()).isEqualTo("image/jpeg");
    }

    @Test
    void servesRangesAndConditionalRequests() throws Exception {
        byte[] content = random(5 * CHUNK + 100, 3);
        String version = put("r.bin", content).path("version").path("version").asText();
        HttpResponse<byte[]> middle = get("r.bin", "Range", "bytes=" + (CHUNK - 10) + "-" + (2 * CHUNK + 9));
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.headers().firstValue("Content-Range")).contains("bytes " + (CHUNK - 10) + "-" + (2 * CHUNK + 9) + "/" + content.length);
        assertThat(middle.body()).isEqualTo(java.util.Arrays.copyOfRange(content, CHUNK - 10, 2 * CHUNK + 10));
        assertThat(get("r.bin", "Range", "bytes=-5").body()).isEqualTo(java.util.Arrays.copyOfRange(content, content.length - 5, content.length));
        assertThat(get("r.bin", "Range", "bytes=" + (content.length - 1) + "-").body()).hasSize(1);
        HttpResponse<byte[]> past = get("r.bin", "Range", "bytes=" + content.length + "-");
        assertThat(past.statusCode()).isEqualTo(416);
        assertThat(past.headers().firstValue("Content-Range")).contains("bytes */" + content.length);
        assertThat(get("r.bin", "If-None-Match", "\"" + version + "\"").statusCode()).isEqualTo(304);
    }

    @Test
    void concurrentPutsOfOnePathFormOneLineOfHistory() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<JsonNode>> puts = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int n = i;
                puts.add(pool.submit(() -> put("shared.txt", ("writer " + n).getBytes(StandardCharsets.UTF_8))));
            }
            for (Future<JsonNode> f : puts) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        JsonNode history = json(cell.request("/api/v1/files/shared.txt/history").GET().build());
        assertThat(history.path("versions")).hasSize(12);
        assertThat(history.path("conflict").asBoolean()).isFalse();
        Set<String> parents = new HashSet<>(history.path("versions").findValuesAsText("parent"));
        assertThat(parents).hasSize(11);
        assertThat(new String(get("shared.txt").body(), StandardCharsets.UTF_8)).startsWith("writer ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/../b", "..", "a//b", "a/./b", "%00x", "a%0Ab", "a%5Cb", "dir/"})
    void refusesBadPathsAndStoresNothing(String path) throws Exception {
        HttpResponse<String> response = cell.send(cell.request("/api/v1/files/" + path)
                .PUT(HttpRequest.BodyPublishers.ofString("x")).build());
        // ".." is normalised away by HTTP itself (the request then names no file: 404); everything else is a 400.
        assertThat(response.statusCode()).as(path).isEqualTo(path.equals("..") ? 404 : 400);
        assertThat(response.headers().firstValue("Content-Type")).contains(Problem.MEDIA_TYPE);
        assertThat(json(cell.request("/api/v1/stats").GET().build()).path("versions").asLong()).isZero();
    }

    @Test
    void refusesOverLongPaths() throws Exception {
        String longPath = "d/".repeat(600) + "f";
        assertThat(cell.send(cell.request("/api/v1/files/" + longPath).PUT(HttpRequest.BodyPublishers.ofString("x"))
                .build()).statusCode()).isEqualTo(400);
    }

    @Test
    void refusesBodiesOverTheLimitAndKeepsNothing() throws Exception {
        // The server answers 413 as soon as it sees the declared length and closes the connection; a client still
        // sending may see the close before the answer. Either way nothing may be stored.
        try {
            HttpResponse<String> response = cell.send(cell.request("/api/v1/files/huge.bin")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[9 << 20])).build());
            assertThat(response.statusCode()).isEqualTo(413);
        } catch (IOException closedWhileSending) {
            // acceptable: see above
        }
        try {
            HttpResponse<String> chunked = cell.send(cell.request("/api/v1/files/huge-chunked.bin")
                    .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[9 << 20])))
                    .build());
            assertThat(chunked.statusCode()).isEqualTo(413);
        } catch (IOException closedWhileSending) {
            // acceptable: see above
        }
        assertThat(json(cell.request("/api/v1/stats").GET().build()).path("versions").asLong()).isZero();
        assertNoTemporaryFiles();
    }

    @Test
    void aTruncatedUploadLeavesNoVersionAndNoTemporaryFiles() throws Exception {
        URI uri = URI.create(cell.cell().apiUrl());
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /api/v1/files/cut.bin HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nAuthorization: Bearer "
                    + cell.cell().folder().apiToken() + "\r\nContent-Length: 1000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(random(300_000, 1));
            out.flush();
        }
        // The cell notices the cut when it reads on; under load that may take a while, so wait for its clean-up.
        TestCell.eventually(Duration.ofSeconds(20), () -> {
            try {
                return temporaryFiles() == 0;
            } catch (IOException | java.io.UncheckedIOException e) {
                return false; // a temporary file removed during the walk
            }
        }, "the cut upload's temporary files are removed");
        assertThat(get("cut.bin").statusCode()).isEqualTo(404);
        assertThat(json(cell.request("/api/v1/stats").GET().build()).path("versions").asLong()).isZero();
        assertNoTemporaryFiles();
    }

    @Test
    void rejectsMalformedVersionIdsAndUnknownVersions() throws Exception {
        put("v.txt", "v".getBytes(StandardCharsets.UTF_8));
        assertThat(get("v.txt?version=xyz").statusCode()).isEqualTo(400);
        assertThat(get("v.txt?version=" + "0".repeat(64)).statusCode()).isEqualTo(404);
    }

    @Test
    void aCorruptChunkIsNeverServed() throws Exception {
        byte[] content = random(3 * CHUNK, 11);
        put("c.bin", content);
        Path chunk;
        try (Stream<Path> files = Files.walk(tmp.resolve("cell/chunks"))) {
            chunk = files.filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(chunk);
        bytes[bytes.length / 2] ^= 1;
        Files.write(chunk, bytes);
        HttpResponse<InputStream> response = cell.sendStream(cell.request("/api/v1/files/c.bin").GET().build());
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readAllBytes();
        } catch (IOException e) {
            return; // the stream was cut: a damaged chunk in the middle ends the response early
        }
        // Either an error status before any content, or a body that stops short of the damaged chunk.
        if (response.statusCode() == 200) {
            assertThat(body.length).isLessThan(content.length);
        } else {
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(new String(body, StandardCharsets.UTF_8)).contains("damaged");
        }
    }

    private long temporaryFiles() throws IOException {
        try (Stream<Path> files = Files.walk(tmp.resolve("cell"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".tmp") || n.contains(".tmp-")).count();
        }
    }

    private void assertNoTemporaryFiles() throws IOException {
        try (Stream<Path> files = Files.walk(tmp.resolve("cell"))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp") || n.contains(".tmp-"));
        }
    }

    @Test
    void anArchiveNamingOnePathTwiceStoresTwoVersionsInOrder() throws Exception {
        java.io.ByteArrayOutputStream tar = new java.io.ByteArrayOutputStream();
        try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(tar)) {
            for (String content : List.of("first", "second")) {
                byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
                var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("twice.txt");
                entry.setSize(bytes.length);
                out.putArchiveEntry(entry);
                out.write(bytes);
                out.closeArchiveEntry();
            }
        }
        HttpResponse<String> response = cell.send(cell.request("/api/v1/archive?prefix=a")
                .POST(HttpRequest.BodyPublishers.ofByteArray(tar.toByteArray())).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode history = json(cell.request("/api/v1/files/a/twice.txt/history").GET().build());
        assertThat(history.path("versions")).hasSize(2);
        assertThat(history.path("conflict").asBoolean()).isFalse();
        assertThat(history.path("versions").get(0).path("parent").asText())
                .isEqualTo(history.path("versions").get(1).path("version").asText());
        assertThat(new String(get("a/twice.txt").body(), StandardCharsets.UTF_8)).isEqualTo("second");
    }
}
