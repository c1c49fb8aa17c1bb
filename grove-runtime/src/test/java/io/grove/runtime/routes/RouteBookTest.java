package io.grove.runtime.routes;

import io.grove.api.CellId;
import io.grove.api.transport.Route;
import io.grove.runtime.cell.CellFolder;
import io.grove.runtime.peer.PeerCallException;
import io.grove.runtime.peer.PeerClient;
import io.grove.runtime.peer.PeerMessages;
import io.grove.runtime.peer.PeerProtocol;
import io.grove.runtime.routes.RouteTesting.Forwarder;
import io.grove.runtime.routes.RouteTesting.Self;
import io.grove.runtime.routes.RouteTesting.TestTransport;
import io.grove.runtime.testing.TestCell;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The route book against two real cells on loopback: candidates, ranking, fallback, throughput scheduling, uptime
 * history, discovery and revocation. Each test has its own "self" cell (keys, database, roster, manual clock).
 */
class RouteBookTest {
    /**
     * The delay of the "slow" transport. It must outweigh what a busy machine adds to a loopback median (a CI run
     * once measured a plain route above a 40 ms delay) and what throughput takes off a score (at most about 35 on
     * loopback: a tenth of the MB/s).
     */
    private static final Duration SLOW = Duration.ofMillis(250);
    @TempDir
    static Path cells;
    private static TestCell alpha;
    private static TestCell beta;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startPeers() {
        alpha = TestCell.start(cells.resolve("alpha"), Map.of());
        beta = TestCell.start(cells.resolve("beta"), Map.of());
    }

    @AfterAll
    static void stopPeers() {
        if (alpha != null) {
            alpha.close();
        }
        if (beta != null) {
            beta.close();
        }
    }

    private static CellId alphaId() {
        return alpha.cell().id();
    }

    private static CellId betaId() {
        return beta.cell().id();
    }

    private static URI alphaAddress() {
        return RouteTesting.loopback(alpha.cell().peerPort());
    }

    private static URI betaAddress() {
        return RouteTesting.loopback(beta.cell().peerPort());
    }

    private static PeerMessages.Hello hello() {
        return new PeerMessages.Hello(List.of(PeerProtocol.VERSION), 0, "");
    }

    @Test
    void ranksStoredMeasurementsByLatencyMinusATenthOfThroughputThenUnmeasuredThenFailing() throws Exception {
        TestTransport direct = new TestTransport("direct", Duration.ZERO);
        URI fat = URI.create("http://127.0.0.1:1001");
        URI quick = URI.create("http://127.0.0.1:1002");
        URI plain = URI.create("http://127.0.0.1:1003");
        URI fresh = URI.create("http://127.0.0.1:1004");
        URI failing = URI.create("http://127.0.0.1:1005");
        direct.routes(alphaId(), failing, fresh, plain, quick, fat);
        try (Self self = new Self(tmp.resolve("self"), List.of(alpha), direct)) {
            long now = RouteTesting.START.toEpochMilli();
            // fat: 10 ms, 120 MB/s → −2; quick: 5 ms, 30 MB/s → 2; plain: 3 ms, unmeasured throughput → 3;
            // failing: the best latency, but it failed a second ago; fresh: never measured.
            insert(self, fat, 10.0, 120.0, now, 0, null);
            insert(self, quick, 5.0, 30.0, now, 0, null);
            insert(self, plain, 3.0, null, now, 0, null);
            insert(self, failing, 1.0, 500.0, now - 60_000, 1, now - 1_000);

            List<RankedRoute> ranked = self.book(RouteSettings.defaults()).ranked(alphaId());

            assertThat(ranked).extracting(r -> r.route().address()).containsExactly(fat, quick, plain, fresh, failing);
            assertThat(ranked.get(0).score().getAsDouble()).isCloseTo(-2.0, within(1e-9));
            assertThat(ranked.get(1).score().getAsDouble()).isCloseTo(2.0, within(1e-9));
            assertThat(ranked.get(2).score().getAsDouble()).isCloseTo(3.0, within(1e-9));
            assertThat(ranked.get(2).throughputMBps()).isEmpty();
            assertThat(ranked.get(3).score()).isEmpty();
            assertThat(ranked.get(3).up()).isFalse();
            assertThat(ranked.get(4).consecutiveFailures()).isEqualTo(1);
            assertThat(ranked.get(4).up()).isFalse();
            assertThat(ranked.get(0).up()).isTrue();
            assertThat(ranked.get(0).measuredAt()).contains(RouteTesting.START);
        }
    }

    @Test
    void probingMeasuresEveryRouteAndRanksTheFasterFirst() throws Exception {
        TestTransport slow = new TestTransport("slow", SLOW);
        TestTransport quick = new TestTransport("quick", Duration.ZERO);
        slow.routes(alphaId(), alphaAddress());
        quick.routes(alphaId(), alphaAddress());
        try (Self self = new Self(tmp.resolve("self"), List.of(alpha), slow, quick)) {
            RouteBook book = self.book(RouteSettings.defaults());
            assertThat(book.ranked(alphaId())).extracting(r -> r.route().transport()).containsExactly("slow", "quick");

            PeerHealth health = book.probe(alphaId());

            assertThat(health.routes()).extracting(r -> r.route().transport()).containsExactly("quick", "slow");
            for (RankedRoute route : health.routes()) {
                assertThat(route.latencyMs()).isPresent();
                assertThat(route.throughputMBps()).isPresent();
                assertThat(route.throughputMBps().getAsDouble()).isPositive();
                assertThat(route.score().getAsDouble()).isCloseTo(
                        route.latencyMs().getAsDouble() - route.throughputMBps().getAsDouble() * 0.1, within(1e-9));
                assertThat(route.up()).isTrue();
            }
            assertThat(health.routes().get(1).latencyMs().getAsDouble()).isGreaterThanOrEqualTo((double) SLOW.toMillis());
            assertThat(health.up()).isTrue();
            assertThat(health.lastSeen()).contains(RouteTesting.START);
            assertThat(health.uptime24h()).isEqualTo(1.0);
        }
    }

    @Test
    void aDeadFirstRouteFallsBackToTheNextInTheSameCallAndIsMarkedDown() throws Exception {
        TestTransport direct = new TestTransport("direct", Duration.ZERO);
        URI dead = RouteTesting.loopback(RouteTesting.closedPort());
        direct.routes(alphaId(), dead, alphaAddress());
        try (Self self = new Self(tmp.resolve("self"), List.of(alpha), direct)) {
            RouteBook book = self.book(RouteSettings.defaults());
            PeerClient client = self.client();
            assertThat(book.ranked(alphaId()).get(0).route().address()).isEqualTo(dead);

            AtomicInteger attempts = new AtomicInteger();
            PeerMessages.Hello answer = book.call(alphaId(), route -> {
                attempts.incrementAndGet();
                return client.hello(route, hello());
            });

            assertThat(answer.versions()).contains(PeerProtocol.VERSION);
            assertThat(attempts).hasValue(2);
            List<RankedRoute> ranked = book.ranked(alphaId());
            assertThat(ranked).extracting(r -> r.route().address()).containsExactly(alphaAddress(), dead);
            assertThat(ranked.get(1).consecutiveFailures()).isEqualTo(1);
            assertThat(ranked.get(1).up()).isFalse();
            assertThat(ranked.get(0).up()).isTrue();
            assertThat(book.health(alphaId()).lastSeen()).contains(RouteTesting.START);

            // The next call goes straight to the working route.
            attempts.set(0);
            book.call(alphaId(), route -> {
                attempts.incrementAndGet();
                return client.hello(route, hello());
            });
            assertThat(attempts).hasValue(1);
        }
    }

    @Test
    void callOutcomesAreStoredAMinuteLaterAndOnClose() throws Exception {
        TestTransport direct = new TestTransport("direct", Duration.ZERO);
        URI dead = RouteTesting.loopback(RouteTesting.closedPort());
        direct.routes(alphaId(), dead, alphaAddress());
        try (Self self = new Self(tmp.resolve("self"), List.of(alpha), direct)) {
            RouteBook book = self.book(RouteSettings.defaults());
            PeerClient client = self.client();
            book.call(alphaId(), route -> client.hello(route, hello()));
            assertThat(storedFailures(self, dead)).isEmpty();

            self.clock.advance(Duration.ofMinutes(1));
            book.call(alphaId(), route -> client.hello(route, hello()));
            assertThat(storedFailures(self, dead)).contains(1);
            assertThat(storedLastSeen(self)).contains(RouteTesting.START.plus(Duration.ofMinutes(1)).toEpochMilli());

            self.clock.advance(Duration.ofSeconds(5));
            book.call(alphaId(), route -> client.hello(route, hello()));
            book.close();
            assertThat(storedLastSeen(self)).contains(RouteTesting.START.plus(Duration.ofSeconds(65)).toEpochMilli());

            RouteBook restarted = self.book(RouteSettings.defaults());
            assertThat(restarted.ranked(alphaId())).extracting(r -> r.route().address())
                    .containsExactly(alphaAddress(), dead);
            assertThat(restarted.health(alphaId()).lastSeen())
                    .contains(RouteTesting.START.plus(Duration.ofSeconds(65)));
        }
    }

    private static Optional<Integer> storedFailures(Self self, URI address) {
        return self.db.jdbi().withHandle(h -> h.createQuery("SELECT failures FROM route_stats WHERE address = ?")
                .bind(0, address.toString()).mapTo(Integer.class).findOne());
    }

    private static Optional<Long> storedLastSeen(Self self) {
        return self.db.jdbi().withHandle(h -> h.createQuery("SELECT last_seen FROM peer_seen WHERE peer = ?")
                .bind(0, alphaId().value()).mapTo(Long.class).findOne());
    }

    @Test
    void theBestMeasuredRouteGoingDownFallsBackToTheNextOne() throws Exception {
        TestTransport relayed = new TestTransport("relayed", Duration.ZERO);
        TestTransport slow = new TestTransport("slow", SLOW);
        try (Forwarder forwarder = new Forwarder(alpha.cell().peerPort())) {
            URI cut = RouteTesting.loopback(forwarder.port());
            relayed.routes(alphaId(), cut);
            slow.routes(alphaId(), alphaAddress());
            try (Self self = new Self(tmp.resolve("self"), List.of(alpha), slow, relayed)) {
                RouteBook book = self.book(RouteSettings.defaults());
                PeerClient client = self.client();
                book.probe(alphaId());
                assertThat(book.ranked(alphaId()).get(0).route().address()).isEqualTo(cut);
                forwarder.close();
                List<String> used = new java.util.ArrayList<>();
                book.call(alphaId(), route -> {
                    used.add(route.transport());
                    return client.hello(route, hello());
                });
                assertThat(used).containsExactly("relayed", "slow");
                List<RankedRoute> ranked = book.ranked(alphaId());
                assertThat(ranked.get(0).route().transport()).isEqualTo("slow");
                assertThat(ranked.get(1).route().address()).isEqualTo(cut);
                assertThat(ranked.get(1).up()).isFalse();
                assertThat(book.health(alphaId()).up()).isTrue();
            }
        }
    }

    @Test
    void aRouteAnsweredByAnotherCellIsNotTrustedAndTheNextIsTried() throws Exception {
        TestTransport direct = new TestTransport("direct", Duration.ZERO);
        direct.routes(alphaId(), betaAddress(), alphaAddress());
        try (Self self = new Self(tmp.resolve("self"), List.of(alpha, beta), direct)) {
            RouteBook book = self.book(RouteSettings.defaults());
            PeerClient client = self.client();

            book.call(alphaId(), route -> client.hello(route, hello()));

            List<RankedRoute> ranked = book.ranked(alphaId());
            assertThat(ranked.get(0).route().address()).isEqualTo(alphaAddress());
            assertThat(ranked.get(1).route().address()).isEqualTo(betaAddress());
            assertThat(ranked.get(1).consecutiveFailures()).isEqualTo(1);
        }
    }

    @Test
    void everyRouteFailingNamesThePeerAndEachAttempt() throws Exception {
        TestTransport direct = new TestTransport("direct", Duration.ZERO);
        URI first = RouteTesting.loopback(RouteTesting.closedPort());
        URI second = RouteTesting.loopback(RouteTesting.closedPort());
        direct.routes(alphaId(), first, second);
        try (Self self = new Self(tmp.resolve("self"), List.of(alpha), direct)) {
            RouteBook book = self.book(RouteSettings.defaults());
            PeerClient client = self.client();

            assertThatThrownBy(() -> book.call(alphaId(), route -> client.hello(route, hello())))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(alphaId().shortForm())
                    .hasMessageContaining("2 route(s)")
                    .hasMessageContaining(first.toString())
                    .hasMessageContaining(second.toString());
            assertThat(book.health(alphaId()).up()).isFalse();
            assertThat(book.health(alphaId()).lastSeen()).isEmpty();
        }
    }

    @Test
    void aSignedRefusalIsThePeerAnsweringSoNoOtherRouteIsTried() throws Exception {
        TestTransport direct = new TestTransport("direct", Duration.ZERO);
        direct.routes(alphaId(), alphaAddress(), RouteTesting.loopback(RouteTesting.closedPort()));
        try (Self self = new Self(tmp.resolve("self"), List.of(alpha), direct)) {
            RouteBook book = self.book(RouteSettings.defaults());
            PeerClient client = self.client();
            AtomicInteger attempts = new AtomicInteger();

            assertThatThrownBy(() -> book.call(alphaId(), route -> {
                attempts.incrementAndGet();
                return client.call(route, "no.such-operation", new byte[0], 1024);
            })).isInstanceOf(PeerCallException.class);

            assertThat(attempts).hasValue(1);
            assertThat(book.ranked(alphaId()).get(0).up()).isTrue();
            assertThat(book.health(alphaId()).lastSeen()).contains(RouteTesting.START);
        }
    }

    @Test
    void aPeerThatRefusesUsIsSeenButNotMeasured() throws Exception {
        TestTransport direct = new TestTransport("direct", Duration.ZERO);
        direct.routes(betaId(), betaAddress());
        try (Self self = new Self(tmp.resolve("self"), List.of(), direct)) {
            // We list beta, but beta's roster does not list us: it answers every request with a signed 403.
            self.roster.add(RouteTesting.member(beta.cell().folder().keys(), "beta"));
            RouteBook book = self.book(RouteSettings.defaults());

            PeerHealth health = book.probe(betaId());

            assertThat(health.up()).isTrue();
            assertThat(health.lastSeen()).contains(RouteTesting.START);
            assertThat(health.uptime24h()).isEqualTo(1.0);
            assertThat(health.routes().get(0).latencyMs()).isEmpty();
            assertThat(direct.count(betaId(), RouteBook.THROUGHPUT_PING_BYTES)).isZero();
        }
    }

    @Test
    void loopbackFiguresArePlausible() throws Exception {
        TestTransport direct = new TestTransport("direct", Duration.ZERO);
        direct.routes(alphaId(), alphaAddress());
        try (Self self = new Self(tmp.resolve("self"), List.of(alpha), direct)) {
            RouteBook book = self.book(RouteSettings.defaults());
            int rounds = 7;
            double[] latency = new double[rounds];
            double[] throughput = new double[rounds];
            double[] probeMs = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                long start = System.nanoTime();
                RankedRoute route = book.probe(alphaId()).routes().get(0);
                probeMs[i] = (System.nanoTime() - start) / 1e6;
                latency[i] = route.latencyMs().getAsDouble();
                throughput[i] = route.throughputMBps().getAsDouble();
                self.clock.advance(RouteSettings.defaults().throughputInterval());
            }
            java.util.Arrays.sort(latency);
            java.util.Arrays.sort(throughput);
            java.util.Arrays.sort(probeMs);
            // Printed for docs/fleet.md; the first round includes JIT warm-up and new connections.
            System.out.printf(java.util.Locale.ROOT, "routes loopback over %d probes: latency median %.2f ms (min %.2f),"
                            + " throughput median %.1f MB/s (max %.1f), probe of one route median %.1f ms (max %.1f)%n",
                    rounds, latency[rounds / 2], latency[0], throughput[rounds / 2], throughput[rounds - 1],
                    probeMs[rounds / 2], probeMs[rounds - 1]);
            // Wide bounds: these are wall-clock figures, and a loaded build machine stretches them.
            assertThat(latency[rounds / 2]).isBetween(0.0, 30_000.0);
            assertThat(throughput[rounds / 2]).isBetween(0.0, 100_000.0).isNotZero();
        }
    }

    @Test
    void throughputIsMeasuredOnlyWhenDue() throws Exception {
        TestTransport direct = new TestTransport("direct", Duration.ZERO);
        direct.routes(alphaId(), alphaAddress());
        try (Self self = new Self(tmp.resolve("self"), List.of(alpha), direct)) {
            RouteBook book = self.book(RouteSettings.defaults());
            long big = RouteBook.THROUGHPUT_PING_BYTES;
            long small = RouteBook.LATENCY_PING_BYTES;

            RankedRoute first = book.probe(alphaId()).routes().get(0);
            assertThat(direct.count(alphaId(), big)).isEqualTo(1);
            assertThat(direct.count(alphaId(), small)).isEqualTo(RouteBook.LATENCY_SAMPLES);
            assertThat(first.throughputAt()).contains(RouteTesting.START);

            self.clock.advance(Duration.ofHours(1));
            RankedRoute second = book.probe(alphaId()).routes().get(0);
            assertThat(direct.count(alphaId(), big)).isEqualTo(1);
            assertThat(direct.count(alphaId(), small)).isEqualTo(2L * RouteBook.LATENCY_SAMPLES);
            assertThat(second.measuredAt()).contains(RouteTesting.START.plus(Duration.ofHours(1)));
            assertThat(second.throughputAt()).contains(RouteTesting.START);
            assertThat(second.throughputMBps()).isEqualTo(first.throughputMBps());

            self.clock.advance(Duration.ofHours(5));
            RankedRoute third = book.probe(alphaId()).routes().get(0);
            assertThat(direct.count(alphaId(), big)).isEqualTo(2);
            assertThat(third.throughputAt()).contains(RouteTesting.START.plus(Duration.ofHours(6)));
        }
    }

    @Test
    void uptimeIsKeptInHourlyBucketsThatSurviveARestartAndArePruned() throws Exception {
        TestTransport direct = new TestTransport("direct", Duration.ZERO);
        URI dead = RouteTesting.loopback(RouteTesting.closedPort());
        try (Self self = new Self(tmp.resolve("self"), List.of(alpha), direct)) {
            RouteBook book = self.book(RouteSettings.defaults());
            // Three hours reachable, then one hour only over a dead route.
            for (int hour = 0; hour < 4; hour++) {
                direct.routes(alphaId(), hour < 3 ? alphaAddress() : dead);
                book.probe(alphaId());
                self.clock.advance(Duration.ofHours(1));
            }
            self.clock.advance(Duration.ofMinutes(-1));
            PeerHealth health = book.health(alphaId());
            assertThat(health.uptime24h()).isEqualTo(0.75);
            assertThat(health.uptime7d()).isEqualTo(0.75);
            assertThat(health.up()).isFalse();
            assertThat(health.lastSeen()).contains(RouteTesting.START.plus(Duration.ofHours(2)));
            assertThat(book.uptimeBuckets(alphaId())).isEqualTo(4);
            book.close();

            RouteBook restarted = self.book(RouteSettings.defaults());
            assertThat(restarted.health(alphaId()).uptime24h()).isEqualTo(0.75);
            assertThat(restarted.health(alphaId()).lastSeen()).contains(RouteTesting.START.plus(Duration.ofHours(2)));

            self.clock.advance(Duration.ofDays(2));
            assertThat(restarted.health(alphaId()).uptime24h()).isZero();
            assertThat(restarted.health(alphaId()).uptime7d()).isEqualTo(0.75);

            direct.routes(alphaId(), alphaAddress());
            self.clock.advance(Duration.ofDays(31));
            restarted.probeAll();
            assertThat(restarted.uptimeBuckets(alphaId())).isEqualTo(1);
            assertThat(restarted.health(alphaId()).uptime7d()).isEqualTo(1.0);
        }
    }

    @Test
    void nonMembersAreOnlyNearbyWhileMembersDiscoveredRoutesBecomeCandidates() throws Exception {
        TestTransport lan = new TestTransport("lan", Duration.ZERO);
        try (Self self = new Self(tmp.resolve("self"), List.of(alpha), lan)) {
            RouteBook book = self.book(RouteSettings.defaults());
            CellFolder strangerFolder = new CellFolder(Files.createDirectories(tmp.resolve("stranger")));
            strangerFolder.init(Optional.empty());
            CellId stranger = strangerFolder.keys().cellId();
            Route strangerRoute = lan.route(stranger, URI.create("http://127.0.0.1:7001"));
            Route alphaRoute = lan.route(alphaId(), alphaAddress());
            Route elsewhere = new Route(alphaId(), "not-running", alphaAddress());

            book.discovered(strangerRoute);
            book.discovered(alphaRoute);
            book.discovered(elsewhere);
            book.discovered(lan.route(self.keys.cellId(), URI.create("http://127.0.0.1:7002")));

            assertThat(book.nearby()).extracting(Nearby::cell).containsExactly(stranger);
            assertThat(book.nearby().get(0).seenAt()).isEqualTo(RouteTesting.START);
            assertThat(book.ranked(stranger)).isEmpty();
            assertThatThrownBy(() -> book.call(stranger, route -> "never"))
                    .isInstanceOf(IOException.class).hasMessageContaining("not a member");
            assertThat(book.ranked(alphaId())).extracting(RankedRoute::route).containsExactly(alphaRoute);
            assertThat(book.probe(alphaId()).up()).isTrue();

            self.clock.advance(Duration.ofMinutes(11));
            assertThat(book.nearby()).isEmpty();

            book.lost(alphaRoute);
            assertThat(book.ranked(alphaId())).isEmpty();
        }
    }

    @Test
    void aNearbyCellThatJoinsBecomesACandidate() throws Exception {
        TestTransport lan = new TestTransport("lan", Duration.ZERO);
        try (Self self = new Self(tmp.resolve("self"), List.of(), lan)) {
            RouteTesting.admit(beta, self.keys);
            RouteBook book = self.book(RouteSettings.defaults());
            Route betaRoute = lan.route(betaId(), betaAddress());
            book.discovered(betaRoute);
            assertThat(book.nearby()).extracting(Nearby::cell).containsExactly(betaId());

            self.roster.add(RouteTesting.member(beta.cell().folder().keys(), "beta"));

            assertThat(book.nearby()).isEmpty();
            assertThat(book.ranked(betaId())).extracting(RankedRoute::route).containsExactly(betaRoute);
            assertThat(book.probe(betaId()).up()).isTrue();
        }
    }

    @Test
    void probeAllProbesCurrentMembersOnlyAndForgetsRevokedOnes() throws Exception {
        TestTransport direct = new TestTransport("direct", Duration.ZERO);
        direct.routes(alphaId(), alphaAddress());
        direct.routes(betaId(), betaAddress());
        try (Self self = new Self(tmp.resolve("self"), List.of(alpha, beta), direct)) {
            RouteBook book = self.book(RouteSettings.defaults());
            book.probeAll();
            assertThat(direct.count(alphaId())).isPositive();
            assertThat(direct.count(betaId())).isPositive();
            assertThat(direct.count(self.keys.cellId())).isZero();
            assertThat(book.uptimeBuckets(betaId())).isEqualTo(1);

            self.roster.revoke(betaId());
            long betaBefore = direct.count(betaId());
            long alphaBefore = direct.count(alphaId());
            self.clock.advance(Duration.ofMinutes(1));
            book.probeAll();

            assertThat(direct.count(betaId())).isEqualTo(betaBefore);
            assertThat(direct.count(alphaId())).isGreaterThan(alphaBefore);
            assertThat(book.ranked(betaId())).isEmpty();
            assertThat(book.health(betaId()).lastSeen()).isEmpty();
            assertThat(book.uptimeBuckets(betaId())).isZero();
            assertThat(book.uptimeBuckets(alphaId())).isEqualTo(1);
            assertThatThrownBy(() -> book.call(betaId(), route -> "never")).isInstanceOf(IOException.class);
        }
    }

    @Test
    void startProbesInTheBackgroundAndCloseStopsIt() throws Exception {
        TestTransport direct = new TestTransport("direct", Duration.ZERO);
        direct.routes(alphaId(), alphaAddress());
        try (Self self = new Self(tmp.resolve("self"), List.of(alpha), direct)) {
            RouteBook book = self.book(RouteSettings.defaults());
            book.start();
            Instant deadline = Instant.now().plusSeconds(20);
            while (book.health(alphaId()).lastSeen().isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(20);
            }
            assertThat(book.health(alphaId()).up()).isTrue();
            assertThatThrownBy(book::start).isInstanceOf(IllegalStateException.class);
            book.close();
            long carried = direct.count(alphaId());
            Thread.sleep(200);
            assertThat(direct.count(alphaId())).isEqualTo(carried);
        }
    }

    private static void insert(Self self, URI address, double latency, Double throughput, long measuredAt,
                               int failures, Long failedAt) {
        self.db.jdbi().useHandle(h -> h.createUpdate("INSERT INTO route_stats (peer, transport, address, latency_ms,"
                        + " throughput_mbps, measured_at, throughput_at, failures, failed_at, ok_at)"
                        + " VALUES (?, 'direct', ?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(0, alphaId().value()).bind(1, address.toString()).bind(2, latency).bind(3, throughput)
                .bind(4, measuredAt).bind(5, throughput == null ? null : measuredAt).bind(6, failures)
                .bind(7, failedAt).bind(8, failures == 0 ? measuredAt : null).execute());
    }
}
