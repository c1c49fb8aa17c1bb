package io.grove.runtime.files;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Deletions recorded together (a watched folder's files removed at once), against a real index and store. */
class DeleteAllTest {
    @TempDir
    Path tmp;
    private TestStorage cell;

    @BeforeEach
    void open() throws IOException {
        cell = TestStorage.open(tmp.resolve("cell"), Map.of());
        for (String path : List.of("a.txt", "b.txt", "c.txt")) {
            cell.files().put(path, new ByteArrayInputStream(path.getBytes()),
                    new FileService.PutOptions(1_700_000_000_000L, "text/plain", 1 << 20));
        }
        cell.files().delete("c.txt");
    }

    @AfterEach
    void close() throws IOException {
        cell.close();
    }

    @Test
    void eachLivePathGetsOneTombstoneInOneCommitAndTheRestArePassedOver() {
        List<VersionInfo> tombstones = cell.files().deleteAll(List.of("a.txt", "c.txt", "never.txt", "b.txt", "a.txt"));

        assertThat(tombstones).extracting(VersionInfo::path).containsExactly("a.txt", "b.txt");
        assertThat(tombstones).allMatch(VersionInfo::tombstone);
        assertThat(tombstones.stream().map(VersionInfo::createdAt).distinct()).hasSize(1);
        assertThat(cell.files().history("a.txt")).hasSize(2).first().matches(VersionInfo::tombstone);
        assertThat(cell.files().history("c.txt")).as("already deleted: no second tombstone").hasSize(2);
        assertThat(cell.files().currentVersion("never.txt")).isEmpty();
        assertThat(cell.files().deleteAll(List.of("a.txt", "b.txt"))).isEmpty();
    }

    @Test
    void anInvalidPathRefusesTheWholeCallBeforeAnythingIsDeleted() {
        assertThatThrownBy(() -> cell.files().deleteAll(List.of("a.txt", "../x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(cell.files().currentVersion("a.txt")).get().matches(v -> !v.tombstone());
    }
}
