package io.grove.runtime.peer;

import io.grove.testing.ManualClock;

import io.grove.api.CellId;
import io.grove.api.transport.PeerRequest;
import io.grove.runtime.cell.CellKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The verifier's checks and its bounded nonce cache, without a socket. */
class PeerVerifierTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path tmp;
    private CellKeys sender;
    private CellKeys receiver;
    private PeerTesting.TestMembership roster;
    private final ManualClock clock = new ManualClock(NOW);

    @BeforeEach
    void keys() {
        sender = PeerTesting.keys(tmp.resolve("s"));
        receiver = PeerTesting.keys(tmp.resolve("r"));
        roster = new PeerTesting.TestMembership().add(sender).add(receiver);
    }

    @Test
    void refusesNewNoncesWhenTheCacheIsFullRatherThanForgetting() {
        PeerVerifier verifier = new PeerVerifier(receiver.cellId(), roster, clock, new NonceCache(PeerProtocol.CLOCK_WINDOW, 2));
        PeerSigner signer = new PeerSigner(sender, roster, clock);
        verifier.verify(signer.request(receiver.cellId(), "ping", new byte[0]), 10);
        verifier.verify(signer.request(receiver.cellId(), "ping", new byte[0]), 10);

        assertRejected(() -> verifier.verify(signer.request(receiver.cellId(), "ping", new byte[0]), 10),
                PeerRejection.Code.BUSY);

        clock.set(NOW.plus(Duration.ofMinutes(5)).plusMillis(1)); // the first two can no longer be replayed
        verifier.verify(signer.request(receiver.cellId(), "ping", new byte[0]), 10);
    }

    @Test
    void remembersANonceUntilItsRequestLeavesTheWindow() {
        NonceCache cache = new NonceCache(PeerProtocol.CLOCK_WINDOW, 10);
        CellId cell = sender.cellId();
        String nonce = "AAAAAAAAAAAAAAAAAAAAAA";
        Instant future = NOW.plus(Duration.ofMinutes(4)); // a clock ahead of ours: acceptable for 9 minutes
        cache.remember(cell, nonce, future, NOW);

        assertRejected(() -> cache.remember(cell, nonce, future, NOW.plus(Duration.ofMinutes(8))), PeerRejection.Code.REPLAY);
        cache.remember(receiver.cellId(), nonce, future, NOW); // nonces are per sender
        cache.remember(cell, nonce, future, NOW.plus(Duration.ofMinutes(9)).plusMillis(1));
    }

    @Test
    void rejectsNothingItRemembersWhenTheSignatureFails() {
        NonceCache cache = new NonceCache(PeerProtocol.CLOCK_WINDOW, 10);
        PeerVerifier verifier = new PeerVerifier(receiver.cellId(), roster, clock, cache);
        PeerRequest wrongRecipient = new PeerSigner(sender, roster, clock).request(sender.cellId(), "ping", new byte[0]);

        assertRejected(() -> verifier.verify(wrongRecipient, 10), PeerRejection.Code.BAD_SIGNATURE);
        assertThat(cache.size()).isZero();
    }

    @Test
    void checksTheBodyBeforeHandingOutItsLastBytes() throws IOException {
        PeerSigner signer = new PeerSigner(sender, roster, clock);
        PeerVerifier verifier = new PeerVerifier(receiver.cellId(), roster, clock, NonceCache.standard());
        PeerRequest signed = signer.request(receiver.cellId(), "ping", new byte[]{1, 2, 3, 4});
        InputStream body = verifier.verify(new PeerRequest("ping", signed.headers(), 4,
                new ByteArrayInputStream(new byte[]{1, 2, 3, 5})), 10).body();

        assertThat(body.read(new byte[2], 0, 2)).isEqualTo(2);
        assertRejected(() -> body.read(new byte[2], 0, 2), PeerRejection.Code.DIGEST_MISMATCH);
        assertRejected(body::read, PeerRejection.Code.DIGEST_MISMATCH);
    }

    @Test
    void refusesABodyShorterThanDeclared() {
        PeerSigner signer = new PeerSigner(sender, roster, clock);
        PeerVerifier verifier = new PeerVerifier(receiver.cellId(), roster, clock, NonceCache.standard());
        PeerRequest signed = signer.request(receiver.cellId(), "ping", new byte[]{1, 2, 3, 4});
        VerifiedRequest verified = verifier.verify(new PeerRequest("ping", signed.headers(), 4,
                new ByteArrayInputStream(new byte[]{1, 2})), 10);

        assertRejected(verified::finish, PeerRejection.Code.MALFORMED);
    }

    @Test
    void aRelayedRequestIsVerifiedAndAnsweredLikeOneOnThePeerSocket() throws IOException {
        io.grove.runtime.peer.PeerStack stack = io.grove.runtime.peer.PeerStack.of(receiver, roster, RosterSource.none(),
                new io.grove.testing.InMemoryChunkStore(), new InMemoryManifests(), clock);
        PeerTransportHost host = new PeerTransportHost(receiver.cellId(), () -> 5679, peer -> java.util.List.of(),
                stack.handler());
        PeerSigner signer = new PeerSigner(sender, roster, clock);
        PeerRequest request = signer.request(receiver.cellId(), "ping", new byte[]{9});

        try (VerifiedResponse response = signer.verify(receiver.cellId(), request, host.handle(request))) {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bytes()).containsExactly(9);
        }
        try (VerifiedResponse replayed = signer.verify(receiver.cellId(), request, host.handle(
                new PeerRequest("ping", request.headers(), 1, new ByteArrayInputStream(new byte[]{9}))))) {
            assertThat(replayed.status()).isEqualTo(409);
        }
    }

    /** Manifests in memory, for tests that do not store any. */
    static final class InMemoryManifests implements ManifestStore {
        private final java.util.Map<String, byte[]> blobs = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public boolean put(String versionId, byte[] blob, CellId from) {
            return blobs.putIfAbsent(versionId, blob.clone()) == null;
        }

        @Override
        public java.util.Optional<byte[]> get(String versionId) {
            return java.util.Optional.ofNullable(blobs.get(versionId)).map(byte[]::clone);
        }
    }

    @Test
    void aStrangerIsVerifiedWithTheKeysItsBodyClaimsAndOnlyForThoseKeys() throws IOException {
        CellKeys stranger = PeerTesting.keys(tmp.resolve("stranger"));
        CellKeys other = PeerTesting.keys(tmp.resolve("other"));
        NonceCache cache = new NonceCache(PeerProtocol.CLOCK_WINDOW, 10);
        PeerVerifier verifier = new PeerVerifier(receiver.cellId(), roster, clock, cache);
        PeerSigner signer = new PeerSigner(stranger, roster, clock);
        byte[] body = "join me".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        // A stranger is not a member: the ordinary path refuses it before reading anything.
        assertRejected(() -> verifier.verify(signer.request(receiver.cellId(), "fleet.join", body), 4096),
                PeerRejection.Code.NOT_MEMBER);
        // The body claims another cell's identity: refused, nothing remembered.
        assertRejected(() -> verifier.verifyStranger(signer.request(receiver.cellId(), "fleet.join", body), 4096,
                b -> PeerTesting.member(other)), PeerRejection.Code.BAD_SIGNATURE);
        assertThat(cache.size()).isZero();
        // Claims its own keys: accepted once, the nonce remembered, the body handed over.
        PeerRequest request = signer.request(receiver.cellId(), "fleet.join", body);
        VerifiedRequest verified = verifier.verifyStranger(request, 4096, b -> PeerTesting.member(stranger));
        assertThat(verified.sender().id()).isEqualTo(stranger.cellId());
        assertThat(verified.bytes()).isEqualTo(body);
        assertThat(cache.size()).isEqualTo(1);
        // A body altered after signing is refused before the claimant is even read.
        PeerRequest tampered = signer.request(receiver.cellId(), "fleet.join", body);
        PeerRequest altered = new PeerRequest(tampered.operation(), tampered.headers(), body.length,
                new ByteArrayInputStream("join m3".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertRejected(() -> verifier.verifyStranger(altered, 4096, b -> {
            throw new AssertionError("the claimant must not be read from a body that fails its digest");
        }), PeerRejection.Code.DIGEST_MISMATCH);
        // Too large, stale: refused like any request.
        assertRejected(() -> verifier.verifyStranger(signer.request(receiver.cellId(), "fleet.join", new byte[20_000]),
                4096, b -> PeerTesting.member(stranger)), PeerRejection.Code.TOO_LARGE);
        PeerRequest old = signer.request(receiver.cellId(), "fleet.join", body);
        clock.set(NOW.plus(Duration.ofMinutes(6)));
        assertRejected(() -> verifier.verifyStranger(old, 4096, b -> PeerTesting.member(stranger)), PeerRejection.Code.STALE);
    }

    private static void assertRejected(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, PeerRejection.Code code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PeerRejection.class, e -> assertThat(e.code()).isEqualTo(code));
    }
}
