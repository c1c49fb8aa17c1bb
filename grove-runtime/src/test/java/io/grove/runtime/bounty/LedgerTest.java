package io.grove.runtime.bounty;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.api.ChunkId;
import io.grove.runtime.peer.PeerTesting;
import io.grove.runtime.audit.AuditResult;
import io.grove.runtime.audit.ReplTesting;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.db.Database;
import io.grove.runtime.fleet.Member;
import io.grove.runtime.json.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two cells' ledgers, each on its own real SQLite database: A's data held by B. */
class LedgerTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final long GIB = 1L << 30;

    @TempDir
    Path tmp;
    CellKeys a;
    CellKeys b;
    CellKeys c;
    Ledger ledgerA;
    Ledger ledgerB;
    PeerTesting.TestMembership roster;

    @BeforeEach
    void open() {
        a = PeerTesting.keys(tmp.resolve("a"));
        b = PeerTesting.keys(tmp.resolve("b"));
        c = PeerTesting.keys(tmp.resolve("c"));
        roster = new PeerTesting.TestMembership().add(a).add(b).add(c);
        ledgerA = new Ledger(Database.open(tmp.resolve("a.db")), a);
        ledgerB = new Ledger(Database.open(tmp.resolve("b.db")), b);
    }

    @Test
    void passedAuditsOweTheHolderBytesTimesTimeSettledByAReceiptBothSidesCount() {
        // B proves a 1 GiB... of copies: two chunks, audited after half a day each, then again after another half.
        Instant half = T0.plus(Duration.ofHours(12));
        Instant day = T0.plus(Duration.ofDays(1));
        ledgerA.accrue(passed(b, GIB / 2, T0, half));
        ledgerA.accrue(passed(b, GIB / 2, T0, half));
        ledgerA.accrue(passed(b, GIB / 2, half, day));
        ledgerA.accrue(passed(b, GIB / 2, half, day));
        ledgerA.accrue(new AuditResult(chunk(9), b.cellId(), GIB, AuditResult.Outcome.FAILED, T0, day));
        assertThat(ledgerA.accrued(b.cellId())).isEqualTo(GIB * 86_400);

        List<SignedReceipt> issued = ledgerA.issue(day, Duration.ofHours(1));

        assertThat(issued).singleElement().satisfies(s -> {
            Receipt r = s.receipt();
            assertThat(r.payer()).isEqualTo(a.cellId());
            assertThat(r.payee()).isEqualTo(b.cellId());
            assertThat(r.seq()).isEqualTo(1);
            assertThat(r.amount()).isEqualTo(1_000_000); // one credit: 1 GiB for a day
            assertThat(r.periodStart()).isEqualTo(T0.toEpochMilli());
            assertThat(r.periodEnd()).isEqualTo(day.toEpochMilli());
            assertThat(r.bytes()).isEqualTo(2 * GIB);
        });
        assertThat(ledgerA.accrued(b.cellId())).isZero();
        assertThat(ledgerA.undelivered(10)).isEqualTo(issued);

        assertThat(ledgerB.receive(issued.getFirst(), member(a), day)).isTrue();
        assertThat(ledgerB.receive(issued.getFirst(), member(a), day)).as("again: already stored").isFalse();
        ledgerA.delivered(issued.getFirst().receipt());
        assertThat(ledgerA.undelivered(10)).isEmpty();

        BountySummary atA = ledgerA.summary(10);
        BountySummary atB = ledgerB.summary(10);
        assertThat(atA.balance()).isEqualTo(-1_000_000);
        assertThat(atA.peers()).containsExactly(new BountySummary.PeerBalance(b.cellId().value(), 0, 1_000_000, -1_000_000));
        assertThat(atB.balance()).isEqualTo(1_000_000);
        assertThat(atB.peers()).containsExactly(new BountySummary.PeerBalance(a.cellId().value(), 1_000_000, 0, 1_000_000));
        assertThat(atB.recent()).singleElement().satisfies(r -> {
            assertThat(r.direction()).isEqualTo("earned");
            assertThat(r.signed().get("receipt").get("amount").asLong()).isEqualTo(1_000_000);
        });
        assertThat(atA.recent()).singleElement().satisfies(r -> {
            assertThat(r.direction()).isEqualTo("spent");
            assertThat(r.delivered()).isTrue();
        });
    }

    @Test
    void theSummaryIsTheRestBody() throws Exception {
        ledgerA.accrue(passed(b, GIB, T0, T0.plus(Duration.ofDays(2))));
        ledgerA.issue(T0.plus(Duration.ofDays(2)), Duration.ZERO);

        JsonNode json = Json.mapper().readTree(Json.mapper().writeValueAsBytes(ledgerA.summary(5)));

        assertThat(json.get("unit").asText()).isEqualTo("microcredit");
        assertThat(json.get("balance").asLong()).isEqualTo(-2_000_000);
        assertThat(json.get("peers").get(0).get("cell").asText()).isEqualTo(b.cellId().value());
        assertThat(json.get("peers").get(0).get("spent").asLong()).isEqualTo(2_000_000);
        assertThat(json.get("recent").get(0).get("signed").get("signature").asText()).hasSize(86);
        assertThat(json.get("recent").get(0).get("delivered").asBoolean()).isFalse();
    }

    @Test
    void receiptsAreIssuedOnlyOncePeriodAndWorthAreReachedAndNumberedInOrder() {
        ledgerA.accrue(passed(b, 4 << 20, T0, T0.plus(Duration.ofSeconds(10)))); // under one micro-credit
        assertThat(ledgerA.issue(T0.plus(Duration.ofDays(2)), Duration.ZERO)).isEmpty();

        ledgerA.accrue(passed(b, GIB, T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2))));
        assertThat(ledgerA.issue(T0.plus(Duration.ofHours(2)), Duration.ofDays(1))).as("period too short").isEmpty();
        List<SignedReceipt> first = ledgerA.issue(T0.plus(Duration.ofDays(1)), Duration.ofDays(1));
        assertThat(first).singleElement().satisfies(s -> assertThat(s.receipt().seq()).isEqualTo(1));

        ledgerA.accrue(passed(b, GIB, T0.plus(Duration.ofDays(1)), T0.plus(Duration.ofDays(2))));
        ledgerA.accrue(passed(c, GIB, T0.plus(Duration.ofDays(1)), T0.plus(Duration.ofDays(2))));
        List<SignedReceipt> second = ledgerA.issue(T0.plus(Duration.ofDays(2)), Duration.ofDays(1));
        assertThat(second).extracting(s -> s.receipt().payee().value() + "#" + s.receipt().seq())
                .containsExactlyInAnyOrder(b.cellId().value() + "#2", c.cellId().value() + "#1");
    }

    @Test
    void oneAuditPaysForAtMostThirtyDays() {
        ledgerA.accrue(passed(b, 1000, T0, T0.plus(Duration.ofDays(365))));

        assertThat(ledgerA.accrued(b.cellId())).isEqualTo(1000L * 30 * 86_400);
    }

    @Test
    void refusesReceiptsNotForUsNotFromTheirPayerOrNotSignedByIt() {
        Instant day = T0.plus(Duration.ofDays(1));
        ledgerA.accrue(passed(b, GIB, T0, day));
        SignedReceipt signed = ledgerA.issue(day, Duration.ZERO).getFirst();
        Ledger ledgerC = new Ledger(Database.open(tmp.resolve("c.db")), c);

        assertThatThrownBy(() -> ledgerC.receive(signed, member(a), day)).hasMessageContaining("not this cell");
        assertThatThrownBy(() -> ledgerB.receive(signed, member(c), day)).hasMessageContaining("pushed by its payer");
        SignedReceipt forged = new SignedReceipt(signed.receipt(), c.sign(SignedReceipt.SIGNATURE_LABEL,
                SignedReceipt.payload(signed.receipt())));
        assertThatThrownBy(() -> ledgerB.receive(forged, member(a), day)).hasMessageContaining("not signed by its payer");
        assertThatThrownBy(() -> ledgerB.receive(signed, member(a), T0)).hasMessageContaining("has not ended");
        assertThat(ledgerB.summary(10).peers()).isEmpty();
    }

    @Test
    void aSecondReceiptWithTheSameNumberIsAConflictAndOldNumbersAreStale() {
        Instant day = T0.plus(Duration.ofDays(1));
        Receipt one = new Receipt(a.cellId(), b.cellId(), 5, T0.toEpochMilli(), day.toEpochMilli(), GIB,
                GIB * 86_400, 1_000_000);
        Receipt other = new Receipt(a.cellId(), b.cellId(), 5, T0.toEpochMilli(), day.toEpochMilli(), GIB,
                GIB * 43_200, 500_000);
        Receipt older = new Receipt(a.cellId(), b.cellId(), 4, T0.toEpochMilli(), day.toEpochMilli(), GIB,
                GIB * 43_200, 500_000);
        assertThat(ledgerB.receive(SignedReceipt.sign(one, a), member(a), day)).isTrue();

        assertThatThrownBy(() -> ledgerB.receive(SignedReceipt.sign(other, a), member(a), day))
                .isInstanceOfSatisfying(ReceiptException.class,
                        e -> assertThat(e.kind()).isEqualTo(ReceiptException.Kind.CONFLICT));
        assertThatThrownBy(() -> ledgerB.receive(SignedReceipt.sign(older, a), member(a), day))
                .isInstanceOfSatisfying(ReceiptException.class,
                        e -> assertThat(e.kind()).isEqualTo(ReceiptException.Kind.STALE));
        assertThat(ledgerB.summary(10).balance()).isEqualTo(1_000_000);
    }

    @Test
    void keepsABoundedHistoryButExactTotals() {
        Instant at = T0;
        for (int i = 1; i <= Ledger.KEPT_PER_PEER + 5; i++) {
            Instant next = at.plus(Duration.ofMinutes(30));
            Receipt r = new Receipt(a.cellId(), b.cellId(), i, at.toEpochMilli(), next.toEpochMilli(), GIB,
                    Credits.BYTE_SECONDS_PER_CREDIT, 1_000_000);
            ledgerB.receive(SignedReceipt.sign(r, a), member(a), next);
            at = next;
        }
        Database db = Database.open(tmp.resolve("b.db"));
        int kept = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM bounty_receipts").mapTo(Integer.class).one());

        assertThat(kept).isEqualTo(Ledger.KEPT_PER_PEER);
        assertThat(ledgerB.summary(1).balance()).isEqualTo((Ledger.KEPT_PER_PEER + 5) * 1_000_000L);
        assertThat(ledgerB.summary(1).recent()).singleElement().satisfies(r ->
                assertThat(r.signed().get("receipt").get("seq").asLong()).isEqualTo(Ledger.KEPT_PER_PEER + 5));
    }

    private Member member(CellKeys keys) {
        return roster.member(keys.cellId()).orElseThrow();
    }

    static AuditResult passed(CellKeys holder, long bytes, Instant since, Instant at) {
        return new AuditResult(chunk((int) (bytes % 97)), holder.cellId(), bytes, AuditResult.Outcome.PASSED, since, at);
    }

    static ChunkId chunk(int n) {
        return ChunkId.of(String.format("%064x", n));
    }
}
