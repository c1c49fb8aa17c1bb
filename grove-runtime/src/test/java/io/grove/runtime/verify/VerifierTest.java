package io.grove.runtime.verify;

import io.grove.api.ChunkId;
import io.grove.runtime.cell.CellFolder;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.crypto.CorruptChunkException;
import io.grove.runtime.files.FileContent;
import io.grove.runtime.files.FileIndex;
import io.grove.runtime.files.TestStorage;
import io.grove.runtime.files.VersionInfo;
import io.grove.runtime.manifest.ChunkEntry;
import io.grove.runtime.manifest.FileKeys;
import io.grove.runtime.manifest.Manifest;
import io.grove.runtime.manifest.ManifestCodec;
import io.grove.runtime.manifest.SealedManifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Verification against a real SQLite index and a real filesystem store, damaged the way disks and people do. */
@Timeout(60)
class VerifierTest {
    @TempDir
    Path tmp;
    private TestStorage cell;
    private byte[] shared;

    @BeforeEach
    void open() throws IOException {
        cell = TestStorage.open(tmp.resolve("cell"), Map.of("verify.threads", "3"));
        shared = TestStorage.random(1, 3 * TestStorage.CHUNK + 100);
        cell.put("docs/a.bin", shared);
        cell.put("docs/copy-of-a.bin", shared);
        cell.put("photos/b.jpg", TestStorage.random(2, 5 * TestStorage.CHUNK));
        cell.put("photos/b.jpg", TestStorage.random(3, TestStorage.CHUNK / 2));
        cell.put("empty.txt", new byte[0]);
        cell.files().delete("empty.txt");
    }

    @AfterEach
    void close() throws IOException {
        cell.close();
    }

    @Test
    void aCleanStoreVerifiesOkAndReadsEveryChunkOnce() throws IOException {
        VerifyReport report = verifier().run();

        assertThat(report.ok()).isTrue();
        assertThat(report.versionsChecked()).isEqualTo(6);
        assertThat(report.chunksChecked()).isEqualTo(cell.store().stats().chunks()).isEqualTo(4 + 5 + 1);
        assertThat(report.bytesRead()).isEqualTo(cell.store().stats().bytes());
        assertThat(report.missing()).isEmpty();
        assertThat(report.corrupt()).isEmpty();
        assertThat(report.badManifests()).isEmpty();
        assertThat(report.unlisted()).isZero();
        assertThat(report.duration()).isPositive();
    }

    @Test
    void pagesThroughMoreVersionsThanOnePage() throws IOException {
        for (int i = 0; i < Verifier.VERSION_PAGE + 30; i++) {
            cell.put("many/" + i, TestStorage.random(1_000 + i, 10));
        }

        VerifyReport report = verifier().run();

        assertThat(report.ok()).isTrue();
        assertThat(report.versionsChecked()).isEqualTo(6 + Verifier.VERSION_PAGE + 30);
        assertThat(report.chunksChecked()).isEqualTo(cell.store().stats().chunks());
    }

    @Test
    void aDeletedChunkFileIsReportedMissingWithEveryPathThatNeedsIt() throws IOException {
        ChunkEntry second = cell.chunks("docs/a.bin").get(1);
        Files.delete(cell.chunkFile(second.id()));

        VerifyReport report = verifier().run();

        assertThat(report.ok()).isFalse();
        assertThat(report.corrupt()).isEmpty();
        assertThat(report.badManifests()).isEmpty();
        assertThat(report.missing()).singleElement().satisfies(missing -> {
            assertThat(missing.chunk()).isEqualTo(second.id().hex());
            assertThat(missing.paths()).containsExactly("docs/a.bin", "docs/copy-of-a.bin");
            assertThat(missing.versions()).containsExactlyInAnyOrder(current("docs/a.bin"), current("docs/copy-of-a.bin"));
        });
        assertThat(report.chunksChecked()).isEqualTo(10);
    }

    @Test
    void aChunkWithAFlippedByteIsReportedCorrupt() throws IOException {
        ChunkEntry first = cell.chunks("photos/b.jpg").getFirst();
        cell.flipByte(first.id(), 7);

        VerifyReport report = verifier().run();

        assertThat(report.ok()).isFalse();
        assertThat(report.missing()).isEmpty();
        assertThat(report.corrupt()).singleElement().satisfies(corrupt -> {
            assertThat(corrupt.chunk()).isEqualTo(first.id().hex());
            assertThat(corrupt.reason()).contains("do not hash to its id");
            assertThat(corrupt.paths()).containsExactly("photos/b.jpg");
            assertThat(corrupt.versions()).containsExactly(current("photos/b.jpg"));
        });
    }

    @Test
    void aChunkOfTheWrongLengthIsReportedCorrupt() throws IOException {
        ChunkEntry last = cell.chunks("docs/a.bin").getLast();
        Files.write(cell.chunkFile(last.id()), new byte[]{1, 2, 3});

        VerifyReport report = verifier().run();

        assertThat(report.corrupt()).singleElement().satisfies(corrupt -> {
            assertThat(corrupt.chunk()).isEqualTo(last.id().hex());
            assertThat(corrupt.reason()).contains("fewer bytes than the manifest records");
        });
    }

    @Test
    void aChunkWithBytesAppendedIsReportedCorrupt() throws IOException {
        ChunkEntry last = cell.chunks("docs/a.bin").getLast();
        Files.write(cell.chunkFile(last.id()), new byte[]{9}, java.nio.file.StandardOpenOption.APPEND);

        VerifyReport report = verifier().run();

        assertThat(report.corrupt()).singleElement().satisfies(corrupt -> {
            assertThat(corrupt.chunk()).isEqualTo(last.id().hex());
            assertThat(corrupt.reason()).contains("more bytes than the manifest records");
        });
    }

    @Test
    void aManifestBlobAlteredInTheIndexIsABadManifest() throws IOException {
        String version = current("photos/b.jpg");
        byte[] blob = cell.jdbi().withHandle(h -> h.createQuery("SELECT blob FROM manifests WHERE id = ?")
                .bind(0, version).mapTo(byte[].class).one());
        blob[blob.length - 20] ^= 0x40;
        cell.jdbi().useHandle(h -> h.createUpdate("UPDATE manifests SET blob = ? WHERE id = ?")
                .bind(0, blob).bind(1, version).execute());

        VerifyReport report = verifier().run();

        assertThat(report.ok()).isFalse();
        assertThat(report.badManifests()).singleElement().satisfies(bad -> {
            assertThat(bad.version()).isEqualTo(version);
            assertThat(bad.path()).isEqualTo("photos/b.jpg");
            assertThat(bad.reason()).contains("altered");
        });
        assertThat(report.versionsChecked()).isEqualTo(6);
        assertThat(report.missing()).isEmpty();
        assertThat(report.corrupt()).isEmpty();
    }

    @Test
    void aManifestThatDoesNotOpenOrVerifyIsABadManifest() throws IOException {
        // Sealed by another cell: its id matches its bytes, but neither its file key nor its author is known here.
        CellFolder otherFolder = new CellFolder(tmp.resolve("other"));
        otherFolder.init(Optional.empty());
        CellKeys other = otherFolder.keys();
        byte[] fileKey = FileKeys.newKey();
        byte[] wrapped = new FileKeys(other.masterKey()).wrap(fileKey);
        Manifest manifest = new Manifest("foreign.txt", 0, 1, "text/plain", List.of(), Optional.empty(), false,
                1L << 20, other.cellId());
        SealedManifest sealed = ManifestCodec.seal(manifest, other, fileKey, wrapped);
        FileIndex index = cell.storage().index();
        index.inTransaction(h -> {
            index.insertAll(h, List.of(new FileIndex.NewRow(sealed, manifest, wrapped)), 1);
            return null;
        });

        VerifyReport report = verifier().run();

        assertThat(report.badManifests()).singleElement().satisfies(bad -> {
            assertThat(bad.version()).isEqualTo(sealed.id().hex());
            assertThat(bad.path()).isEqualTo("foreign.txt");
            assertThat(bad.reason()).isNotBlank();
        });
        assertThat(report.versionsChecked()).isEqualTo(7);
        assertThat(report.missing()).isEmpty();
        assertThat(report.corrupt()).isEmpty();
    }

    @Test
    void aCorruptFirstChunkIsNeverServed() throws IOException {
        FileContent content = cell.files().open("docs/a.bin", Optional.empty());
        cell.flipByte(content.manifest().chunks().getFirst().id(), 100);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThatThrownBy(() -> {
            try (var stream = cell.files().read(content, 0, content.version().size())) {
                out.write(1); // reached only if read() returned: the first chunk must fail before this
                stream.writeTo(out);
            }
        }).isInstanceOf(CorruptChunkException.class)
                .satisfies(e -> assertThat(((CorruptChunkException) e).chunkId())
                        .isEqualTo(content.manifest().chunks().getFirst().id()));

        assertThat(out.size()).isZero();
    }

    @Test
    void listsEachProblemOnceEvenWhenManyVersionsShareTheChunk() throws IOException {
        for (int i = 0; i < 5; i++) {
            cell.put("more/copy-" + i, shared);
        }
        ChunkId first = cell.chunks("docs/a.bin").getFirst().id();
        Files.delete(cell.chunkFile(first));

        VerifyReport report = verifier().run();

        assertThat(report.missing()).singleElement().satisfies(missing ->
                assertThat(missing.paths()).hasSize(7).isSorted());
    }

    private Verifier verifier() {
        return cell.storage().verifier();
    }

    private String current(String path) {
        return cell.storage().index().current(path).map(VersionInfo::id).orElseThrow();
    }
}
