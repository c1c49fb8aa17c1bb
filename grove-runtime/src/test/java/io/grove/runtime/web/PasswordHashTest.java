package io.grove.runtime.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordHashTest {
    @TempDir
    Path tmp;

    @Test
    void matchesOnlyThePasswordItWasMadeFrom() {
        PasswordHash hash = PasswordHash.create("correct horse battery", new SecureRandom());
        assertThat(hash.matches("correct horse battery")).isTrue();
        assertThat(hash.matches("correct horse batterY")).isFalse();
        assertThat(hash.matches("")).isFalse();
    }

    @Test
    void roundTripsThroughThePhcStringWithOwaspCost() {
        PasswordHash hash = PasswordHash.create("s3cret-passphrase", new SecureRandom());
        String encoded = hash.encode();
        assertThat(encoded).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain("s3cret");
        PasswordHash parsed = PasswordHash.parse(encoded);
        assertThat(parsed).isEqualTo(hash);
        assertThat(parsed.matches("s3cret-passphrase")).isTrue();
        assertThat(hash.toString()).doesNotContain(encoded.substring(encoded.lastIndexOf('$') + 1));
    }

    @Test
    void twoHashesOfOnePasswordDifferBySalt() {
        SecureRandom random = new SecureRandom();
        assertThat(PasswordHash.create("same password", random).encode())
                .isNotEqualTo(PasswordHash.create("same password", random).encode());
    }

    @Test
    void refusesMalformedOrWeakHashes() {
        assertThatThrownBy(() -> PasswordHash.parse("$2b$12$abcdefghijklmnopqrstuv")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PasswordHash.parse("$argon2id$v=19$m=1024,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$"
                + "A".repeat(43))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cost");
    }

    @Test
    void fileIsPrivateAndReadBack() throws Exception {
        PasswordFile file = new PasswordFile(tmp);
        assertThat(file.exists()).isFalse();
        assertThat(file.read()).isEmpty();
        PasswordHash hash = PasswordHash.create("a long enough password", new SecureRandom());
        file.write(hash);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path()))).isEqualTo("rw-------");
        assertThat(file.read()).contains(hash);

        Files.setPosixFilePermissions(file.path(), PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(file::read).hasMessageContaining("chmod 600");
    }

    @Test
    void policyWantsEightPrintableCharacters() {
        assertThat(PasswordPolicy.check("12345678")).isEqualTo("12345678");
        assertThatThrownBy(() -> PasswordPolicy.check("1234567")).hasMessageContaining("at least 8");
        assertThatThrownBy(() -> PasswordPolicy.check("12345678\n")).hasMessageContaining("control");
        assertThatThrownBy(() -> PasswordPolicy.check("x".repeat(1025))).hasMessageContaining("at most 1024");
    }
}
