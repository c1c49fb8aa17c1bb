package io.grove.runtime.fleet;

import io.grove.api.CellId;

import java.util.Arrays;
import java.util.List;

/**
 * A cell listed in the current roster.
 *
 * @param id           its cell id (derived from {@code signingKey})
 * @param signingKey   its raw 32-byte Ed25519 public key
 * @param agreementKey its raw 32-byte X25519 public key
 * @param label        its human name
 * @param role         member or friend
 * @param favourite    whether it gets copies first
 * @param routes       where its peer socket can be reached ({@code host:port}, at most {@value #MAX_ROUTES}), as it
 *                     advertised them when it joined or last said hello to the leader
 */
public record Member(CellId id, byte[] signingKey, byte[] agreementKey, String label, Role role, boolean favourite,
                     List<String> routes) {
    /** The most addresses a member may advertise. */
    public static final int MAX_ROUTES = Invite.MAX_ROUTES;

    public Member {
        if (id == null || signingKey == null || agreementKey == null || label == null || role == null || routes == null) {
            throw new IllegalArgumentException("a member needs an id, both keys, a label, a role and routes");
        }
        if (routes.size() > MAX_ROUTES) {
            throw new IllegalArgumentException("a member advertises at most " + MAX_ROUTES + " routes");
        }
        routes.forEach(Invite::requireRoute);
        if (routes.stream().distinct().count() != routes.size()) {
            throw new IllegalArgumentException("a member's routes are distinct");
        }
        routes = List.copyOf(routes);
        if (signingKey.length != 32 || agreementKey.length != 32) {
            throw new IllegalArgumentException("member keys have 32 bytes");
        }
        if (!CellId.ofPublicKey(signingKey).equals(id)) {
            throw new IllegalArgumentException("member " + id.shortForm() + " does not match its signing key");
        }
        signingKey = signingKey.clone();
        agreementKey = agreementKey.clone();
    }

    /** A member without advertised routes. */
    public Member(CellId id, byte[] signingKey, byte[] agreementKey, String label, Role role, boolean favourite) {
        this(id, signingKey, agreementKey, label, role, favourite, List.of());
    }

    /** This member with {@code favourite} set. */
    public Member withFavourite(boolean favourite) {
        return new Member(id, signingKey, agreementKey, label, role, favourite, routes);
    }

    /** This member with other routes. */
    public Member withRoutes(List<String> routes) {
        return new Member(id, signingKey, agreementKey, label, role, favourite, routes);
    }

    @Override
    public byte[] signingKey() {
        return signingKey.clone();
    }

    @Override
    public byte[] agreementKey() {
        return agreementKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Member m && id.equals(m.id) && Arrays.equals(signingKey, m.signingKey)
                && Arrays.equals(agreementKey, m.agreementKey) && label.equals(m.label) && role == m.role
                && favourite == m.favourite && routes.equals(m.routes);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
