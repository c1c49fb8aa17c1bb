package io.grove.runtime.share;

import io.grove.runtime.cell.CellFolder;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.crypto.RecipientBox;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import javax.crypto.AEADBadTagException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The signed grant format: round trip, strict decoding, and no bit of it can change unnoticed. */
class SignedGrantTest {
    private static Path dir;
    private static CellKeys owner;
    private static CellKeys friend;
    private static CellKeys other;
    private static SignedGrant signed;
    private static byte[] fileKey;

    @BeforeContainer
    static void keys() throws IOException {
        dir = Files.createTempDirectory("grant-test");
        owner = keys("owner");
        friend = keys("friend");
        other = keys("other");
        fileKey = new byte[32];
        new SecureRandom().nextBytes(fileKey);
        String id = Grant.newId(new SecureRandom());
        byte[] box = RecipientBox.seal(friend.agreementPublicKey(), fileKey, Grant.context(id, owner.cellId(), friend.cellId()));
        signed = SignedGrant.sign(new Grant(id, owner.cellId(), friend.cellId(), "docs/a b/ü.txt",
                "a".repeat(64), true, 1_000, 0, box), owner);
    }

    @AfterContainer
    static void clean() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static CellKeys keys(String name) throws IOException {
        CellFolder folder = new CellFolder(dir.resolve(name));
        folder.init(Optional.empty());
        return folder.keys();
    }

    @Example
    void roundTripsVerifiesUnderTheCreatorOnlyAndOpensForTheRecipientOnly() throws Exception {
        SignedGrant decoded = SignedGrant.decode(signed.encode());
        assertThat(decoded).isEqualTo(signed);
        assertThat(decoded.verifies(owner.signingPublicKey())).isTrue();
        assertThat(decoded.verifies(other.signingPublicKey())).isFalse();
        Grant g = decoded.grant();
        byte[] context = Grant.context(g.id(), g.creator(), g.recipient());
        assertThat(RecipientBox.open(friend.agreementPublicKey(), friend::agree, g.wrappedKey(), context)).isEqualTo(fileKey);
        assertThatThrownBy(() -> RecipientBox.open(other.agreementPublicKey(), other::agree, g.wrappedKey(), context))
                .isInstanceOf(AEADBadTagException.class);
        byte[] otherContext = Grant.context(g.id(), g.creator(), other.cellId());
        assertThatThrownBy(() -> RecipientBox.open(friend.agreementPublicKey(), friend::agree, g.wrappedKey(), otherContext))
                .isInstanceOf(AEADBadTagException.class);
    }

    @Example
    void refusesUnknownMissingAndMistypedFields() {
        String json = new String(signed.encode(), java.nio.charset.StandardCharsets.UTF_8);
        for (String bad : new String[]{json.replace("\"scope\":\"read\"", "\"scope\":\"write\""),
                json.replace("\"latest\":true", "\"latest\":\"true\""),
                json.replace("\"v\":1", "\"v\":1,\"extra\":0"),
                json.replace("\"expiresAt\":0,", ""), "[]", "not json"}) {
            assertThatThrownBy(() -> SignedGrant.decode(bad.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .isInstanceOf(GrantException.class);
        }
        assertThatThrownBy(() -> SignedGrant.decode(new byte[SignedGrant.MAX_BYTES + 1])).isInstanceOf(GrantException.class);
    }

    @Property(tries = 300)
    void anyFlippedBitIsRefusedOrFailsTheSignature(@ForAll @IntRange(min = 0, max = 100_000) int position,
                                                   @ForAll @IntRange(min = 0, max = 7) int bit) {
        byte[] bytes = signed.encode();
        bytes[position % bytes.length] ^= (byte) (1 << bit);
        try {
            SignedGrant decoded = SignedGrant.decode(bytes);
            assertThat(decoded.verifies(owner.signingPublicKey())).isFalse();
        } catch (GrantException refused) {
            // refused as malformed: also fine
        }
    }
}
