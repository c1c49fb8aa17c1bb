package io.grove.runtime.fleet;

import io.grove.api.CellId;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A one-time invitation to join a fleet, as a short code a person pastes: {@code GROVE1-} followed by base32 of a
 * compact binary form with a checksum (docs/fleet.md). It carries the leader's signing key rather than its id so the
 * joining cell can pin the key at once and check the first roster it receives.
 *
 * @param fleetId   the fleet
 * @param leaderKey the leader's raw 32-byte Ed25519 public key
 * @param routes    where to reach the leader, {@code host:port}, at most {@value #MAX_ROUTES}
 * @param role      what the joining cell becomes
 * @param expiresAt when the code stops working, whole seconds, before 2106
 * @param secret    16 random bytes; whoever knows them may join once
 */
public record Invite(FleetId fleetId, byte[] leaderKey, List<String> routes, Role role, Instant expiresAt,
                     byte[] secret) {
    /** What every code starts with; the digit is the format version. */
    public static final String PREFIX = "GROVE1-";
    /** The most routes an invite carries. */
    public static final int MAX_ROUTES = 8;
    /** Bytes of the secret. */
    public static final int SECRET_BYTES = 16;
    /** The longest code {@link #decode} reads: 8 routes of 255 characters. */
    public static final int MAX_CODE_LENGTH = PREFIX.length() + (75 + MAX_ROUTES * 256) * 8 / 5 + 1;
    private static final byte VERSION = 1;
    private static final int CHECKSUM_BYTES = 4;
    private static final Pattern ROUTE = Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+])(?::(?:[1-9][0-9]{0,4}))");

    public Invite {
        if (fleetId == null || leaderKey == null || routes == null || role == null || expiresAt == null || secret == null) {
            throw new IllegalArgumentException("an invite needs every field");
        }
        if (leaderKey.length != 32 || secret.length != SECRET_BYTES) {
            throw new IllegalArgumentException("an invite has a 32-byte leader key and a " + SECRET_BYTES + "-byte secret");
        }
        if (routes.size() > MAX_ROUTES) {
            throw new IllegalArgumentException("an invite carries at most " + MAX_ROUTES + " routes");
        }
        for (String route : routes) {
            requireRoute(route);
        }
        if (expiresAt.getNano() != 0 || expiresAt.getEpochSecond() < 0 || expiresAt.getEpochSecond() > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("an invite expires at a whole second between 1970 and 2106");
        }
        leaderKey = leaderKey.clone();
        secret = secret.clone();
        routes = List.copyOf(routes);
    }

    /** The leader's cell id. */
    public CellId leader() {
        return CellId.ofPublicKey(leaderKey);
    }

    /** What a joining cell pins before it applies the rosters the leader sends. */
    public PinnedFleet pinned() {
        return new PinnedFleet(fleetId, leader(), leaderKey);
    }

    /** The pasteable code. */
    public String encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.write(VERSION);
        out.writeBytes(fleetId.bytes());
        out.writeBytes(leaderKey);
        out.write(role == Role.MEMBER ? 0 : 1);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) expiresAt.getEpochSecond()).array());
        out.writeBytes(secret);
        out.write(routes.size());
        for (String route : routes) {
            byte[] r = route.getBytes(StandardCharsets.US_ASCII);
            out.write(r.length);
            out.writeBytes(r);
        }
        byte[] body = out.toByteArray();
        out.writeBytes(checksum(body));
        return PREFIX + Base32.encode(out.toByteArray());
    }

    /**
     * Reads a code exactly as {@link #encode()} writes it.
     *
     * @throws FleetFormatException when it is not one (the checksum catches typos and tampering), and never another
     *                              exception
     */
    public static Invite decode(String code) {
        if (code.length() > MAX_CODE_LENGTH || !code.startsWith(PREFIX)) {
            throw new FleetFormatException("not a Grove invite code (it starts with " + PREFIX + ")");
        }
        byte[] bytes = Base32.decode(code.substring(PREFIX.length()));
        if (bytes.length < 71 + CHECKSUM_BYTES) {
            throw new FleetFormatException("the invite code is too short (incomplete paste?)");
        }
        int bodyLength = bytes.length - CHECKSUM_BYTES;
        if (!MessageDigest.isEqual(checksum(Arrays.copyOf(bytes, bodyLength)),
                Arrays.copyOfRange(bytes, bodyLength, bytes.length))) {
            throw new FleetFormatException("the invite code's checksum does not match (mistyped or altered)");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, bodyLength);
        try {
            if (in.get() != VERSION) {
                throw new FleetFormatException("unsupported invite version");
            }
            FleetId fleet = FleetId.of(take(in, FleetId.BYTES));
            byte[] leaderKey = take(in, 32);
            Role role = switch (in.get()) {
                case 0 -> Role.MEMBER;
                case 1 -> Role.FRIEND;
                default -> throw new FleetFormatException("unknown invite role");
            };
            Instant expiresAt = Instant.ofEpochSecond(Integer.toUnsignedLong(in.getInt()));
            byte[] secret = take(in, SECRET_BYTES);
            int count = in.get() & 0xff;
            List<String> routes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                routes.add(new String(take(in, in.get() & 0xff), StandardCharsets.US_ASCII));
            }
            if (in.hasRemaining()) {
                throw new FleetFormatException("the invite code has trailing bytes");
            }
            return new Invite(fleet, leaderKey, routes, role, expiresAt, secret);
        } catch (java.nio.BufferUnderflowException e) {
            throw new FleetFormatException("the invite code is truncated", e);
        } catch (IllegalArgumentException e) {
            throw new FleetFormatException("invalid invite: " + e.getMessage(), e);
        }
    }

    /** Reads a code as a person typed or pasted it: any case, with spaces, line breaks or extra dashes. */
    public static Invite parse(String typed) {
        String clean = typed.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
        String bare = PREFIX.replace("-", "");
        if (!clean.startsWith(bare)) {
            throw new FleetFormatException("not a Grove invite code (it starts with " + PREFIX + ")");
        }
        return decode(PREFIX + clean.substring(bare.length()));
    }

    /** The first 4 bytes of SHA-256("grove invite code v1" ‖ 0x00 ‖ body): catches typos, not forgery. */
    private static byte[] checksum(byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("grove invite code v1".getBytes(StandardCharsets.US_ASCII));
            sha.update((byte) 0);
            return Arrays.copyOf(sha.digest(body), CHECKSUM_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    private static byte[] take(ByteBuffer in, int n) {
        byte[] out = new byte[n];
        in.get(out);
        return out;
    }

    /** Checks that {@code route} is {@code host:port} as invites and rosters carry it. */
    public static void requireRoute(String route) {
        if (route == null || route.length() > 255 || !ROUTE.matcher(route).matches()
                || Integer.parseInt(route.substring(route.lastIndexOf(':') + 1)) > 65535) {
            throw new IllegalArgumentException("a route is host:port (ASCII, at most 255 characters), not " + route);
        }
    }

    @Override
    public byte[] leaderKey() {
        return leaderKey.clone();
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Invite i && encode().equals(i.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(secret);
    }

    /** Leaves the secret out, so an invite in a log line cannot be redeemed. */
    @Override
    public String toString() {
        return "Invite[fleet=" + fleetId + ", leader=" + leader().shortForm() + ", role=" + role + ", expiresAt="
                + expiresAt + ", routes=" + routes + "]";
    }
}
