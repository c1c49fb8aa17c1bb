package io.grove.runtime.peer;

import io.grove.api.CellId;
import io.grove.api.transport.PeerRequest;
import io.grove.runtime.cell.CellKeys;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever arrives in the headers and body of a peer request, the verifier answers with a {@link PeerRejection}
 * or a verified request, and never with any other exception (110,000 cheap tries in all).
 */
class PeerFuzzTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final List<String> OPERATIONS = List.of("ping", "hello", "chunk.put", "x", "a.b-c.d9");
    private static final CellKeys SENDER;
    private static final CellKeys RECEIVER;
    private static final PeerSigner SIGNER;
    private static final PeerVerifier VERIFIER;
    /** Signed requests made once: signing in every try would make the tries expensive, not more varied. */
    private static final List<Signed> SIGNED;

    private record Signed(Map<String, String> headers, byte[] body) {
    }

    static {
        try {
            Path dir = Files.createTempDirectory("peer-fuzz");
            SENDER = PeerTesting.keys(dir.resolve("sender"));
            RECEIVER = PeerTesting.keys(dir.resolve("receiver"));
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
        PeerTesting.TestMembership roster = new PeerTesting.TestMembership().add(SENDER).add(RECEIVER);
        SIGNER = new PeerSigner(SENDER, roster, CLOCK);
        VERIFIER = new PeerVerifier(RECEIVER.cellId(), roster, CLOCK, new NonceCache(PeerProtocol.CLOCK_WINDOW, 1_000_000));
        java.util.Random random = new java.util.Random(42);
        SIGNED = java.util.stream.IntStream.range(0, 256).mapToObj(i -> {
            byte[] body = new byte[random.nextInt(81)];
            random.nextBytes(body);
            return new Signed(SIGNER.request(RECEIVER.cellId(), "ping", body).headers(), body);
        }).toList();
    }

    @Property(tries = 60_000, shrinking = ShrinkingMode.OFF, edgeCases = net.jqwik.api.EdgeCasesMode.NONE)
    void mutatedSignedRequestsOnlyEverGetRejected(@ForAll("mutations") List<Mutation> mutations,
                                                  @ForAll("operations") String operation,
                                                  @ForAll @net.jqwik.api.constraints.IntRange(max = 255) int pick,
                                                  @ForAll boolean otherBody,
                                                  @ForAll("bodies") byte[] junkBody,
                                                  @ForAll("lengthDeltas") int lengthDelta) {
        Signed signed = SIGNED.get(pick);
        byte[] body = otherBody ? junkBody : signed.body();
        Map<String, String> headers = new HashMap<>(signed.headers());
        for (Mutation mutation : mutations) {
            mutation.apply(headers);
        }
        long length = Math.max(0, body.length + lengthDelta);
        assertOnlyRejections(new PeerRequest(operation, headers, length, new ByteArrayInputStream(body)));
    }

    @Property(tries = 50_000, shrinking = ShrinkingMode.OFF, edgeCases = net.jqwik.api.EdgeCasesMode.NONE)
    void arbitraryHeadersOnlyEverGetRejected(@ForAll("headerMaps") Map<String, String> headers,
                                             @ForAll("bodies") byte[] body) {
        assertOnlyRejections(new PeerRequest("ping", headers, body.length, new ByteArrayInputStream(body)));
    }

    private static void assertOnlyRejections(PeerRequest request) {
        try {
            VerifiedRequest verified = VERIFIER.verify(request, 64);
            verified.finish();
            assertThat(verified.sender().id()).isEqualTo(SENDER.cellId());
        } catch (PeerRejection expected) {
            assertThat(expected.code()).isNotNull();
        } catch (IOException e) {
            throw new AssertionError("a byte array stream cannot fail", e);
        }
    }

    /** One change to a header: remove it, replace it with junk, or alter one character. */
    record Mutation(int header, int kind, String junk, int position, char replacement) {
        private static final List<String> NAMES = List.of(PeerProtocol.SENDER, PeerProtocol.TIMESTAMP,
                PeerProtocol.NONCE, PeerProtocol.DIGEST, PeerProtocol.SIGNATURE);

        void apply(Map<String, String> headers) {
            String name = NAMES.get(header);
            String value = headers.get(name);
            switch (kind) {
                case 0 -> headers.remove(name);
                case 1 -> headers.put(name, junk);
                case 2 -> {
                    if (value != null && !value.isEmpty()) {
                        int at = position % value.length();
                        headers.put(name, value.substring(0, at) + replacement + value.substring(at + 1));
                    }
                }
                case 3 -> {
                    if (value != null) {
                        headers.put(name, value.substring(0, position % (value.length() + 1)));
                    }
                }
                default -> headers.put(name, value + junk);
            }
        }
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Mutation> one = Combinators.combine(Arbitraries.integers().between(0, 4),
                        Arbitraries.integers().between(0, 4), junk(), Arbitraries.integers().between(0, 200),
                        Arbitraries.chars().with("AZaz09-_=+/\n\u00e9\u0000 ".toCharArray()))
                .as(Mutation::new);
        return one.list().ofMaxSize(3);
    }

    @Provide
    Arbitrary<String> operations() {
        return Arbitraries.of(OPERATIONS);
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(80);
    }

    @Provide
    Arbitrary<Integer> lengthDeltas() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(-5, 5)));
    }

    @Provide
    Arbitrary<Map<String, String>> headerMaps() {
        Arbitrary<String> names = Arbitraries.of(PeerProtocol.SENDER, PeerProtocol.TIMESTAMP, PeerProtocol.NONCE,
                PeerProtocol.DIGEST, PeerProtocol.SIGNATURE, "grove-other");
        Arbitrary<String> values = Arbitraries.<String>oneOf(junk(),
                Arbitraries.just(SENDER.cellId().value()),
                Arbitraries.longs().between(-10, Long.MAX_VALUE).map(n -> Long.toString(n)),
                Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567").ofLength(CellId.LENGTH),
                Arbitraries.strings().withChars("0123456789abcdef").ofLength(64),
                Arbitraries.strings().withChars("ABCabc012-_").ofLength(22),
                Arbitraries.strings().withChars("ABCabc012-_").ofLength(86));
        return Arbitraries.maps(names, values).ofMaxSize(6);
    }

    private static Arbitrary<String> junk() {
        return Arbitraries.strings().all().ofMaxLength(100);
    }
}
