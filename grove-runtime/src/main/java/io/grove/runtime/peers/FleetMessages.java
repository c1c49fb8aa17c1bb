package io.grove.runtime.peers;

import io.grove.api.CellId;
import io.grove.runtime.fleet.FleetId;
import io.grove.runtime.fleet.Invite;
import io.grove.runtime.fleet.JoinRequest;
import io.grove.runtime.fleet.Member;
import io.grove.runtime.fleet.Role;
import io.grove.runtime.fleet.SignedRoster;
import io.grove.runtime.fleet.WrappedSecret;

import java.util.Base64;
import java.util.List;

/**
 * The JSON bodies of the fleet's peer operations ({@code fleet.join}, {@code fleet.secrets}); binary values are
 * unpadded base64url. Every record checks its bounds in its constructor, so a parsed message is a valid one.
 */
public final class FleetMessages {
    /** The largest {@code fleet.join} request body. */
    public static final int MAX_JOIN_BYTES = 4096;
    /** The most wrapped secrets in one answer (one per epoch). */
    public static final int MAX_SECRETS = 4096;

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private FleetMessages() {
    }

    /**
     * {@code fleet.join} request: a {@link JoinRequest} and the joiner's routes.
     *
     * @param fleet        fleet id, 32 hex characters
     * @param signingKey   the joiner's Ed25519 public key
     * @param agreementKey its X25519 public key
     * @param label        its name in the roster
     * @param timestamp    when it made the request, epoch ms
     * @param proof        the HMAC proof of the invite secret
     * @param signature    its signature over the join message and proof
     * @param routes       where its peer socket can be reached, at most {@link Member#MAX_ROUTES}
     */
    public record Join(String fleet, String signingKey, String agreementKey, String label, long timestamp, String proof,
                       String signature, List<String> routes) {
        public Join {
            if (fleet == null || signingKey == null || agreementKey == null || label == null || proof == null
                    || signature == null || routes == null || routes.size() > Member.MAX_ROUTES) {
                throw new IllegalArgumentException("a join message needs every field and at most "
                        + Member.MAX_ROUTES + " routes");
            }
            routes.forEach(Invite::requireRoute);
            routes = List.copyOf(routes);
        }

        /** The message for {@code request}. */
        public static Join of(JoinRequest request, List<String> routes) {
            return new Join(request.fleetId().hex(), b64(request.signingKey()), b64(request.agreementKey()),
                    request.label(), request.timestamp(), b64(request.proof()), b64(request.signature()), routes);
        }

        /** The join request it carries. */
        public JoinRequest request() {
            return new JoinRequest(new FleetId(fleet), bytes(signingKey), bytes(agreementKey), label, timestamp,
                    bytes(proof), bytes(signature));
        }

        /** The identity it claims, as the roster would list it (role and favourite are the leader's to decide). */
        public Member claimant() {
            byte[] key = bytes(signingKey);
            return new Member(CellId.ofPublicKey(key), key, bytes(agreementKey), label, Role.FRIEND, false, routes);
        }
    }

    /**
     * {@code fleet.join} answer: the roster that lists the joiner and its fleet secrets.
     *
     * @param roster  the signed roster, base64url
     * @param secrets wrapped fleet secrets for the joiner, base64url each (none for a friend)
     */
    public record Joined(String roster, List<String> secrets) {
        public Joined {
            if (roster == null || secrets == null || secrets.size() > MAX_SECRETS) {
                throw new IllegalArgumentException("a join answer has a roster and at most " + MAX_SECRETS + " secrets");
            }
            secrets = List.copyOf(secrets);
        }

        /** The answer for an admitted cell. */
        public static Joined of(SignedRoster roster, List<WrappedSecret> secrets) {
            return new Joined(b64(roster.encode()), secrets.stream().map(s -> b64(s.encode())).toList());
        }

        /** The roster, decoded (its signature is not checked here). */
        public SignedRoster signedRoster() {
            return SignedRoster.decode(bytes(roster));
        }

        /** The wrapped secrets, decoded (not yet opened or verified). */
        public List<WrappedSecret> wrappedSecrets() {
            return secrets.stream().map(s -> WrappedSecret.decode(bytes(s))).toList();
        }
    }

    /**
     * {@code fleet.secrets} answer: every fleet secret wrapped to the asking member.
     *
     * @param secrets base64url each
     */
    public record Secrets(List<String> secrets) {
        public Secrets {
            if (secrets == null || secrets.size() > MAX_SECRETS) {
                throw new IllegalArgumentException("at most " + MAX_SECRETS + " secrets");
            }
            secrets = List.copyOf(secrets);
        }

        /** The answer carrying {@code wrapped}. */
        public static Secrets of(List<WrappedSecret> wrapped) {
            return new Secrets(wrapped.stream().map(s -> b64(s.encode())).toList());
        }

        /** The wrapped secrets, decoded (not yet opened or verified). */
        public List<WrappedSecret> wrappedSecrets() {
            return secrets.stream().map(s -> WrappedSecret.decode(bytes(s))).toList();
        }
    }

    static String b64(byte[] bytes) {
        return B64.encodeToString(bytes);
    }

    static byte[] bytes(String b64) {
        if (b64.length() > 2 * SignedRoster.MAX_BYTES) {
            throw new IllegalArgumentException("value too long");
        }
        return B64D.decode(b64);
    }
}
