package io.grove.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.runtime.json.Json;
import io.grove.runtime.testing.TestCell;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Small files through a real cell, end to end: {@code POST /api/v1/archive} and {@code grove put folder/} store
 * 0-byte, 1-byte and hundreds of small files in packs and read every byte back.
 */
@Timeout(180)
class PutFolderPackTest {
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

    private static Map<String, byte[]> files() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("empty.txt", new byte[0]);
        files.put("one.txt", new byte[] {'x'});
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 300; i++) {
            byte[] content = new byte[1 + random.nextInt(24 * 1024)];
            random.nextBytes(content);
            files.put("d" + (i % 10) + "/f" + i + ".bin", content);
        }
        return files;
    }

    private static Path write(Path folder, Map<String, byte[]> files) throws java.io.IOException {
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path file = folder.resolve(f.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, f.getValue());
        }
        return folder;
    }

    private byte[] get(String path) throws Exception {
        HttpResponse<byte[]> response = cell.sendBytes(cell.request("/api/v1/files/" + path).GET().build());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    private JsonNode json(String path) throws Exception {
        return Json.mapper().readTree(cell.send(cell.request(path).GET().build()).body());
    }

    private void assertAllReadBack(String prefix, Map<String, byte[]> files) throws Exception {
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            assertThat(get(prefix + "/" + f.getKey())).as(f.getKey()).isEqualTo(f.getValue());
        }
    }

    @Test
    void anArchiveOfSmallFilesIsPackedAndReadsBack() throws Exception {
        Map<String, byte[]> files = files();
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(f.getKey());
                entry.setSize(f.getValue().length);
                out.putArchiveEntry(entry);
                out.write(f.getValue());
                out.closeArchiveEntry();
            }
        }
        HttpResponse<String> response = cell.send(cell.request("/api/v1/archive?prefix=" + URLEncoder.encode("up", StandardCharsets.UTF_8))
                .POST(HttpRequest.BodyPublishers.ofByteArray(tar.toByteArray())).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);

        assertAllReadBack("up", files);
        JsonNode stats = json("/api/v1/stats");
        assertThat(stats.path("files").asLong()).isEqualTo(files.size());
        // ~3.6 MiB of small files: one pack, not 301 chunk objects.
        assertThat(stats.path("chunks").asLong()).isEqualTo(1);
        assertThat(json("/api/v1/files/up/one.txt/history").path("versions")).hasSize(1);
    }

    @Test
    void grovePutOfAFolderIsPackedAndReadsBack() throws Exception {
        Map<String, byte[]> files = files();
        Path folder = write(tmp.resolve("folder"), files);
        PrintStream out = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream()));
        int code;
        try {
            code = Main.run("put", folder.toString(), "--dir", tmp.resolve("cell").toString(),
                    "--url", cell.cell().apiUrl());
        } finally {
            System.setOut(out);
        }
        assertThat(code).isZero();

        assertAllReadBack("folder", files);
        assertThat(json("/api/v1/stats").path("chunks").asLong()).isEqualTo(1);
        HttpResponse<String> verify = cell.send(cell.request("/api/v1/verify").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(verify.statusCode()).as(verify.body()).isEqualTo(200);
        assertThat(Json.mapper().readTree(verify.body()).path("ok").asBoolean()).as(verify.body()).isTrue();
    }

    /** Runs the CLI, returning what it printed; fails on a non-zero exit. */
    private static String cli(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run(args);
        } finally {
            System.setOut(out);
        }
        assertThat(code).as(printed.toString(StandardCharsets.UTF_8)).isZero();
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void grovePutWithTheCellFolderLetsTheCellReadTheFilesAndUploadSendsThemBothStoringTheSame() throws Exception {
        Map<String, byte[]> files = files();
        Path folder = write(tmp.resolve("folder"), files);
        // A link: the cell's own walk counts it as skipped; the CLI's tar stream leaves it out altogether.
        Files.createSymbolicLink(folder.resolve("link"), folder.resolve("one.txt"));
        // A file named like a folder plus a suffix: a sort of whole paths would put it before the folder's files
        // ('.' < '/'), the walk of both paths puts it after them.
        Files.write(folder.resolve("d1.bin"), new byte[] {'y'});
        files.put("d1.bin", new byte[] {'y'});
        String dir = tmp.resolve("cell").toString();

        JsonNode local = Json.mapper().readTree(cli("put", folder.toString(), "--as", "local", "--dir", dir, "--json"));
        JsonNode sent = Json.mapper().readTree(cli("put", folder.toString(), "--as", "sent", "--upload", "--dir", dir,
                "--json"));

        assertThat(local.path("skipped").asInt()).as("read by the cell").isEqualTo(1);
        assertThat(sent.path("skipped").asInt()).as("sent as tar").isZero();
        assertThat(local.path("files").asInt()).isEqualTo(files.size());
        assertThat(sent.path("files").asInt()).isEqualTo(files.size());
        assertAllReadBack("local", files);
        assertAllReadBack("sent", files);
        // One walk for both: the same files in the same order (so the same groups and packs).
        List<String> localOrder = new ArrayList<>();
        local.path("versions").forEach(v -> localOrder.add(v.path("path").asText().substring("local/".length())));
        List<String> sentOrder = new ArrayList<>();
        sent.path("versions").forEach(v -> sentOrder.add(v.path("path").asText().substring("sent/".length())));
        assertThat(sentOrder).isEqualTo(localOrder);
        assertThat(localOrder.indexOf("d1.bin")).isGreaterThan(localOrder.indexOf("d1/f291.bin"));
        // One file, read by the cell too.
        JsonNode single = Json.mapper().readTree(cli("put", folder.resolve("one.txt").toString(), "--as", "single.txt",
                "--dir", dir, "--json"));
        assertThat(single.path("version").path("size").asLong()).isEqualTo(1);
        assertThat(get("single.txt")).isEqualTo(new byte[] {'x'});
    }
}
