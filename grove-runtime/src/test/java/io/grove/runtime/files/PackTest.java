package io.grove.runtime.files;

import io.grove.api.ChunkId;
import io.grove.api.store.ChunkBatch;
import io.grove.runtime.crypto.ChunkSealer;
import io.grove.runtime.crypto.CorruptChunkException;
import io.grove.runtime.gc.GcReport;
import io.grove.runtime.ingest.Packer;
import io.grove.runtime.manifest.ChunkEntry;
import io.grove.runtime.verify.VerifyReport;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Small files of archives packed into shared pack objects, against a real index and filesystem store. */
@Timeout(120)
class PackTest {
    @TempDir
    Path tmp;
    private TestStorage cell;

    @AfterEach
    void close() throws IOException {
        if (cell != null) {
            cell.close();
        }
    }

    private void open() throws IOException {
        cell = TestStorage.open(tmp.resolve("cell"), Map.of("gc.grace-period", "1h"));
    }

    private static byte[] tar(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(f.getKey());
                entry.setSize(f.getValue().length);
                out.putArchiveEntry(entry);
                out.write(f.getValue());
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private FileService.ArchiveResult putArchive(String prefix, Map<String, byte[]> files) throws IOException {
        return cell.files().putArchive(prefix, new ByteArrayInputStream(tar(files)), Long.MAX_VALUE, 100_000);
    }

    private byte[] read(String path) throws IOException {
        FileContent content = cell.files().open(path, Optional.empty());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (FileService.ContentStream stream = cell.files().read(content, 0, content.version().size())) {
            stream.writeTo(out);
        }
        return out.toByteArray();
    }

    private static Map<String, byte[]> smallFiles(int count, long seed) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            files.put("d" + (i % 7) + "/f" + i + ".bin", TestStorage.random(seed + i, 1 + (i * 997) % 20_000));
        }
        return files;
    }

    @Test
    void manySmallFilesGoIntoAFewPacksAndReadBackExactly() throws IOException {
        open();
        Map<String, byte[]> files = smallFiles(600, 1);
        files.put("empty.txt", new byte[0]);
        files.put("one.txt", new byte[] {42});

        FileService.ArchiveResult result = putArchive("in", files);

        assertThat(result.stored()).hasSize(files.size());
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            assertThat(read("in/" + f.getKey())).as(f.getKey()).isEqualTo(f.getValue());
        }
        Set<ChunkId> packs = files.keySet().stream().filter(p -> files.get(p).length > 0)
                .flatMap(p -> cell.chunks("in/" + p).stream())
                .peek(c -> assertThat(c.packed()).isTrue())
                .map(ChunkEntry::id).collect(Collectors.toSet());
        // ~6 MiB of small files in 8 MiB packs: one or two packs, not 601 objects.
        assertThat(packs).hasSizeBetween(1, 2);
        assertThat(cell.store().stats().chunks()).isEqualTo(packs.size());
        assertThat(cell.chunks("in/empty.txt")).isEmpty();
        assertThat(cell.storage().verifier().run().ok()).isTrue();
    }

    @Test
    void aSliceIsCheckedOnItsOwnAndATamperedSliceIsRefused() throws IOException {
        open();
        putArchive("", Map.of("a.txt", TestStorage.random(1, 3000), "b.txt", TestStorage.random(2, 5000)));
        ChunkEntry a = cell.chunks("a.txt").get(0);
        ChunkEntry b = cell.chunks("b.txt").get(0);
        assertThat(a.id()).isEqualTo(b.id());
        assertThat(a.sealedId()).isNotEqualTo(a.id());

        cell.flipByte(b.id(), b.slice().orElseThrow().offset() + 10);

        assertThat(read("a.txt")).isEqualTo(TestStorage.random(1, 3000));
        assertThatThrownBy(() -> cell.files().readChunk(b))
                .isInstanceOf(CorruptChunkException.class)
                .hasMessageContaining(b.id().hex());
    }

    @Test
    void verifyReportsACorruptedPackOnceWithTheFilesItDamages() throws IOException {
        open();
        putArchive("", smallFiles(50, 10));
        ChunkEntry first = cell.chunks("d0/f0.bin").get(0);
        ChunkEntry seventh = cell.chunks("d6/f6.bin").get(0);
        cell.flipByte(first.id(), first.slice().orElseThrow().offset());
        cell.flipByte(seventh.id(), seventh.slice().orElseThrow().offset() + 1);

        VerifyReport report = cell.storage().verifier().run();

        assertThat(report.ok()).isFalse();
        assertThat(report.corrupt()).hasSize(1);
        assertThat(report.corrupt().get(0).chunk()).isEqualTo(first.id().hex());
        assertThat(report.corrupt().get(0).paths()).contains("d0/f0.bin", "d6/f6.bin");
        assertThat(report.chunksChecked()).isEqualTo(50);
    }

    @Test
    void theCollectorKeepsAReferencedPackAndDeletesAPackNoVersionReferences() throws IOException {
        open();
        putArchive("", smallFiles(20, 20));
        ChunkId kept = cell.chunks("d0/f0.bin").get(0).id();
        // What a crash between the durable pack and the commit of its versions leaves: a pack nothing references.
        ChunkId orphan;
        try (ChunkBatch batch = cell.store().batch()) {
            Packer packer = new Packer(batch, blobs -> Map.of(), Packer.DEFAULT_TARGET, Packer.DEFAULT_BELOW);
            ChunkSealer sealer = new ChunkSealer(TestStorage.random(99, 32));
            packer.place(sealer.seal(TestStorage.random(21, 1000)));
            packer.place(sealer.seal(TestStorage.random(22, 2000)));
            packer.flush();
            batch.commit();
            orphan = packer.drainWritten().get(0).id();
        }

        GcReport first = cell.storage().collector().collect();
        assertThat(first.deleted()).isZero();
        cell.clock().advance(Duration.ofHours(1));
        GcReport second = cell.storage().collector().collect();

        assertThat(second.deleted()).isEqualTo(1);
        assertThat(cell.store().has(orphan)).isFalse();
        assertThat(cell.store().has(kept)).isTrue();
        assertThat(read("d0/f0.bin")).isEqualTo(smallFiles(20, 20).get("d0/f0.bin"));
        assertThat(cell.storage().verifier().run().ok()).isTrue();
    }

    @Test
    void aSmallFileInTwoArchivesIsStoredOnce() throws IOException {
        open();
        byte[] shared = TestStorage.random(5, 7000);
        Map<String, byte[]> first = new LinkedHashMap<>();
        first.put("shared.txt", shared);
        first.put("x.txt", TestStorage.random(6, 10));
        FileService.ArchiveResult one = putArchive("one", first);
        long storedBefore = cell.files().stats().storedBytes();
        long objectsBefore = cell.store().stats().chunks();

        FileService.ArchiveResult two = putArchive("two", Map.of("again.txt", shared));

        assertThat(one.stored().get(0).newBytes()).isEqualTo(shared.length + 16);
        assertThat(two.stored().get(0).newBytes()).isZero();
        assertThat(cell.store().stats().chunks()).isEqualTo(objectsBefore);
        assertThat(cell.files().stats().storedBytes()).isEqualTo(storedBefore);
        assertThat(cell.chunks("two/again.txt")).isEqualTo(cell.chunks("one/shared.txt"));
        assertThat(read("two/again.txt")).isEqualTo(shared);
    }

    @Test
    void theSameSmallFileTwiceInOneArchiveIsPackedOnce() throws IOException {
        open();
        byte[] same = TestStorage.random(7, 4000);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("a.txt", same);
        files.put("b.txt", same);
        FileService.ArchiveResult result = putArchive("", files);

        List<Long> newBytes = new ArrayList<>();
        result.stored().forEach(s -> newBytes.add(s.newBytes()));
        // Stored once: one of the two adds the bytes, the other references them. Which one depends on which of the
        // two chunks a worker seals first (they are sealed in parallel), so either order is right.
        assertThat(newBytes).containsExactlyInAnyOrder(4016L, 0L);
        assertThat(cell.chunks("b.txt")).isEqualTo(cell.chunks("a.txt"));
        assertThat(cell.files().stats().storedBytes()).isEqualTo(4016);
    }

    @Test
    void packingOffStoresEachChunkAsItsOwnObject() throws IOException {
        cell = TestStorage.open(tmp.resolve("cell"), Map.of("ingest.pack-below", "0"));
        putArchive("", Map.of("a.txt", TestStorage.random(1, 100), "b.txt", TestStorage.random(2, 100)));
        assertThat(cell.chunks("a.txt").get(0).packed()).isFalse();
        assertThat(cell.store().stats().chunks()).isEqualTo(2);
    }
}
