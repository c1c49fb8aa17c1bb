package io.grove.runtime.fleet;

import io.grove.api.CellId;

import java.util.Arrays;

/**
 * A cell listed in the current roster.
 *
 * @param id           its cell id (derived from {@code signingKey})
 * @param signingKey   its raw 32-byte Ed25519 public key
 * @param agreementKey its raw 32-byte X25519 public key
 * @param label        its human name
 * @param role         member or friend
 * @param favourite    whether it gets copies first
 */
public record Member(CellId id, byte[] signingKey, byte[] agreementKey, String label, Role role, boolean favourite) {
    public Member {
        if (id == null || signingKey == null || agreementKey == null || label == null || role == null) {
            throw new IllegalArgumentException("a member needs an id, both keys, a label and a role");
        }
        if (signingKey.length != 32 || agreementKey.length != 32) {
            throw new IllegalArgumentException("member keys have 32 bytes");
        }
        if (!CellId.ofPublicKey(signingKey).equals(id)) {
            throw new IllegalArgumentException("member " + id.shortForm() + " does not match its signing key");
        }
        signingKey = signingKey.clone();
        agreementKey = agreementKey.clone();
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
                && favourite == m.favourite;
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
