package io.grove.runtime.manifest;

import io.grove.api.CellId;
import io.grove.api.ChunkId;
import io.grove.runtime.crypto.ChunkKey;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-written canonical JSON of manifests is byte for byte what the general route (Jackson tree, then
 * {@code JsonCanonicalizer}) produced before it: signatures made with either verify against the other, and sealed
 * manifests written before and after read the same.
 */
class CanonicalManifestWriterTest {
    private static final CellId AUTHOR = CellId.ofPublicKey(new byte[32]);

    @Property(tries = 2000)
    void writesExactlyTheBytesOfTheGeneralCanonicalisation(@ForAll("manifests") Manifest m) {
        byte[] general = ManifestCodec.canonical(ManifestCodec.toJson(m));

        assertThat(new String(CanonicalManifestWriter.write(m), StandardCharsets.UTF_8))
                .isEqualTo(new String(general, StandardCharsets.UTF_8));
        assertThat(CanonicalManifestWriter.write(m)).isEqualTo(general);
    }

    @Example
    void escapesQuotesBackslashesAndControlCharactersLikeRfc8785() {
        Manifest m = manifest("dir/\"quoted\" \u00e9\u4e2d\ud83d\ude00.txt",
                "text/x\"\\\b\t\n\f\r\u0000\u001f\u007f\u2028\ud800", List.of(), 0, 0);

        String json = new String(CanonicalManifestWriter.write(m), StandardCharsets.UTF_8);

        assertThat(json).contains("\"path\":\"dir/\\\"quoted\\\" \u00e9\u4e2d\ud83d\ude00.txt\"");
        assertThat(json).contains("\"mediaType\":\"text/x\\\"\\\\\\b\\t\\n\\f\\r\\u0000\\u001f\u007f\u2028?\"");
        assertThat(CanonicalManifestWriter.write(m)).isEqualTo(ManifestCodec.canonical(ManifestCodec.toJson(m)));
    }

    @Example
    void writesLargeNumbersAsTheDoubleTheyRoundTo() {
        // RFC 8785 numbers are IEEE doubles: 2^63 - 1 becomes 2^63, printed with the shortest digits naming it.
        Manifest m = manifest("big", "application/octet-stream", List.of(), 0, Long.MAX_VALUE);
        Manifest odd = manifest("odd", "application/octet-stream", List.of(), 0, (1L << 53) + 1);

        assertThat(new String(CanonicalManifestWriter.write(m), StandardCharsets.UTF_8))
                .contains("\"mtime\":9223372036854776000");
        assertThat(new String(CanonicalManifestWriter.write(odd), StandardCharsets.UTF_8))
                .contains("\"mtime\":9007199254740992");
        assertThat(CanonicalManifestWriter.write(m)).isEqualTo(ManifestCodec.canonical(ManifestCodec.toJson(m)));
        assertThat(CanonicalManifestWriter.write(odd)).isEqualTo(ManifestCodec.canonical(ManifestCodec.toJson(odd)));
    }

    @Provide
    Arbitrary<Manifest> manifests() {
        Arbitrary<String> segment = Arbitraries.oneOf(
                Arbitraries.strings().ofMinLength(1).ofMaxLength(12),
                Arbitraries.strings().withChars("aé中\"'<>&\u2028\u00a0\u00ff😀 ").ofMinLength(1).ofMaxLength(8),
                Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(20));
        Arbitrary<String> path = segment.list().ofMinSize(1).ofMaxSize(4).map(s -> String.join("/", s))
                .filter(CanonicalManifestWriterTest::validPath);
        Arbitrary<String> mediaType = Arbitraries.oneOf(
                Arbitraries.of("application/octet-stream", "text/plain", "image/jpeg"),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(30).filter(s -> !s.isBlank()));
        Arbitrary<Long> times = Arbitraries.oneOf(Arbitraries.longs().between(0, 1L << 53),
                Arbitraries.longs().between(0, Long.MAX_VALUE), Arbitraries.of(0L, 1L, 1_700_000_000_000L));
        Arbitrary<List<Long>> chunkSeeds = Arbitraries.longs().list().ofMaxSize(6);
        return Combinators.combine(path, mediaType, chunkSeeds, times, Arbitraries.longs().between(1, Long.MAX_VALUE),
                        Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as((p, type, seeds, mtime, hlc, tombstone, withParent) -> {
                    List<ChunkEntry> chunks = new ArrayList<>();
                    long size = 0;
                    if (!tombstone) {
                        for (long seed : seeds) {
                            ChunkEntry c = entry(seed);
                            chunks.add(c);
                            size += c.plainLength();
                        }
                    }
                    Optional<String> parent = withParent ? Optional.of(ChunkId.ofDigest(random(hlc, 32)).hex()) : Optional.empty();
                    return new Manifest(p, size, mtime, type, chunks, parent, tombstone, hlc, AUTHOR);
                });
    }

    private static boolean validPath(String p) {
        try {
            FilePaths.check(p);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Manifest manifest(String path, String type, List<ChunkEntry> chunks, long size, long mtime) {
        return new Manifest(path, size, mtime, type, chunks, Optional.empty(), false, 42, AUTHOR);
    }

    private static ChunkEntry entry(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int plain = random.nextInt(0, 16 << 20);
        int stored = plain + 16;
        Optional<ChunkEntry.Slice> slice = random.nextBoolean() && stored < (8 << 20)
                ? Optional.of(new ChunkEntry.Slice(ChunkId.ofDigest(random(seed + 1, 32)), random.nextInt(0, 8 << 20)))
                : Optional.empty();
        return new ChunkEntry(ChunkId.ofDigest(random(seed + 2, 32)), plain, stored,
                ChunkKey.decode(random(seed + 3, ChunkKey.KEY_LENGTH + ChunkKey.NONCE_LENGTH)), slice);
    }

    private static byte[] random(long seed, int n) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }
}
