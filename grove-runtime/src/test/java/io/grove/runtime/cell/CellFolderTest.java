package io.grove.runtime.cell;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CellFolderTest {
    @TempDir
    Path tmp;

    @Test
    void initCreatesConfigKeysAndTokenReadableByTheOwnerOnly() throws IOException {
        CellFolder folder = new CellFolder(tmp.resolve("cell"));
        assertThat(folder.init(Optional.empty())).isNotEmpty();
        for (Path p : new Path[]{folder.configFile(), folder.keysDir().resolve("ed25519.pem"),
                folder.keysDir().resolve("x25519.pem"), folder.keysDir().resolve("master.key"),
                folder.dir().resolve("api.token")}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as(p.toString()).isEqualTo("rw-------");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.keysDir()))).isEqualTo("rwx------");
        assertThat(folder.apiToken()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(folder.keys().masterKey()).hasSize(32);
    }

    @Test
    void initIsIdempotentAndNeverReplacesKeys() throws IOException {
        CellFolder folder = new CellFolder(tmp.resolve("cell"));
        folder.init(Optional.empty());
        byte[] signing = Files.readAllBytes(folder.keysDir().resolve("ed25519.pem"));
        String id = folder.keys().cellId().value();
        String token = folder.apiToken();
        assertThat(folder.init(Optional.empty())).isEmpty();
        assertThat(Files.readAllBytes(folder.keysDir().resolve("ed25519.pem"))).isEqualTo(signing);
        assertThat(folder.keys().cellId().value()).isEqualTo(id);
        assertThat(folder.apiToken()).isEqualTo(token);
    }

    @Test
    void refusesKeyFilesOthersCanRead() throws IOException {
        CellFolder folder = new CellFolder(tmp.resolve("cell"));
        folder.init(Optional.empty());
        Path master = folder.keysDir().resolve("master.key");
        byte[] before = Files.readAllBytes(master);
        Files.setPosixFilePermissions(master, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(folder::keys).isInstanceOf(CellFolderException.class)
                .hasMessageContaining("0644").hasMessageContaining("chmod 600");
        folder.init(Optional.empty());
        assertThat(Files.readAllBytes(master)).isEqualTo(before);
    }

    @Test
    void refusesToInventAMasterKeyForACellThatHoldsData() throws IOException {
        CellFolder folder = new CellFolder(tmp.resolve("cell"));
        folder.init(Optional.empty());
        Files.delete(folder.keysDir().resolve("master.key"));
        Files.createFile(folder.database());
        assertThatThrownBy(() -> folder.init(Optional.empty())).isInstanceOf(CellFolderException.class)
                .hasMessageContaining("restore the key from your backup");
    }

    @Test
    void reportsCorruptKeysAndUninitialisedFolders() throws IOException {
        CellFolder folder = new CellFolder(tmp.resolve("cell"));
        assertThatThrownBy(folder::keys).hasMessageContaining("grove init");
        folder.init(Optional.empty());
        Files.writeString(folder.keysDir().resolve("ed25519.pem"), "garbage");
        assertThatThrownBy(folder::keys).hasMessageContaining("not a PKCS#8 PEM private key");
        Files.writeString(folder.keysDir().resolve("ed25519.pem"), Files.readString(folder.keysDir().resolve("x25519.pem")));
        assertThatThrownBy(folder::keys).hasMessageContaining("X25519 key where a Ed25519 key belongs");
    }

    @Test
    void leavesNoTemporaryFilesBehind() throws IOException {
        CellFolder folder = new CellFolder(tmp.resolve("cell"));
        folder.init(Optional.empty());
        try (Stream<Path> files = Files.walk(folder.dir())) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
        }
    }

    @Test
    void theDefaultFolderFollowsDirThenGroveDirThenHome() {
        assertThat(CellFolder.locate(Optional.of(tmp.resolve("x")), java.util.Map.of("GROVE_DIR", "/elsewhere")).dir())
                .isEqualTo(tmp.resolve("x"));
        assertThat(CellFolder.locate(Optional.empty(), java.util.Map.of("GROVE_DIR", tmp.resolve("g").toString(),
                "HOME", "/home/someone")).dir()).isEqualTo(tmp.resolve("g"));
        assertThat(CellFolder.locate(Optional.empty(), java.util.Map.of("HOME", tmp.toString())).dir())
                .isEqualTo(tmp.resolve(".grove"));
    }
}
