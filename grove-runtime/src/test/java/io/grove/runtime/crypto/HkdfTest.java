package io.grove.runtime.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HkdfTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] IKM = filled(22, 0x0b);

    @Test
    void matchesRfc5869TestCase1() {
        byte[] okm = Hkdf.derive(IKM, HEX.parseHex("000102030405060708090a0b0c"),
                HEX.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42);

        assertThat(HEX.formatHex(okm)).isEqualTo(
                "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    }

    @Test
    void matchesRfc5869TestCase3WithEmptySaltAndInfo() {
        // The case Grove uses: an empty salt must mean HashLen zero bytes.
        byte[] okm = Hkdf.derive(IKM, new byte[0], "", 42);

        assertThat(HEX.formatHex(okm)).isEqualTo(
                "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
    }

    @Test
    void textInfoIsItsUtf8Bytes() {
        byte[] key = filled(32, 7);

        assertThat(Hkdf.derive(key, new byte[0], "grove gear v1", 64))
                .isEqualTo(Hkdf.derive(key, new byte[0], "grove gear v1".getBytes(), 64))
                .isNotEqualTo(Hkdf.derive(key, new byte[0], "grove gear v2", 64));
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> Hkdf.derive(new byte[0], new byte[0], "x", 32))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hkdf.derive(IKM, null, "x", 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hkdf.derive(IKM, new byte[0], (String) null, 32))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hkdf.derive(IKM, new byte[0], "x", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hkdf.derive(IKM, new byte[0], "x", Hkdf.MAX_LENGTH + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Hkdf.derive(IKM, new byte[0], "x", Hkdf.MAX_LENGTH)).hasSize(8160);
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
