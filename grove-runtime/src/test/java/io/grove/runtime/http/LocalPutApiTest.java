package io.grove.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.runtime.json.Json;
import io.grove.runtime.testing.TestCell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/v1/local} on a real cell: the cell reads files of this machine itself, only for a caller that
 * shows the serve.json's local token, never its own folder, and streams its progress when asked.
 */
class LocalPutApiTest {
    @TempDir
    Path tmp;
    private TestCell cell;
    private String localToken;

    @BeforeEach
    void start() {
        cell = TestCell.start(tmp.resolve("cell"), Map.of("chunking.mode", "fixed", "chunking.fixed-size", "64KiB",
                "api.max-body", "8MiB"));
        localToken = cell.cell().folder().serving().orElseThrow().localToken();
    }

    @AfterEach
    void stop() {
        cell.close();
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private HttpRequest.Builder local(Path source, String as) {
        return cell.request("/api/v1/local?source=" + URLEncoder.encode(source.toString(), StandardCharsets.UTF_8)
                        + (as == null ? "" : "&as=" + URLEncoder.encode(as, StandardCharsets.UTF_8)))
                .header(LocalPutService.TOKEN_HEADER, localToken)
                .POST(HttpRequest.BodyPublishers.noBody());
    }

    private byte[] get(String path) throws Exception {
        HttpResponse<byte[]> response = cell.sendBytes(cell.request("/api/v1/files/" + path).GET().build());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    private JsonNode listing() throws Exception {
        return Json.mapper().readTree(cell.send(cell.request("/api/v1/files").GET().build()).body()).path("files");
    }

    private static JsonNode problem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
        return Json.mapper().readTree(response.body());
    }

    @Test
    void theCellReadsAFolderItselfSkippingLinksAndEveryFileReadsBack() throws Exception {
        Path folder = tmp.resolve("photos");
        Files.createDirectories(folder.resolve("2026/may"));
        byte[] big = random(300_000, 1);
        byte[] small = random(1_000, 2);
        Files.write(folder.resolve("2026/may/big.raw"), big);
        Files.write(folder.resolve("notes.txt"), small);
        Files.write(folder.resolve("empty"), new byte[0]);
        Files.createSymbolicLink(folder.resolve("passwd"), Path.of("/etc/passwd"));

        HttpResponse<String> response = cell.send(local(folder, "albums").build());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode body = Json.mapper().readTree(response.body());
        assertThat(body.path("files").asInt()).isEqualTo(3);
        assertThat(body.path("skipped").asInt()).as("the link").isEqualTo(1);
        assertThat(body.path("bytes").asLong()).isEqualTo(big.length + small.length);
        assertThat(get("albums/2026/may/big.raw")).isEqualTo(big);
        assertThat(get("albums/notes.txt")).isEqualTo(small);
        assertThat(get("albums/empty")).isEmpty();
        assertThat(listing()).extracting(f -> f.path("path").asText())
                .containsExactlyInAnyOrder("albums/2026/may/big.raw", "albums/notes.txt", "albums/empty");
    }

    @Test
    void aFileKeepsItsModificationTimeAndStreamsItsProgressWhenAsked() throws Exception {
        byte[] content = random(2_000_000, 3);
        Path file = tmp.resolve("video.bin");
        Files.write(file, content);
        Instant mtime = Instant.parse("2025-03-04T05:06:07.890Z");
        Files.setLastModifiedTime(file, FileTime.from(mtime));

        HttpResponse<String> response = cell.send(local(file, "clips/video.bin")
                .header("Accept", "application/x-ndjson").build());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
        List<JsonNode> lines = response.body().lines().map(LocalPutApiTest::json).toList();
        assertThat(lines.getFirst().path("total").asLong()).isEqualTo(content.length);
        for (JsonNode progress : lines.subList(1, lines.size() - 1)) {
            assertThat(progress.path("read").asLong()).isBetween(1L, (long) content.length);
        }
        JsonNode version = lines.getLast().path("result").path("version");
        assertThat(version.path("path").asText()).isEqualTo("clips/video.bin");
        assertThat(version.path("size").asLong()).isEqualTo(content.length);
        assertThat(version.path("mtime").asText()).isEqualTo(mtime.toString());
        assertThat(get("clips/video.bin")).isEqualTo(content);
    }

    private static JsonNode json(String line) {
        try {
            return Json.mapper().readTree(line);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void onlyACallerWithTheLocalTokenMayAsk() throws Exception {
        Path file = tmp.resolve("secret.txt");
        Files.writeString(file, "nobody should read me this way");

        HttpRequest.Builder noToken = cell.request("/api/v1/local?source="
                + URLEncoder.encode(file.toString(), StandardCharsets.UTF_8)).POST(HttpRequest.BodyPublishers.noBody());
        assertThat(problem(cell.send(noToken.build()), 403).path("type").asText()).endsWith("/not-local");
        HttpRequest.Builder wrongToken = cell.request("/api/v1/local?source="
                        + URLEncoder.encode(file.toString(), StandardCharsets.UTF_8))
                .header(LocalPutService.TOKEN_HEADER, localToken.substring(1) + "x")
                .POST(HttpRequest.BodyPublishers.noBody());
        assertThat(problem(cell.send(wrongToken.build()), 403).path("type").asText()).endsWith("/not-local");
        HttpRequest noBearer = HttpRequest.newBuilder(local(file, null).build().uri())
                .header(LocalPutService.TOKEN_HEADER, localToken).POST(HttpRequest.BodyPublishers.noBody()).build();
        assertThat(cell.send(noBearer).statusCode()).isEqualTo(401);

        assertThat(listing()).isEmpty();
    }

    @Test
    void theCellNeverReadsItsOwnFolderNorAFolderHoldingIt() throws Exception {
        Path cellDir = tmp.resolve("cell");
        assertThat(problem(cell.send(local(cellDir, "keys").build()), 403).path("type").asText())
                .endsWith("/source-refused");
        assertThat(problem(cell.send(local(cellDir.resolve("api.token"), "token").build()), 403).path("type").asText())
                .endsWith("/source-refused");
        assertThat(problem(cell.send(local(tmp, "everything").build()), 403).path("type").asText())
                .endsWith("/source-refused");
        assertThat(listing()).isEmpty();
    }

    @Test
    void badSourcesAndTargetsAreRefusedClearly() throws Exception {
        Path file = tmp.resolve("a.txt");
        Files.writeString(file, "a");
        for (String source : List.of("a.txt", tmp + "/./a.txt", tmp + "/x/../a.txt", tmp + "/missing.txt", "/dev/null")) {
            HttpRequest request = cell.request("/api/v1/local?source=" + URLEncoder.encode(source, StandardCharsets.UTF_8)
                    + "&as=x").header(LocalPutService.TOKEN_HEADER, localToken)
                    .POST(HttpRequest.BodyPublishers.noBody()).build();
            assertThat(problem(cell.send(request), 400).path("type").asText()).as(source).endsWith("/invalid-source");
        }
        assertThat(problem(cell.send(local(file, "../up").build()), 400).path("type").asText()).endsWith("/invalid-path");
        assertThat(problem(cell.send(local(file, "/abs").build()), 400).path("type").asText()).endsWith("/invalid-path");
        assertThat(listing()).isEmpty();
    }

    @Test
    void aFileTooLargeForTheLimitIsRefusedAndNothingIsStored() throws Exception {
        Path file = tmp.resolve("huge.bin");
        Files.write(file, random(9 << 20, 4));

        assertThat(problem(cell.send(local(file, "huge.bin").build()), 413).path("type").asText()).endsWith("/too-large");
        assertThat(listing()).isEmpty();
    }

    @Test
    void aFailureAfterTheStreamStartedEndsItWithAProblemLine() throws Exception {
        Path folder = tmp.resolve("odd");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("fine.txt"), "fine");
        Files.writeString(folder.resolve("bad\u0001name.txt"), "a control character in the name");

        HttpResponse<String> streamed = cell.send(local(folder, "odd").header("Accept", "application/x-ndjson").build());

        assertThat(streamed.statusCode()).isEqualTo(200);
        List<String> lines = streamed.body().lines().toList();
        JsonNode last = json(lines.getLast());
        assertThat(last.path("problem").path("status").asInt()).as(streamed.body()).isEqualTo(400);
        assertThat(last.path("problem").path("type").asText()).endsWith("/invalid-archive");
        assertThat(last.path("problem").path("detail").asText()).contains("bad");
        // Without streaming, the same failure is a plain problem answer.
        assertThat(problem(cell.send(local(folder, "odd").build()), 400).path("type").asText()).endsWith("/invalid-archive");
        assertThat(listing()).isEmpty();
    }
}
