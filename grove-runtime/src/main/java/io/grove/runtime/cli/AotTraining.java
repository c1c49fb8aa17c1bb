package io.grove.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.runtime.Cell;
import io.grove.runtime.cell.CellFolder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The training run of the cell's start-up cache (docs/distribution.md "Start-up cache"): the launcher runs this,
 * in the background, in a JVM with {@code -XX:AOTCacheOutput} and the options of {@code grove serve}, and the JVM
 * writes the classes it loaded and linked and the method profiles it gathered into the cache when it exits; later
 * cells start from it.
 *
 * <p>What a cell does most, on throwaway data, in a folder of its own removed at the end (the launcher names one
 * in the distribution's {@code var/aot}, next to the cache, rather than {@code /tmp}, which may be a small RAM
 * disk; about 250 MB while it runs): two cells on loopback form
 * a fleet; the first stores a 64 MiB file and 2,000 small files as {@code grove put} asks it to (a local put), and
 * pushes them to the second; then both files are read back, listed, counted and verified. Nothing of the user's is
 * read or written, nothing listens beyond loopback, and every wait is bounded. Not a command of the CLI's: the
 * launcher starts it as {@code Main aot-training}.
 */
final class AotTraining {
    /** The argument the launcher passes to {@link Main} for a training run. */
    static final String COMMAND = "aot-training";
    private static final int SMALL_FILES = 2000;
    private static final int BIG_BYTES = 64 << 20;
    private static final Duration REPLICATION_WAIT = Duration.ofSeconds(60);

    private AotTraining() {
    }

    /**
     * Runs the workload in a new folder {@code under} (or a temporary one); returns the exit code (0 when every step
     * worked). The folder is removed at the end, also when the JVM is stopped (SIGTERM from the launcher's time
     * limit).
     */
    static int run(Optional<Path> under) {
        Path work;
        try {
            work = under.isPresent() ? Files.createDirectories(under.get()) : Files.createTempDirectory("grove-aot-training-");
        } catch (IOException e) {
            System.err.println("grove: the start-up cache's training has no folder: " + e);
            return Main.FAILURE;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(work), "grove-aot-training-cleanup"));
        try {
            train(work);
            return 0;
        } catch (IOException | RuntimeException e) {
            System.err.println("grove: the start-up cache's training failed: " + e);
            return Main.FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Main.FAILURE;
        } finally {
            delete(work);
        }
    }

    private static void train(Path work) throws IOException, InterruptedException {
        Path big = work.resolve("data/big.bin");
        Path small = work.resolve("data/small");
        generate(big, small);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("api.port", "0");
        settings.put("api.bind", "127.0.0.1");
        settings.put("peer.port", "0");
        settings.put("peer.bind", "127.0.0.1");
        settings.put("transports.lan.enabled", "false");
        settings.put("fleet.gossip-interval", "1s");
        settings.put("sync.interval", "2s");
        settings.put("routes.probe-interval", "5s");
        // No environment: GROVE_* variables of the user's (a watched home, say) do not apply to these cells.
        try (Cell a = Cell.start(new CellFolder(work.resolve("a")), settings, Map.of(), Distribution.home());
             Cell b = Cell.start(new CellFolder(work.resolve("b")), settings, Map.of(), Distribution.home())) {
            ApiClient first = ApiClient.connect(a.folder(), Optional.empty());
            ApiClient second = ApiClient.connect(b.folder(), Optional.empty());
            first.json("POST", "/api/v1/fleet", Map.of());
            String code = first.json("POST", "/api/v1/fleet/invites", Map.of()).path("code").asText();
            second.json("POST", "/api/v1/fleet/join", Map.of("code", code));

            try (Progress quiet = new Progress("training", -1)) {
                first.putLocal(big, "training/big.bin", quiet).orElseThrow(() ->
                        new IllegalStateException("the training cell refused a local put"));
                first.putLocal(small, "training/small", quiet).orElseThrow(() ->
                        new IllegalStateException("the training cell refused a local put"));
            }
            awaitCopies(first, "training/big.bin");

            try (InputStream read = first.download("/api/v1/files/training/big.bin").body()) {
                read.transferTo(OutputStream.nullOutputStream());
            }
            for (int i = 0; i < 200; i++) {
                try (InputStream read = first.download("/api/v1/files/training/small/d" + i % 20 + "/f" + i + ".bin").body()) {
                    read.transferTo(OutputStream.nullOutputStream());
                }
            }
            first.get("/api/v1/files?prefix=training/");
            first.get("/api/v1/files/training/big.bin/history");
            first.get("/api/v1/stats");
            second.get("/api/v1/stats");
            first.send("POST", "/api/v1/verify");
        }
    }

    /** Waits, bounded, until {@code path} has two confirmed copies; the training goes on either way. */
    private static void awaitCopies(ApiClient client, String path) throws InterruptedException {
        long until = System.nanoTime() + REPLICATION_WAIT.toNanos();
        while (System.nanoTime() < until) {
            for (JsonNode file : client.get("/api/v1/placement")) {
                if (file.path("path").asText().equals(path) && file.path("confirmed").asInt() >= 2) {
                    return;
                }
            }
            Thread.sleep(200);
        }
    }

    /** A file of random bytes and a folder of small files (1 to 24 KiB) in 20 subfolders. */
    private static void generate(Path big, Path small) throws IOException {
        SplittableRandom random = new SplittableRandom(1);
        Files.createDirectories(big.getParent());
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(big)) {
            for (int written = 0; written < BIG_BYTES; written += block.length) {
                random.nextBytes(block);
                out.write(block);
            }
        }
        for (int i = 0; i < SMALL_FILES; i++) {
            Path folder = Files.createDirectories(small.resolve("d" + i % 20));
            byte[] content = new byte[1024 + random.nextInt(23 * 1024)];
            random.nextBytes(content);
            Files.write(folder.resolve("f" + i + ".bin"), content);
        }
    }

    private static synchronized void delete(Path root) {
        if (Files.notExists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("grove: could not remove the training folder " + root + ": " + e.getMessage());
        }
    }
}
