package io.grove.runtime.fleet;

import io.grove.testing.ManualClock;

import io.grove.runtime.fleet.FleetTesting.TestCell;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RosterCodecTest {
    @TempDir
    Path tmp;
    private TestCell leader;
    private TestCell bob;
    private SignedRoster signed;

    @BeforeEach
    void roster() {
        ManualClock clock = FleetTesting.clock();
        leader = TestCell.create(tmp, "leader", clock);
        bob = TestCell.create(tmp, "bob", clock);
        leader.book().create("laptop", RosterParameters.DEFAULTS);
        signed = leader.book().add(bob.asMember("nas \"attic\" ☃", Role.FRIEND));
    }

    @Test
    void encodesToCanonicalJsonAndDecodesToTheSameRoster() {
        byte[] encoded = signed.encode();
        String text = new String(encoded, StandardCharsets.UTF_8);

        SignedRoster decoded = SignedRoster.decode(encoded);

        assertThat(decoded).isEqualTo(signed);
        assertThat(decoded.roster()).isEqualTo(signed.roster());
        assertThat(decoded.hash()).isEqualTo(signed.hash()).hasSize(64);
        assertThat(text).startsWith("{\"roster\":{\"createdAt\":").contains("\"role\":\"friend\"")
                .contains("\"parameters\":{\"healingGraceSeconds\":3600,\"replicationFactor\":2,\"syncIntervalSeconds\":300}");
        assertThat(RosterCodec.verify(decoded, leader.keys().signingPublicKey())).isTrue();
        assertThat(RosterCodec.verify(decoded, bob.keys().signingPublicKey())).isFalse();
    }

    @Test
    void rejectsUnknownFields() {
        assertRejected(edit("\"v\":1", "\"v\":1,\"zz\":1"), "unknown fields [zz]");
    }

    @Test
    void rejectsMissingFields() {
        assertRejected(edit(",\"favourite\":false", ""), "lacks fields [favourite]");
    }

    @Test
    void rejectsWrongTypes() {
        assertRejected(edit("\"seq\":2", "\"seq\":\"2\""), "seq must be an integer");
        assertRejected(edit("\"seq\":2", "\"seq\":2.5"), "seq must be an integer");
    }

    @Test
    void rejectsNonCanonicalSpelling() {
        assertRejected(edit("\"seq\":2", "\"seq\": 2"), "canonical");
        assertRejected(edit("\"v\":1", "\"v\":1,\"v\":1"), "canonical");
        byte[] trailing = Arrays.copyOf(signed.encode(), signed.encode().length + 1);
        trailing[trailing.length - 1] = ' ';
        assertRejected(trailing, "canonical");
    }

    @Test
    void rejectsDuplicateMembersALeaderOutsideTheRosterAndIdsThatDoNotMatchKeys() {
        Member leaderMember = signed.roster().leaderMember();
        assertThatThrownBy(() -> new Roster(signed.roster().fleetId(), signed.roster().name(), 3, 0, leaderMember.id(),
                List.of(leaderMember, leaderMember), RosterParameters.DEFAULTS)).hasMessageContaining("listed twice");
        String text = new String(signed.encode(), StandardCharsets.UTF_8);
        String bobId = bob.keys().cellId().value();
        String leaderId = leader.keys().cellId().value();
        String stranger = io.grove.api.CellId.ofPublicKey(new byte[32]).value();
        assertRejected(edit("\"leader\":\"" + leaderId, "\"leader\":\"" + stranger), "not a member");
        // Bob's entry claiming the leader's signing key: the id no longer matches the key.
        String leaderKey = StrictJson.b64(leader.keys().signingPublicKey());
        String bobKey = StrictJson.b64(bob.keys().signingPublicKey());
        assertThat(text).contains(bobKey);
        assertRejected(edit(bobKey, leaderKey), "does not match its signing key");
    }

    @Test
    void rejectsBadKeysAndIds() {
        String bobKey = StrictJson.b64(bob.keys().signingPublicKey());
        assertRejected(edit(bobKey, bobKey.substring(1)), "32 bytes in unpadded base64url");
        assertRejected(edit(bobKey, bobKey.replace(bobKey.charAt(3), '+')), "base64url");
        String bobId = bob.keys().cellId().value();
        assertRejected(edit(bobId, bobId.substring(0, 55) + (bobId.charAt(55) == 'A' ? 'B' : 'A')), "check character");
    }

    @Test
    void rejectsOversizedInputBeforeParsing() {
        assertRejected(new byte[SignedRoster.MAX_BYTES + 1], "at most");
    }

    @Test
    void rejectsParametersOutOfRange() {
        assertRejected(edit("\"replicationFactor\":2", "\"replicationFactor\":17"), "replicationFactor must be 1..16");
        assertRejected(edit("\"syncIntervalSeconds\":300", "\"syncIntervalSeconds\":1"), "syncInterval");
    }

    /** The encoded roster with one textual replacement (which leaves the signature stale, as decode does not care). */
    private byte[] edit(String from, String to) {
        String text = new String(signed.encode(), StandardCharsets.UTF_8);
        assertThat(text).contains(from);
        return text.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to))
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void assertRejected(byte[] bytes, String message) {
        assertThatThrownBy(() -> SignedRoster.decode(bytes)).isInstanceOf(FleetFormatException.class)
                .hasMessageContaining(message);
    }
}
