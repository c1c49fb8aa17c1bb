package io.grove.runtime.peer;

import io.grove.api.transport.PeerRequest;
import io.grove.api.transport.PeerResponse;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The receiving side of the protocol, for every carrier alike: verify → dispatch → signed response. Every answer
 * is signed, refusals and failures included, so that a relay can neither forge nor replay one. A refusal is logged
 * (sender, operation, code; never headers or bodies) and changes nothing. Thread-safe.
 */
public final class PeerHandler {
    private static final System.Logger LOG = System.getLogger(PeerHandler.class.getName());

    private final PeerVerifier verifier;
    private final PeerSigner signer;
    private final Map<String, PeerOperation> operations;
    private volatile io.grove.runtime.stats.TransferMeter meter;

    /**
     * @param verifier   checks incoming requests
     * @param signer     signs the answers
     * @param operations the operations served, names unique
     */
    public PeerHandler(PeerVerifier verifier, PeerSigner signer, List<PeerOperation> operations) {
        if (verifier == null || signer == null || operations == null) {
            throw new IllegalArgumentException("a peer handler needs a verifier, a signer and operations");
        }
        Map<String, PeerOperation> byName = new HashMap<>();
        for (PeerOperation operation : operations) {
            if (byName.putIfAbsent(operation.name(), operation) != null) {
                throw new IllegalArgumentException("two peer operations are named " + operation.name());
            }
        }
        this.verifier = verifier;
        this.signer = signer;
        this.operations = Map.copyOf(byName);
    }

    /** Counts every answered request's body and answer's body in {@code meter} (the dashboard's throughput). */
    public void meter(io.grove.runtime.stats.TransferMeter meter) {
        this.meter = meter;
    }

    /** Answers a request: never throws for anything the peer sent, only signs a problem. */
    public PeerResponse handle(PeerRequest request) {
        PeerResponse response = answer(request);
        io.grove.runtime.stats.TransferMeter m = meter;
        if (m != null) {
            m.record(io.grove.runtime.stats.TransferMeter.Kind.PEER_IN, request.bodyLength());
            m.record(io.grove.runtime.stats.TransferMeter.Kind.PEER_OUT, response.bodyLength());
        }
        return response;
    }

    private PeerResponse answer(PeerRequest request) {
        String nonce = request.headers().getOrDefault(PeerProtocol.NONCE, "");
        String sender = request.headers().getOrDefault(PeerProtocol.SENDER, "?");
        PeerOperation operation = operations.get(request.operation());
        try {
            // Unknown operations are verified too (with the smallest limit), so strangers learn nothing from 404s.
            VerifiedRequest verified = operation instanceof StrangerOperation stranger
                    ? verifier.verifyStranger(request, stranger.maxBodyBytes(), stranger::claimant)
                    : verifier.verify(request, operation == null ? PeerOperations.SMALL_BODY_BYTES : operation.maxBodyBytes());
            if (operation == null) {
                throw new PeerRejection(PeerRejection.Code.UNKNOWN_OPERATION, "this cell does not serve "
                        + request.operation() + " (" + PeerProtocol.VERSION + "); see docs/protocol.md");
            }
            return sign(nonce, operation.handle(verified));
        } catch (PeerRejection e) {
            LOG.log(System.Logger.Level.WARNING, "refused peer {0} from {1}: {2}", request.operation(),
                    shortForm(sender), e.toString());
            return sign(nonce, PeerReply.refusal(e));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "peer " + request.operation() + " from " + shortForm(sender) + " failed", e);
            return sign(nonce, PeerReply.problem(500, "internal",
                    "the cell failed to handle " + request.operation() + "; its log has the details"));
        }
    }

    /** A signed refusal for a request that could not even be formed (bad operation name, no length). */
    public PeerResponse refuse(String nonce, PeerRejection rejection) {
        LOG.log(System.Logger.Level.WARNING, "refused peer request: {0}", rejection.toString());
        return sign(nonce, PeerReply.refusal(rejection));
    }

    private PeerResponse sign(String nonce, PeerReply reply) {
        return signer.response(reply.status(), nonce, reply.bodyLength(), reply.digest(), reply.body());
    }

    private static String shortForm(String sender) {
        // Only a prefix of what the peer claimed: enough to recognise, too short to inject a log line.
        String prefix = sender.length() > 7 ? sender.substring(0, 7) : sender;
        return prefix.replaceAll("[^A-Z0-9?]", "_");
    }
}
