package io.grove.runtime.fleet;

import io.grove.api.CellId;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.crypto.Aead;
import io.grove.runtime.crypto.Hkdf;
import io.grove.runtime.crypto.Signatures;
import io.grove.runtime.db.Database;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

import javax.crypto.AEADBadTagException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fleet secret by epoch: a random 32-byte secret per epoch, which the leader wraps to each member's X25519 key
 * and replaces when a member is revoked, so that what is sealed afterwards is out of the revoked cell's reach while
 * what it could read before stays readable to those who had it. Seals fleet-wide metadata under an epoch's secret.
 *
 * <p>Only cells with role {@link Role#MEMBER} receive the secret: friends are other people's cells that receive
 * shares, not the fleet's own metadata.
 */
public final class FleetSecrets {
    /** HKDF info label of the key that seals fleet metadata. */
    static final String SEAL_LABEL = "grove fleet seal v1";
    private static final byte[] SEAL_MAGIC = {'G', 'R', 'V', 'F', 1};
    private static final int SEAL_HEADER = SEAL_MAGIC.length + 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;
    private final CellKeys self;
    private final Clock clock;
    private final Map<Long, byte[]> unwrapped = new ConcurrentHashMap<>();

    public FleetSecrets(Database db, CellKeys self, Clock clock) {
        this.db = db;
        this.self = self;
        this.clock = clock;
    }

    /**
     * Starts a new epoch (leader only): a fresh secret wrapped to every member of {@code roster}.
     *
     * @return the new epoch number
     */
    public long rotate(Roster roster) {
        requireLeader(roster);
        long epoch = latestEpoch(roster.fleetId()).orElse(0) + 1;
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        List<WrappedSecret> wraps = roster.members().stream()
                .filter(m -> m.role() == Role.MEMBER)
                .map(m -> wrap(roster.fleetId(), epoch, secret, m))
                .toList();
        db.jdbi().useTransaction(h -> {
            for (WrappedSecret w : wraps) {
                store(h, w);
            }
        });
        unwrapped.put(epoch, secret);
        return epoch;
    }

    /** Wraps the current epoch's secret to a member who just joined (leader only); nothing for a friend. */
    public void share(Roster roster, Member member) {
        requireLeader(roster);
        if (member.role() != Role.MEMBER) {
            return;
        }
        long epoch = latestEpoch(roster.fleetId()).orElseThrow(() -> new IllegalStateException("the fleet has no epoch yet"));
        WrappedSecret w = wrap(roster.fleetId(), epoch, secret(epoch), member);
        db.jdbi().useHandle(h -> store(h, w));
    }

    /** The wrapped secrets addressed to {@code recipient}, oldest epoch first (what the leader hands it). */
    public List<WrappedSecret> wrapsFor(CellId recipient) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT wrapped FROM fleet_secrets WHERE recipient = ? ORDER BY epoch")
                .bind(0, recipient.value())
                .map((rs, ctx) -> WrappedSecret.decode(rs.getBytes(1)))
                .list());
    }

    /**
     * Keeps a wrapped secret the leader sent to this cell, after checking that it is for this fleet and this cell,
     * signed by the pinned leader, and opens.
     *
     * @throws FleetSecretException when any of that fails
     */
    public void accept(WrappedSecret wrapped) {
        PinnedFleet fleet = PinnedFleet.load(db.jdbi())
                .orElseThrow(() -> new FleetSecretException("this cell is in no fleet yet"));
        if (!wrapped.fleetId().equals(fleet.fleetId())) {
            throw new FleetSecretException("the wrapped secret is for fleet " + wrapped.fleetId() + ", not ours");
        }
        if (!wrapped.recipient().equals(self.cellId())) {
            throw new FleetSecretException("the wrapped secret is for " + wrapped.recipient().shortForm() + ", not this cell");
        }
        if (!Signatures.verify(fleet.leaderKey(), WrappedSecret.SIGNATURE_LABEL, wrapped.signedPart(), wrapped.signature())) {
            throw new FleetSecretException("the wrapped secret is not signed by the fleet's leader");
        }
        byte[] secret = unwrap(wrapped);
        db.jdbi().useHandle(h -> store(h, wrapped));
        unwrapped.put(wrapped.epoch(), secret);
    }

    /** The newest epoch this cell holds the secret of. */
    public OptionalLong currentEpoch() {
        return PinnedFleet.load(db.jdbi()).map(f -> latestEpoch(f.fleetId())).orElse(OptionalLong.empty());
    }

    /**
     * Seals fleet-wide metadata under {@code epoch}'s secret. Output: {@code "GRVF" 0x01 ‖ epoch (8, big-endian) ‖
     * nonce ‖ ciphertext ‖ tag}.
     *
     * @throws FleetSecretException when this cell does not hold that epoch
     */
    public byte[] sealForFleet(long epoch, byte[] plaintext) {
        FleetId fleet = fleetId();
        byte[] header = ByteBuffer.allocate(SEAL_HEADER).put(SEAL_MAGIC).putLong(epoch).array();
        byte[] body = Aead.seal(sealKey(fleet, epoch), plaintext, sealAad(header, fleet));
        byte[] out = Arrays.copyOf(header, header.length + body.length);
        System.arraycopy(body, 0, out, header.length, body.length);
        return out;
    }

    /**
     * Opens what {@link #sealForFleet} produced, under the epoch named in its header.
     *
     * @throws FleetSecretException when this cell does not hold that epoch or the bytes were altered
     */
    public byte[] open(byte[] sealed) {
        if (sealed.length < SEAL_HEADER + Aead.OVERHEAD || !Arrays.equals(sealed, 0, SEAL_MAGIC.length, SEAL_MAGIC, 0, SEAL_MAGIC.length)) {
            throw new FleetSecretException("not a fleet-sealed message (bad magic or too short)");
        }
        FleetId fleet = fleetId();
        long epoch = ByteBuffer.wrap(sealed, SEAL_MAGIC.length, 8).getLong();
        byte[] header = Arrays.copyOf(sealed, SEAL_HEADER);
        try {
            return Aead.open(sealKey(fleet, epoch), Arrays.copyOfRange(sealed, SEAL_HEADER, sealed.length),
                    sealAad(header, fleet));
        } catch (AEADBadTagException e) {
            throw new FleetSecretException("the fleet-sealed message was altered or sealed by another fleet", e);
        }
    }

    private byte[] sealKey(FleetId fleet, long epoch) {
        byte[] label = SEAL_LABEL.getBytes(StandardCharsets.US_ASCII);
        byte[] info = ByteBuffer.allocate(label.length + 1 + FleetId.BYTES + 8)
                .put(label).put((byte) 0).put(fleet.bytes()).putLong(epoch).array();
        return Hkdf.derive(secret(epoch), new byte[0], info, 32);
    }

    private static byte[] sealAad(byte[] header, FleetId fleet) {
        return ByteBuffer.allocate(header.length + FleetId.BYTES).put(header).put(fleet.bytes()).array();
    }

    /** This cell's copy of {@code epoch}'s secret. */
    private byte[] secret(long epoch) {
        byte[] cached = unwrapped.get(epoch);
        if (cached != null) {
            return cached;
        }
        FleetId fleet = fleetId();
        WrappedSecret w = db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT wrapped FROM fleet_secrets WHERE fleet_id = ? AND epoch = ? AND recipient = ?")
                .bind(0, fleet.hex()).bind(1, epoch).bind(2, self.cellId().value())
                .map((rs, ctx) -> WrappedSecret.decode(rs.getBytes(1)))
                .findOne())
                .orElseThrow(() -> new FleetSecretException("this cell does not hold the fleet secret of epoch " + epoch
                        + " (it was not a member then, or has not received it yet)"));
        byte[] secret = unwrap(w);
        unwrapped.put(epoch, secret);
        return secret;
    }

    private WrappedSecret wrap(FleetId fleet, long epoch, byte[] secret, Member recipient) {
        X25519PrivateKeyParameters ephemeral = new X25519PrivateKeyParameters(RANDOM);
        byte[] ephemeralPublic = ephemeral.generatePublicKey().getEncoded();
        byte[] shared = new byte[32];
        ephemeral.generateSecret(new X25519PublicKeyParameters(recipient.agreementKey(), 0), shared, 0);
        byte[] context = WrappedSecret.context(fleet, epoch, recipient.id());
        byte[] key = Hkdf.derive(shared, concat(ephemeralPublic, recipient.agreementKey()), context, 32);
        byte[] sealed = Aead.seal(key, secret, context);
        byte[] signedPart = concat(context, concat(ephemeralPublic, sealed));
        return new WrappedSecret(fleet, epoch, recipient.id(), ephemeralPublic, sealed,
                self.sign(WrappedSecret.SIGNATURE_LABEL, signedPart));
    }

    private byte[] unwrap(WrappedSecret w) {
        if (!w.recipient().equals(self.cellId())) {
            throw new FleetSecretException("the secret is wrapped to " + w.recipient().shortForm() + ", not this cell");
        }
        byte[] shared;
        try {
            shared = self.agree(w.ephemeralKey());
        } catch (IllegalStateException e) {
            // Bouncy Castle refuses low-order points, whose shared secret would be all zeros.
            throw new FleetSecretException("the wrapped secret's ephemeral key is invalid", e);
        }
        byte[] context = WrappedSecret.context(w.fleetId(), w.epoch(), w.recipient());
        byte[] key = Hkdf.derive(shared, concat(w.ephemeralKey(), self.agreementPublicKey()), context, 32);
        try {
            return Aead.open(key, w.sealed(), context);
        } catch (AEADBadTagException e) {
            throw new FleetSecretException("the wrapped secret does not open with this cell's key", e);
        }
    }

    private void store(org.jdbi.v3.core.Handle h, WrappedSecret w) {
        h.createUpdate("INSERT OR REPLACE INTO fleet_secrets (fleet_id, epoch, recipient, wrapped, stored_at) VALUES (?, ?, ?, ?, ?)")
                .bind(0, w.fleetId().hex()).bind(1, w.epoch()).bind(2, w.recipient().value()).bind(3, w.encode())
                .bind(4, clock.millis())
                .execute();
    }

    private OptionalLong latestEpoch(FleetId fleet) {
        return db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT epoch FROM fleet_secrets WHERE fleet_id = ? AND recipient = ? ORDER BY epoch DESC LIMIT 1")
                .bind(0, fleet.hex()).bind(1, self.cellId().value())
                .mapTo(Long.class).findOne())
                .map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    private FleetId fleetId() {
        return PinnedFleet.load(db.jdbi()).map(PinnedFleet::fleetId)
                .orElseThrow(() -> new FleetSecretException("this cell is in no fleet yet"));
    }

    private void requireLeader(Roster roster) {
        if (!roster.leader().equals(self.cellId())) {
            throw new IllegalStateException("only the leader " + roster.leader().shortForm() + " hands out fleet secrets");
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
