package io.grove.runtime.fleet;

import io.grove.api.CellId;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decoders face the network: whatever they are fed, they throw {@link FleetFormatException} or return a value
 * that encodes back to exactly the input. 100,000 tries in all; no keys or database, so they stay fast.
 */
class FleetDecodingFuzzTest {
    private static final byte[] VALID_ROSTER = validRoster();
    private static final String VALID_INVITE = new Invite(FleetId.random(), bytes(32, 7),
            List.of("192.168.1.20:5679", "nas.example:5679"), Role.MEMBER, Instant.parse("2030-01-01T00:00:00Z"),
            bytes(16, 9)).encode();

    @Property(tries = 25_000, edgeCases = net.jqwik.api.EdgeCasesMode.NONE)
    void arbitraryBytesNeverBreakRosterDecoding(@ForAll @Size(max = 2048) byte[] input) {
        assertDecodesCleanly(input);
    }

    @Property(tries = 25_000, edgeCases = net.jqwik.api.EdgeCasesMode.NONE)
    void mutatedRostersNeverBreakRosterDecoding(@ForAll("mutatedRosters") byte[] input) {
        assertDecodesCleanly(input);
    }

    @Property(tries = 25_000, edgeCases = net.jqwik.api.EdgeCasesMode.NONE)
    void arbitraryTextNeverBreaksInviteDecoding(@ForAll("codeLikeText") String input) {
        assertInviteDecodesCleanly(input);
    }

    @Property(tries = 25_000, edgeCases = net.jqwik.api.EdgeCasesMode.NONE)
    void mutatedInvitesNeverBreakInviteDecoding(@ForAll("mutatedInvites") String input) {
        assertInviteDecodesCleanly(input);
    }

    @Provide
    Arbitrary<byte[]> mutatedRosters() {
        return mutations(VALID_ROSTER.length).map(edits -> apply(VALID_ROSTER, edits));
    }

    @Provide
    Arbitrary<String> mutatedInvites() {
        byte[] code = VALID_INVITE.getBytes(StandardCharsets.US_ASCII);
        return mutations(code.length).map(edits -> new String(apply(code, edits), StandardCharsets.ISO_8859_1));
    }

    @Provide
    Arbitrary<String> codeLikeText() {
        Arbitrary<String> tail = Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567=-a ").ofMaxLength(300);
        return Arbitraries.oneOf(tail.map(t -> Invite.PREFIX + t), Arbitraries.strings().ofMaxLength(300));
    }

    /** Up to 4 edits: (kind, position, byte), kind 0 = flip bits, 1 = insert, 2 = delete, 3 = truncate. */
    private static Arbitrary<List<int[]>> mutations(int length) {
        Arbitrary<int[]> edit = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, length - 1), Arbitraries.integers().between(0, 255))
                .as((kind, pos, b) -> new int[]{kind, pos, b});
        return edit.list().ofMinSize(1).ofMaxSize(4);
    }

    private static byte[] apply(byte[] original, List<int[]> edits) {
        byte[] out = original;
        for (int[] e : edits) {
            if (out.length == 0) {
                break;
            }
            int pos = Math.min(e[1], out.length - 1);
            switch (e[0]) {
                case 0 -> {
                    out = out.clone();
                    out[pos] ^= (byte) Math.max(e[2], 1);
                }
                case 1 -> {
                    byte[] longer = new byte[out.length + 1];
                    System.arraycopy(out, 0, longer, 0, pos);
                    longer[pos] = (byte) e[2];
                    System.arraycopy(out, pos, longer, pos + 1, out.length - pos);
                    out = longer;
                }
                case 2 -> {
                    byte[] shorter = new byte[out.length - 1];
                    System.arraycopy(out, 0, shorter, 0, pos);
                    System.arraycopy(out, pos + 1, shorter, pos, out.length - pos - 1);
                    out = shorter;
                }
                default -> out = Arrays.copyOf(out, pos);
            }
        }
        return out;
    }

    private static void assertDecodesCleanly(byte[] input) {
        SignedRoster decoded;
        try {
            decoded = SignedRoster.decode(input);
        } catch (FleetFormatException expected) {
            return;
        }
        assertThat(decoded.encode()).isEqualTo(input);
    }

    private static void assertInviteDecodesCleanly(String input) {
        Invite decoded;
        try {
            decoded = Invite.decode(input);
        } catch (FleetFormatException expected) {
            return;
        }
        assertThat(decoded.encode()).isEqualTo(input);
    }

    /** A two-member roster with a made-up signature: decoding checks form, not signatures. */
    private static byte[] validRoster() {
        byte[] k1 = bytes(32, 1);
        byte[] k2 = bytes(32, 2);
        Member a = new Member(CellId.ofPublicKey(k1), k1, bytes(32, 3), "laptop", Role.MEMBER, true);
        Member b = new Member(CellId.ofPublicKey(k2), k2, bytes(32, 4), "nas ☃", Role.FRIEND, false);
        Roster roster = new Roster(FleetId.random(), "fuzz fleet", 7, 1_740_830_400_000L, a.id(), List.of(a, b),
                new RosterParameters(3, Duration.ofMinutes(5), Duration.ofHours(1)));
        return new SignedRoster(roster, RosterCodec.payload(roster), bytes(64, 5)).encode();
    }

    private static byte[] bytes(int n, int seed) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) (seed * 31 + i * 7);
        }
        return out;
    }
}
