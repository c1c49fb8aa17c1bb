package io.grove.runtime.fleet;

import io.grove.api.CellId;
import org.jdbi.v3.core.Jdbi;

import java.util.Arrays;
import java.util.Optional;

/**
 * The fleet this cell belongs to and the leader key it trusts, as pinned in the {@code fleet} table.
 *
 * @param fleetId   the fleet
 * @param leader    the leader's cell id
 * @param leaderKey the leader's raw Ed25519 public key
 */
public record PinnedFleet(FleetId fleetId, CellId leader, byte[] leaderKey) {
    public PinnedFleet {
        if (fleetId == null || leader == null || leaderKey == null) {
            throw new IllegalArgumentException("a pinned fleet needs an id, a leader and its key");
        }
        if (!CellId.ofPublicKey(leaderKey).equals(leader)) {
            throw new IllegalArgumentException("the leader id does not match the leader key");
        }
        leaderKey = leaderKey.clone();
    }

    @Override
    public byte[] leaderKey() {
        return leaderKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PinnedFleet p && fleetId.equals(p.fleetId) && Arrays.equals(leaderKey, p.leaderKey);
    }

    @Override
    public int hashCode() {
        return fleetId.hashCode();
    }

    static Optional<PinnedFleet> load(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("SELECT fleet_id, leader, leader_key FROM fleet WHERE id = 1")
                .map((rs, ctx) -> new PinnedFleet(new FleetId(rs.getString(1)), new CellId(rs.getString(2)),
                        rs.getBytes(3)))
                .findOne());
    }
}
