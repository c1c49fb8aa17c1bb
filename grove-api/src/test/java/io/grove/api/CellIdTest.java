package io.grove.api;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CellIdTest {
    private static CellId sample(long seed) {
        byte[] key = new byte[32];
        new Random(seed).nextBytes(key);
        return CellId.ofPublicKey(key);
    }

    @Test
    void isFiftySixBase32CharactersShownAsEightGroupsOfSeven() {
        CellId id = sample(1);
        assertThat(id.value()).hasSize(56).matches("[A-Z2-7]+");
        assertThat(id.grouped()).matches("([A-Z2-7]{7}-){7}[A-Z2-7]{7}");
    }

    @Test
    void parsesTheGroupedFormInAnyCase() {
        CellId id = sample(2);
        assertThat(CellId.parse(id.grouped().toLowerCase())).isEqualTo(id);
        assertThat(CellId.parse(id.grouped().replace('-', ' '))).isEqualTo(id);
    }

    @Test
    void rejectsEverySingleCharacterTypo() {
        CellId id = sample(3);
        String value = id.value();
        for (int i = 0; i < value.length(); i++) {
            for (char c : CellId.ALPHABET.toCharArray()) {
                if (c == value.charAt(i)) {
                    continue;
                }
                String typo = value.substring(0, i) + c + value.substring(i + 1);
                assertThatThrownBy(() -> new CellId(typo)).isInstanceOf(IllegalArgumentException.class);
            }
        }
    }

    @Test
    void rejectsWrongLengthAndAlphabet() {
        assertThatThrownBy(() -> new CellId("ABC")).hasMessageContaining("56");
        assertThatThrownBy(() -> CellId.parse(sample(4).value().replace(sample(4).value().charAt(0), '1')))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CellId.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isDerivedFromTheKeyDeterministically() {
        assertThat(sample(5)).isEqualTo(sample(5)).isNotEqualTo(sample(6));
    }
}
