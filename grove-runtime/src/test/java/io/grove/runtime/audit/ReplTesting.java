package io.grove.runtime.audit;

import io.grove.api.transport.PeerRequest;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.fleet.Membership;
import io.grove.runtime.http.ApiRouting;
import io.grove.runtime.peer.NonceCache;
import io.grove.runtime.peer.PeerHandler;
import io.grove.runtime.peer.PeerOperation;
import io.grove.runtime.peer.PeerSigner;
import io.grove.runtime.peer.PeerVerifier;
import io.helidon.webserver.WebServer;

import java.time.Clock;
import java.util.List;

/**
 * A peer socket on loopback serving chosen operations through the real verifier, handler and signer, for the audit
 * and bounty tests (keys, an in-memory roster and the HTTP carrier come from {@link io.grove.runtime.peer.PeerTesting}).
 */
public final class ReplTesting {
    private ReplTesting() {
    }

    /** A cell's peer socket on 127.0.0.1 serving {@code operations}; stop it after the test. */
    public static WebServer serve(CellKeys keys, Membership roster, Clock clock, List<PeerOperation> operations) {
        PeerHandler handler = new PeerHandler(new PeerVerifier(keys.cellId(), roster, clock, NonceCache.standard()),
                new PeerSigner(keys, roster, clock), operations);
        return WebServer.builder().host("127.0.0.1").port(0).maxPayloadSize(PeerRequest.MAX_BODY_BYTES)
                .routing(r -> ApiRouting.peer(r, handler)).build().start();
    }
}
