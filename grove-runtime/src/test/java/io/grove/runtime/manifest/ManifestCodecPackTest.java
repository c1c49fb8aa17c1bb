package io.grove.runtime.manifest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grove.api.CellId;
import io.grove.api.ChunkId;
import io.grove.runtime.crypto.ChunkKey;
import io.grove.runtime.json.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The manifest JSON of packed chunks, and the envelope written without a second canonicalisation. */
class ManifestCodecPackTest {
    private static final CellId AUTHOR = CellId.ofPublicKey(new byte[32]);

    private static byte[] random(long seed, int n) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    private static ChunkEntry entry(long seed, Optional<ChunkEntry.Slice> slice) {
        return new ChunkEntry(ChunkId.ofDigest(random(seed, 32)), 100, 116,
                ChunkKey.decode(random(seed + 1, ChunkKey.KEY_LENGTH + ChunkKey.NONCE_LENGTH)), slice);
    }

    private static Manifest manifest(List<ChunkEntry> chunks) {
        return new Manifest("a/b.txt", 100L * chunks.size(), 5, "text/plain", chunks, Optional.empty(), false, 7, AUTHOR);
    }

    @Test
    void aPackedChunkCarriesItsBlobAndOffsetAndRoundTrips() {
        ChunkEntry packed = entry(1, Optional.of(new ChunkEntry.Slice(ChunkId.ofDigest(random(3, 32)), 4096)));
        ChunkEntry whole = entry(4, Optional.empty());
        ObjectNode json = ManifestCodec.toJson(manifest(List.of(packed, whole)));

        assertThat(json.path("chunks").get(0).path("offset").asInt()).isEqualTo(4096);
        assertThat(json.path("chunks").get(0).path("blob").asText()).isEqualTo(packed.sealedId().hex());
        assertThat(json.path("chunks").get(1).has("offset")).isFalse();
        assertThat(json.path("chunks").get(1).has("blob")).isFalse();
        assertThat(ManifestCodec.fromJson(json).chunks()).containsExactly(packed, whole);
    }

    @Test
    void aPackedChunkWithoutAnIntegerOffsetIsRefused() {
        ChunkEntry packed = entry(1, Optional.of(new ChunkEntry.Slice(ChunkId.ofDigest(random(3, 32)), 10)));
        ObjectNode json = ManifestCodec.toJson(manifest(List.of(packed)));
        ((ObjectNode) json.path("chunks").get(0)).put("offset", 1.5);
        assertThatThrownBy(() -> ManifestCodec.fromJson(json)).isInstanceOf(IllegalArgumentException.class);
        ((ObjectNode) json.path("chunks").get(0)).remove("blob");
        ((ObjectNode) json.path("chunks").get(0)).put("offset", 10);
        assertThatThrownBy(() -> ManifestCodec.fromJson(json)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSliceEndingBeyondTheLargestPackIsRefused() {
        assertThatThrownBy(() -> entry(1, Optional.of(new ChunkEntry.Slice(ChunkId.ofDigest(random(3, 32)),
                Integer.MAX_VALUE - 10)))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aChunkLargerThanAnyStoredObjectIsRefused() {
        // A reader allocates the recorded stored length before reading: a manifest (a friend's shared one, say)
        // must not make it allocate more than the largest object a store holds.
        ObjectNode json = ManifestCodec.toJson(manifest(List.of(entry(1, Optional.empty()))));
        ((ObjectNode) json.path("chunks").get(0)).put("stored", Integer.MAX_VALUE);
        assertThatThrownBy(() -> ManifestCodec.fromJson(json)).isInstanceOf(IllegalArgumentException.class);
        ((ObjectNode) json.path("chunks").get(0)).put("stored", io.grove.api.store.ChunkStore.MAX_CHUNK_BYTES);
        assertThat(ManifestCodec.fromJson(json).chunks().get(0).storedLength())
                .isEqualTo((int) io.grove.api.store.ChunkStore.MAX_CHUNK_BYTES);
    }

    @Test
    void theDirectEnvelopeIsTheCanonicalJsonOfTheEnvelope() {
        for (int i = 0; i < 50; i++) {
            byte[] json = ManifestCodec.canonical(ManifestCodec.toJson(manifest(List.of(entry(i, Optional.empty())))));
            byte[] signature = random(100 + i, 64);
            ObjectNode envelope = Json.mapper().createObjectNode();
            try {
                envelope.set("manifest", Json.mapper().readTree(json));
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            envelope.put("signature", Base64.getUrlEncoder().withoutPadding().encodeToString(signature));

            assertThat(new String(ManifestCodec.envelope(json, signature), StandardCharsets.UTF_8))
                    .isEqualTo(new String(ManifestCodec.canonical(envelope), StandardCharsets.UTF_8));
        }
    }
}
