package io.grove.runtime.cli;

import io.grove.runtime.files.FileService;
import io.grove.runtime.testing.TestCell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code grove get -o OUT}: what becomes of OUT when it is a new file, a link, a pipe or a folder. */
class GetCommandTest {
    @TempDir
    Path tmp;
    private TestCell cell;
    private final byte[] content = new byte[300_000];

    @BeforeEach
    void start() throws Exception {
        cell = TestCell.start(tmp.resolve("cell"), Map.of());
        new Random(3).nextBytes(content);
        cell.cell().storage().files().put("data.bin", new ByteArrayInputStream(content),
                new FileService.PutOptions(1, "application/octet-stream", Long.MAX_VALUE));
    }

    @AfterEach
    void stop() {
        cell.close();
    }

    private CliRun get(Path out) {
        return CliRun.of("get", "data.bin", "-o", out.toString(), "--dir", cell.cell().folder().dir().toString());
    }

    @Test
    void aNewFileGetsTheContent() throws Exception {
        Path out = tmp.resolve("copy.bin");

        CliRun run = get(out);

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(content);
    }

    @Test
    void aPipeIsWrittenToAndStaysAPipe() throws Exception {
        // As -o /dev/null: a file moved onto such a path would replace the device (as root, for everyone).
        Path fifo = tmp.resolve("pipe");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return in.readAllBytes();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        CliRun run = get(fifo);

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo(content);
        BasicFileAttributes attributes = Files.readAttributes(fifo, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertThat(attributes.isOther()).as("still a pipe").isTrue();
        try (var left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
        }
    }

    @Test
    void aLinkStaysALinkAndTheFileItNamesGetsTheContent() throws Exception {
        Path target = Files.writeString(tmp.resolve("target.bin"), "old");
        Path link = Files.createSymbolicLink(tmp.resolve("link.bin"), target);

        CliRun run = get(link);

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readAllBytes(target)).isEqualTo(content);
    }

    @Test
    void aFolderIsRefusedWithOneLine() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("folder"));

        CliRun run = get(folder);

        assertThat(run.code()).isEqualTo(Main.FAILURE);
        assertThat(run.err().strip()).startsWith("grove: ").contains("is a folder").doesNotContain("\n");
        assertThat(Files.isDirectory(folder)).isTrue();
    }
}
