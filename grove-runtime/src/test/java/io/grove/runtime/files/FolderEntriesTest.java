package io.grove.runtime.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A folder as archive entries: every regular file once, depth first in name order, links never followed. */
class FolderEntriesTest {
    @TempDir
    Path tmp;

    private Path folder() throws Exception {
        Path folder = tmp.resolve("f");
        Files.createDirectories(folder.resolve("b/inner"));
        Files.createDirectories(folder.resolve("a"));
        Files.writeString(folder.resolve("z.txt"), "zz");
        Files.writeString(folder.resolve("b/inner/deep.txt"), "deep");
        Files.writeString(folder.resolve("b/one.txt"), "1");
        Files.writeString(folder.resolve("a/two.txt"), "22");
        Files.write(folder.resolve("a/empty"), new byte[0]);
        Files.createSymbolicLink(folder.resolve("link-to-file"), folder.resolve("z.txt"));
        Files.createSymbolicLink(folder.resolve("a/link-to-folder"), folder.resolve("b"));
        return folder;
    }

    @Test
    void yieldsEveryRegularFileOnceInNameOrderAndSkipsLinks() throws Exception {
        List<String> names = new ArrayList<>();
        List<String> contents = new ArrayList<>();
        int skipped;
        try (FolderEntries entries = FolderEntries.walk(folder(), 100)) {
            assertThat(entries.count()).isEqualTo(5);
            assertThat(entries.totalBytes()).isEqualTo(2 + 4 + 1 + 2);
            for (ArchiveEntries.Entry e = entries.next(); e != null; e = entries.next()) {
                names.add(e.name());
                contents.add(new String(e.content().readAllBytes(), StandardCharsets.UTF_8));
            }
            skipped = entries.skipped();
        }
        assertThat(names).containsExactly("a/empty", "a/two.txt", "b/inner/deep.txt", "b/one.txt", "z.txt");
        assertThat(contents).containsExactly("", "22", "deep", "1", "zz");
        assertThat(skipped).as("two links").isEqualTo(2);
    }

    @Test
    void refusesAFolderWithMoreFilesThanTheLimitBeforeReadingAny() throws Exception {
        Path folder = folder();
        assertThatThrownBy(() -> FolderEntries.walk(folder, 4)).isInstanceOf(ArchiveException.class)
                .hasMessageContaining("more than 4 files");
    }
}
