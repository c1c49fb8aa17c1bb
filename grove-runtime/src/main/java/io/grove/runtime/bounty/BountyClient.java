package io.grove.runtime.bounty;

import io.grove.api.transport.Route;
import io.grove.runtime.json.Json;
import io.grove.runtime.peer.PeerClient;
import io.grove.runtime.peer.PeerOperations;
import io.grove.runtime.peer.PeerRejection;

import java.io.IOException;

/** The payer's side of {@value BountyOperation#NAME}. */
public final class BountyClient {
    private BountyClient() {
    }

    /**
     * Pushes {@code receipt} to its payee at {@code route} (whose peer must be the payee).
     *
     * @return whether the payee stored it now ({@code false}: it already had it); either way it is delivered
     * @throws IOException when the route fails, or a {@link io.grove.runtime.peer.PeerCallException} when the payee
     *                     refused it
     */
    public static boolean push(PeerClient client, Route route, SignedReceipt receipt) throws IOException {
        if (!route.peer().equals(receipt.receipt().payee())) {
            throw new IllegalArgumentException("a receipt is pushed to its payee");
        }
        byte[] reply = client.call(route, BountyOperation.NAME, receipt.encode(), PeerOperations.SMALL_BODY_BYTES);
        try {
            return Json.mapper().readValue(reply, BountyOperation.Stored.class).stored();
        } catch (IOException | RuntimeException e) {
            throw new PeerRejection(PeerRejection.Code.MALFORMED, "peer sent an invalid bounty.receipt answer");
        }
    }
}
