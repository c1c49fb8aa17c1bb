package io.grove.runtime.bounty;

import io.grove.api.transport.Route;
import io.grove.runtime.peer.PeerTesting;
import io.grove.runtime.audit.ReplTesting;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.db.Database;
import io.grove.runtime.peer.PeerCallException;
import io.grove.runtime.peer.PeerClient;
import io.grove.runtime.peer.PeerSigner;
import io.grove.testing.ManualClock;
import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A pushes receipts to B over B's real peer socket on loopback; both ledgers are real SQLite. */
class BountyOperationTest {
    @TempDir
    Path tmp;
    CellKeys a;
    CellKeys b;
    CellKeys c;
    final ManualClock clock = new ManualClock(Instant.now());
    Ledger ledgerA;
    Ledger ledgerB;
    WebServer serverB;
    PeerTesting.HttpTransport http;
    PeerTesting.TestMembership roster;
    Route routeB;

    @BeforeEach
    void start() {
        a = PeerTesting.keys(tmp.resolve("a"));
        b = PeerTesting.keys(tmp.resolve("b"));
        c = PeerTesting.keys(tmp.resolve("c"));
        roster = new PeerTesting.TestMembership().add(a).add(b).add(c);
        ledgerA = new Ledger(Database.open(tmp.resolve("a.db")), a);
        ledgerB = new Ledger(Database.open(tmp.resolve("b.db")), b);
        serverB = ReplTesting.serve(b, roster, clock, List.of(new BountyOperation(ledgerB, clock)));
        http = new PeerTesting.HttpTransport();
        routeB = PeerTesting.HttpTransport.route(b.cellId(), serverB.port());
    }

    @AfterEach
    void stop() {
        http.close();
        serverB.stop();
    }

    @Test
    void thePayeeStoresAPushedReceiptOnceAndCountsItEarned() throws IOException {
        Instant start = clock.instant();
        clock.advance(Duration.ofDays(1));
        ledgerA.accrue(LedgerTest.passed(b, LedgerTest.GIB, start, clock.instant()));
        SignedReceipt receipt = ledgerA.issue(clock.instant(), Duration.ZERO).getFirst();
        PeerClient client = client(a);

        assertThat(BountyClient.push(client, routeB, receipt)).isTrue();
        assertThat(BountyClient.push(client, routeB, receipt)).isFalse();

        assertThat(ledgerB.summary(10).peers()).containsExactly(
                new BountySummary.PeerBalance(a.cellId().value(), 1_000_000, 0, 1_000_000));
    }

    @Test
    void refusesAReceiptRelayedByAnotherMemberOrMalformed() throws IOException {
        Instant start = clock.instant();
        clock.advance(Duration.ofDays(1));
        ledgerA.accrue(LedgerTest.passed(b, LedgerTest.GIB, start, clock.instant()));
        SignedReceipt receipt = ledgerA.issue(clock.instant(), Duration.ZERO).getFirst();

        assertThatThrownBy(() -> BountyClient.push(client(c), routeB, receipt))
                .isInstanceOfSatisfying(PeerCallException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.problem()).contains("invalid-receipt").contains("pushed by its payer");
                });
        assertThatThrownBy(() -> client(a).call(routeB, BountyOperation.NAME,
                "{\"receipt\":{}}".getBytes(StandardCharsets.UTF_8), 4096))
                .isInstanceOfSatisfying(PeerCallException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThat(ledgerB.summary(10).peers()).isEmpty();
    }

    private PeerClient client(CellKeys keys) {
        return PeerClient.of(new PeerSigner(keys, roster, clock), Map.of("http", http), Duration.ofSeconds(20));
    }
}
