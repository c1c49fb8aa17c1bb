package io.grove.runtime.bounty;

import io.grove.runtime.audit.ReplTesting;
import io.grove.runtime.peer.PeerTesting;
import io.grove.runtime.cell.CellKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReceiptTest {
    @TempDir
    Path tmp;
    CellKeys payer;
    CellKeys payee;

    @BeforeEach
    void keys() {
        payer = PeerTesting.keys(tmp.resolve("payer"));
        payee = PeerTesting.keys(tmp.resolve("payee"));
    }

    @Test
    void oneCreditIsOneGibibyteForOneDay() {
        assertThat(Credits.micros(Credits.BYTE_SECONDS_PER_CREDIT)).isEqualTo(1_000_000);
        assertThat(Credits.micros((4L << 20) * 300)).isEqualTo(13); // a 4 MiB chunk for 5 minutes
        assertThat(Credits.micros(Long.MAX_VALUE)).isEqualTo(99_420_539_259L);
    }

    @Test
    void signsVerifiesAndRoundTripsLargeByteSecondsExactly() {
        long byteSeconds = (1L << 40) * 86_400 + 7; // 1 TiB for a day: beyond exact JSON numbers
        Receipt receipt = receipt(3, byteSeconds);
        SignedReceipt signed = SignedReceipt.sign(receipt, payer);

        SignedReceipt read = SignedReceipt.decode(signed.encode());

        assertThat(read).isEqualTo(signed);
        assertThat(read.receipt().byteSeconds()).isEqualTo(byteSeconds);
        assertThat(read.verify(payer.signingPublicKey())).isTrue();
        assertThat(read.verify(payee.signingPublicKey())).isFalse();
        assertThat(new String(signed.encode(), StandardCharsets.UTF_8))
                .contains("\"byteSeconds\":\"" + byteSeconds + "\"").startsWith("{\"receipt\":{\"amount\":");
    }

    @Test
    void aChangedFieldNoLongerVerifies() {
        SignedReceipt signed = SignedReceipt.sign(receipt(3, 1_000_000_000_000L), payer);
        Receipt r = signed.receipt();
        SignedReceipt changed = new SignedReceipt(new Receipt(r.payer(), r.payee(), 4, r.periodStart(), r.periodEnd(),
                r.bytes(), r.byteSeconds(), r.amount()), signed.signature());

        assertThat(changed.verify(payer.signingPublicKey())).isFalse();
    }

    @Test
    void theAmountMustMatchTheByteSeconds() {
        assertThatThrownBy(() -> new Receipt(payer.cellId(), payee.cellId(), 1, 0, 86_400_000, 10,
                Credits.BYTE_SECONDS_PER_CREDIT, 1_000_001)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("amount must be 1000000");
        assertThatThrownBy(() -> new Receipt(payer.cellId(), payer.cellId(), 1, 0, 1, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        // More than a PiB held over the period is not believed.
        assertThatThrownBy(() -> new Receipt(payer.cellId(), payee.cellId(), 1, 0, 999, 0, (1L << 50) * 2 + 1,
                Credits.micros((1L << 50) * 2 + 1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsStrictly() {
        String good = new String(SignedReceipt.sign(receipt(1, 5_000_000_000L), payer).encode(), StandardCharsets.UTF_8);
        for (String bad : new String[]{
                good.replace("\"v\":1", "\"v\":2"),
                good.replace("\"v\":1", "\"v\":1,\"extra\":0"),
                good.replace("\"seq\":1", "\"seq\":\"1\""),
                good.replace("\"seq\":1", "\"seq\":1.5"),
                good.replace("\"byteSeconds\":\"5000000000\"", "\"byteSeconds\":5000000000"),
                good.replace("\"byteSeconds\":\"5000000000\"", "\"byteSeconds\":\"05000000000\""),
                good.replace("\"byteSeconds\":\"5000000000\"", "\"byteSeconds\":\"-5\""),
                good.replace("\"signature\":\"", "\"signature\":\"A"),
                good.replace("\"signature\":\"", "\"sig\":\""),
                "[]", "not json", "{\"receipt\":" + "[".repeat(3000) + "}",
        }) {
            assertThatThrownBy(() -> SignedReceipt.decode(bad.getBytes(StandardCharsets.UTF_8)))
                    .as(bad).isInstanceOfSatisfying(ReceiptException.class,
                            e -> assertThat(e.kind()).isEqualTo(ReceiptException.Kind.INVALID));
        }
    }

    private Receipt receipt(long seq, long byteSeconds) {
        return new Receipt(payer.cellId(), payee.cellId(), seq, 1_700_000_000_000L, 1_700_086_400_000L, 4096,
                byteSeconds, Credits.micros(byteSeconds));
    }
}
