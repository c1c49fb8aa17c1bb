package io.grove.runtime.replication;

import io.grove.runtime.config.ConfigException;
import io.grove.runtime.config.GroveConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code replication.folders}: both syntaxes, longest prefix, validation, and the strongest setting for a shared chunk. */
class FolderPoliciesTest {
    @TempDir
    Path dir;

    @Test
    void readsMappingsFromTheFileAndPairsFromSetAndPicksTheLongestFolder() throws Exception {
        Files.writeString(dir.resolve("grove.yaml"), """
                replication:
                  folders:
                    - {path: photos, factor: 3}
                    - path: /archive/
                      erasure: 4+2
                      offload: true
                    - "path=archive/raw;factor=1"
                """);
        FolderPolicies fromFile = FolderPolicies.from(GroveConfig.load(dir, Map.of(), Map.of()).root());
        assertThat(fromFile.folders()).hasSize(3);
        assertThat(fromFile.chunkPolicy("photos/2024/a.jpg", 2)).isEqualTo(new ChunkPolicy(3, Optional.empty(), false));
        assertThat(fromFile.chunkPolicy("archive/x.tar", 2))
                .isEqualTo(new ChunkPolicy(2, Optional.of(new FolderPolicy.Erasure(4, 2)), true));
        assertThat(fromFile.chunkPolicy("archive/raw/y", 2)).isEqualTo(new ChunkPolicy(1, Optional.empty(), false));
        assertThat(fromFile.chunkPolicy("photosynthesis.txt", 2)).isEqualTo(ChunkPolicy.copies(2));
        assertThat(fromFile.manifestPolicy("archive/x.tar", 1).factor()).isEqualTo(2);

        FolderPolicies fromSet = FolderPolicies.from(GroveConfig.of(dir, Map.of("replication.folders",
                "path=photos;factor=3, path=archive;erasure=6+3;offload=true")).root());
        assertThat(fromSet.chunkPolicy("archive/a", 2).erasure()).contains(new FolderPolicy.Erasure(6, 3));
        assertThat(fromSet.chunkPolicy("photos", 2).factor()).isEqualTo(3);
    }

    @Test
    void refusesInvalidEntries() {
        for (String bad : List.of("factor=3", "path=a;factor=0", "path=a;factor=17", "path=a;erasure=0+2",
                "path=a;erasure=4+0", "path=a;erasure=30+3", "path=a;erasure=4x2", "path=a/../b;factor=2",
                "path=a;colour=red", "path=a;factor=2;erasure=4+2", "path=a;offload=maybe", "path=a;factor=2,path=a;factor=3",
                "path=a;factor")) {
            assertThatThrownBy(() -> FolderPolicies.from(GroveConfig.of(dir, Map.of("replication.folders", bad)).root()))
                    .as(bad).isInstanceOf(ConfigException.class).hasMessageContaining("replication.folders");
        }
    }

    @Test
    void aSharedChunkTakesTheStrongestSettingAndIsOffloadedOnlyWhenEveryFolderOffloads() {
        FolderPolicies p = new FolderPolicies(List.of(
                new FolderPolicy("ec", Optional.empty(), Optional.of(new FolderPolicy.Erasure(4, 2)), true),
                new FolderPolicy("three", Optional.of(3), Optional.empty(), false),
                new FolderPolicy("one", Optional.of(1), Optional.empty(), true)));
        // 4+2 survives 2 lost cells, factor 2 one: the shards win; "plain" does not offload.
        assertThat(p.chunkPolicy(List.of("ec/a", "plain/b"), 2))
                .isEqualTo(new ChunkPolicy(2, Optional.of(new FolderPolicy.Erasure(4, 2)), false));
        // Factor 3 also survives 2: whole copies win the tie.
        assertThat(p.chunkPolicy(List.of("ec/a", "three/b"), 2)).isEqualTo(new ChunkPolicy(3, Optional.empty(), false));
        assertThat(p.chunkPolicy(List.of("ec/a", "one/b"), 2))
                .isEqualTo(new ChunkPolicy(2, Optional.of(new FolderPolicy.Erasure(4, 2)), true));
        assertThat(p.chunkPolicy(List.of(), 2)).isEqualTo(ChunkPolicy.copies(2));
    }
}
