package io.grove.runtime.cli;

import io.grove.runtime.files.FolderEntries;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The CLI's tar stream of a folder, read back with commons-compress. */
class TarStreamTest {
    @TempDir
    Path tmp;

    private record Read(String name, long mtime, byte[] content) {
    }

    private static List<Read> untar(InputStream in) throws IOException {
        List<Read> read = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                read.add(new Read(e.getName(), e.getModTime().getTime(), tar.readAllBytes()));
            }
        }
        return read;
    }

    @Test
    void holdsEveryRegularFileInTheWalksOrderWithItsContentAndTime() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("f"));
        byte[] large = new byte[TarStream.STEP * 2 + 12_345]; // several steps, not a multiple of one
        new SplittableRandom(7).nextBytes(large);
        Files.createDirectories(folder.resolve("b/c"));
        Files.write(folder.resolve("b/c/deep.bin"), large);
        Files.write(folder.resolve("b.txt"), new byte[] {'b'});
        Files.write(folder.resolve("a.txt"), new byte[0]);
        Files.setLastModifiedTime(folder.resolve("a.txt"), FileTime.fromMillis(1_600_000_000_000L));
        Files.createSymbolicLink(folder.resolve("link"), folder.resolve("a.txt"));

        List<Read> read;
        try (TarStream stream = new TarStream(FolderEntries.walk(folder, 10), in -> in)) {
            read = untar(stream);
        }

        assertThat(read).extracting(Read::name).containsExactly("a.txt", "b/c/deep.bin", "b.txt");
        assertThat(read.get(0).content()).isEmpty();
        assertThat(read.get(0).mtime()).isEqualTo(1_600_000_000_000L);
        assertThat(read.get(1).content()).isEqualTo(large);
        assertThat(read.get(2).content()).containsExactly('b');
    }

    @Test
    void aFileThatGrewAfterTheWalkGoesInAsListedAndOneThatShrankFailsTheStreamByName() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("f"));
        Files.write(folder.resolve("grows.txt"), "1234".getBytes());
        Files.write(folder.resolve("shrinks.txt"), "12345678".getBytes());
        FolderEntries entries = FolderEntries.walk(folder, 10);
        Files.write(folder.resolve("grows.txt"), "12345678".getBytes());
        Files.write(folder.resolve("shrinks.txt"), "12".getBytes());

        try (TarStream stream = new TarStream(entries, in -> in)) {
            TarArchiveInputStream tar = new TarArchiveInputStream(stream);
            TarArchiveEntry first = tar.getNextEntry();
            assertThat(first.getName()).isEqualTo("grows.txt");
            assertThat(tar.readAllBytes()).isEqualTo("1234".getBytes());
            assertThatThrownBy(() -> {
                tar.getNextEntry();
                tar.readAllBytes();
            }).isInstanceOf(IOException.class).hasMessageContaining("shrinks.txt shrank while it was read (6 bytes short)");
        }
    }
}
