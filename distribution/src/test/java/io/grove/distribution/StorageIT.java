package io.grove.distribution;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The storage core through the distribution, as real processes: a 1 GiB round trip in a 256 MiB heap, and
 * ingests cut by {@code kill -9} at random points.
 */
class StorageIT extends InstalledDistributionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String[] SERVE_OPTIONS = {"--port", "0", "--peer-port", "0", "--set", "peer.bind=127.0.0.1"};




    /**
     * Writes {@code size} bytes of "sparse-ish" content: runs of seeded random bytes alternating with runs of
     * zeros and of a repeated pattern, and returns its SHA-256.
     */
    static byte[] generate(Path file, long size, long seed) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Random random = new Random(seed);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; ) {
                int n = (int) Math.min(block.length, size - written);
                switch ((int) ((written >> 20) % 8)) {
                    case 3 -> java.util.Arrays.fill(block, 0, n, (byte) 0);
                    case 6 -> java.util.Arrays.fill(block, 0, n, (byte) (written >> 20));
                    default -> random.nextBytes(block);
                }
                out.write(block, 0, n);
                sha.update(block, 0, n);
                written += n;
            }
        }
        return sha.digest();
    }

    static byte[] sha256(Path file) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return sha.digest();
    }

    @Test
    void roundTripsAGibibyteInA256MiBHeap() throws Exception {
        Path source = tmp.resolve("big.bin");
        byte[] expected = generate(source, 1L << 30, 42);
        Path cellDir = tmp.resolve("cell");
        GroveProcesses.Cell cell = grove.serve(cellDir, SERVE_OPTIONS);

        GroveProcesses.Exit put = grove.run("put", source.toString(), "--as", "data/big.bin", "--dir", cellDir.toString());
        assertThat(put.code()).as(put.stderr()).isZero();
        long peakKiB = peakRssKiB(cell.pid());
        System.out.println("peak RSS of the cell after a 1 GiB ingest with -Xmx256m: " + peakKiB / 1024 + " MiB");

        Path copy = tmp.resolve("copy.bin");
        GroveProcesses.Exit get = grove.run("get", "data/big.bin", "-o", copy.toString(), "--dir", cellDir.toString());
        assertThat(get.code()).as(get.stderr()).isZero();
        assertThat(HexFormat.of().formatHex(sha256(copy))).isEqualTo(HexFormat.of().formatHex(expected));
        assertThat(Files.size(copy)).isEqualTo(1L << 30);

        // The put above was read by the cell itself (a local put); the same file sent over HTTP reads back alike.
        GroveProcesses.Exit sent = grove.run("put", source.toString(), "--as", "data/sent.bin", "--upload",
                "--dir", cellDir.toString());
        assertThat(sent.code()).as(sent.stderr()).isZero();
        System.out.println("peak RSS of the cell after the same GiB sent over HTTP: " + peakRssKiB(cell.pid()) / 1024 + " MiB");
        Files.delete(copy);
        GroveProcesses.Exit again = grove.run("get", "data/sent.bin", "-o", copy.toString(), "--dir", cellDir.toString());
        assertThat(again.code()).as(again.stderr()).isZero();
        assertThat(HexFormat.of().formatHex(sha256(copy))).isEqualTo(HexFormat.of().formatHex(expected));
        assertThat(grove.stop(cell)).isIn(0, 143);
    }

    @Test
    void aPutThatRunsTheCellOutOfMemoryFailsClearlyAndTheCellGoesOn() throws Exception {
        // 32 MiB of heap cannot hold the chunks a 256 MiB file has in flight: the put fails inside the cell.
        Path source = tmp.resolve("quarter.bin");
        generate(source, 256L << 20, 7);
        Path cellDir = tmp.resolve("cell");
        GroveProcesses small = grove.withJavaOptions("small-heap", "-Xmx32m -XX:+UseSerialGC");
        GroveProcesses.Cell cell = small.serve(cellDir, SERVE_OPTIONS);

        GroveProcesses.Exit put = grove.run("put", source.toString(), "--as", "quarter.bin", "--dir", cellDir.toString());

        assertThat(put.code()).isEqualTo(1);
        assertThat(put.errors()).singleElement().asString().contains("ran out of memory while storing")
                .contains("GROVE_JAVA_OPTS");
        assertThat(Files.readString(cell.log())).contains("java.lang.OutOfMemoryError");
        // The same over the API: a problem answer, not Helidon's plain-text message.
        HttpResponse<String> sent = HTTP.send(HttpRequest.newBuilder(cell.api().resolve("/api/v1/files/sent.bin"))
                .header("Authorization", "Bearer " + cell.token())
                .PUT(HttpRequest.BodyPublishers.ofFile(source)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(500);
        assertThat(sent.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(sent.body()).path("detail").asText()).contains("ran out of memory");
        Path note = tmp.resolve("note.txt");
        Files.writeString(note, "still serving");
        GroveProcesses.Exit after = grove.run("put", note.toString(), "--as", "note.txt", "--dir", cellDir.toString());
        assertThat(after.code()).as(after.stderr()).isZero();
        GroveProcesses.Exit listing = grove.run("ls", "--json", "--dir", cellDir.toString());
        assertThat(listing.stdout()).contains("note.txt").doesNotContain("quarter.bin").doesNotContain("sent.bin");
        GroveProcesses.Exit verify = grove.run("verify", "--dir", cellDir.toString());
        assertThat(verify.code()).as(verify.stdout() + verify.stderr()).isZero();
        assertThat(small.stop(cell)).isIn(0, 143);
    }

    private static long peakRssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmHWM for process " + pid);
    }

    /** One acknowledged put: where, which version, and the digest of what was sent. */
    private record Acknowledged(String path, String version, String sha256) {
    }

    @Test
    void everyAcknowledgedVersionSurvivesKillDashNineAtRandomPoints() throws Exception {
        Path cellDir = tmp.resolve("crash-cell");
        Random random = new Random(20261121);
        List<Acknowledged> acknowledged = new ArrayList<>();
        int killPoints = 20;
        for (int round = 0; round < killPoints; round++) {
            GroveProcesses.Cell cell = grove.serve(cellDir, SERVE_OPTIONS);
            checkAcknowledged(cell, acknowledged);
            ConcurrentLinkedQueue<Acknowledged> done = new ConcurrentLinkedQueue<>();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService writers = Executors.newFixedThreadPool(2);
            int r = round;
            for (int w = 0; w < 2; w++) {
                int writer = w;
                long seed = random.nextLong();
                writers.submit(() -> {
                    Random content = new Random(seed);
                    for (int i = 0; i < 50 && !stop.get(); i++) {
                        byte[] data = new byte[content.nextInt(6 << 20)];
                        content.nextBytes(data);
                        String path = "crash/r" + r + "/w" + writer + "/f" + i + ".bin";
                        try {
                            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(cell.api().resolve("/api/v1/files/" + path))
                                    .header("Authorization", "Bearer " + cell.token())
                                    .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() == 201) {
                                String version = JSON.readTree(response.body()).path("version").path("version").asText();
                                done.add(new Acknowledged(path, version,
                                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data))));
                            }
                        } catch (IOException e) {
                            return null; // the cell was killed mid-request: not acknowledged
                        }
                    }
                    return null;
                });
            }
            Thread.sleep(200 + random.nextInt(1500));
            cell.process().destroyForcibly();
            assertThat(cell.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            stop.set(true);
            writers.shutdown();
            assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            acknowledged.addAll(done);
            Files.deleteIfExists(cellDir.resolve("serve.json"));
        }
        GroveProcesses.Cell cell = grove.serve(cellDir, SERVE_OPTIONS);
        checkAcknowledged(cell, acknowledged);
        assertThat(acknowledged).as("the kills should leave some puts acknowledged").isNotEmpty();
        try (Stream<Path> files = Files.walk(cellDir.resolve("chunks"))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp"));
        }
        try (Stream<Path> natives = Files.list(cellDir.resolve("tmp"))) {
            assertThat(natives.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".so")))
                    .as("SQLite's native library in the cell's folder: the running cell's copy, not one per kill")
                    .hasSize(1);
        }
        GroveProcesses.Exit verify = grove.run("verify", "--dir", cellDir.toString());
        assertThat(verify.code()).as(verify.stdout() + verify.stderr()).isZero();
        System.out.println(acknowledged.size() + " acknowledged versions survived " + killPoints + " kill -9 points");
    }

    private static void checkAcknowledged(GroveProcesses.Cell cell, List<Acknowledged> acknowledged) throws Exception {
        for (Acknowledged a : acknowledged) {
            HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(
                            cell.api().resolve("/api/v1/files/" + a.path() + "?version=" + a.version()))
                    .header("Authorization", "Bearer " + cell.token()).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).as(a.path()).isEqualTo(200);
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(response.body())))
                    .as(a.path()).isEqualTo(a.sha256());
        }
    }
}
