package io.grove.transport.lan;

import io.grove.api.CellId;
import io.grove.api.transport.Route;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Tracking announcements: each route is reported once when it appears and once when its last offer goes. */
class LanPeersTest {
    private static final CellId A = RecordingHost.randomCell();
    private static final CellId B = RecordingHost.randomCell();

    private final RecordingHost host = new RecordingHost(RecordingHost.randomCell());
    private final LanPeers peers = new LanPeers("lan", 3, System.getLogger("test"));

    LanPeersTest() {
        peers.reportTo(host);
    }

    @Test
    void reportsAnAnnouncedCellOnceAndItsRoutesUntilItGoes() {
        peers.seen("10.0.0.1 a", announcement(A, "http://10.0.0.7:5679", "http://[2001:db8::7]:5679"));
        peers.seen("10.0.0.1 a", announcement(A, "http://10.0.0.7:5679", "http://[2001:db8::7]:5679"));

        assertThat(peers.routes(A)).extracting(Route::address).containsExactly(URI.create("http://10.0.0.7:5679"),
                URI.create("http://[2001:db8::7]:5679"));
        assertThat(peers.routes(A)).allSatisfy(r -> assertThat(r.transport()).isEqualTo("lan"));
        assertThat(peers.routes(B)).isEmpty();
        assertThat(host.events()).containsExactly("discovered " + A + " http://10.0.0.7:5679",
                "discovered " + A + " http://[2001:db8::7]:5679");

        peers.gone("10.0.0.1 a");
        peers.gone("10.0.0.1 a");

        assertThat(peers.routes(A)).isEmpty();
        assertThat(host.events()).endsWith("lost " + A + " http://10.0.0.7:5679", "lost " + A + " http://[2001:db8::7]:5679")
                .hasSize(4);
    }

    @Test
    void reportsAMovedCellAsLostThenDiscovered() {
        peers.seen("10.0.0.1 a", announcement(A, "http://10.0.0.7:5679"));
        peers.seen("10.0.0.1 a", announcement(A, "http://10.0.0.8:5679"));

        assertThat(host.events()).containsExactly("discovered " + A + " http://10.0.0.7:5679",
                "lost " + A + " http://10.0.0.7:5679", "discovered " + A + " http://10.0.0.8:5679");
        assertThat(peers.routes(A)).extracting(Route::address).containsExactly(URI.create("http://10.0.0.8:5679"));
    }

    @Test
    void keepsARouteWhileAnyInterfaceStillHearsIt() {
        peers.seen("10.0.0.1 a", announcement(A, "http://10.0.0.7:5679"));
        peers.seen("192.168.1.2 a", announcement(A, "http://10.0.0.7:5679"));
        peers.gone("10.0.0.1 a");

        assertThat(peers.routes(A)).hasSize(1);
        assertThat(host.events()).containsExactly("discovered " + A + " http://10.0.0.7:5679");

        peers.gone("192.168.1.2 a");
        assertThat(host.events()).containsExactly("discovered " + A + " http://10.0.0.7:5679",
                "lost " + A + " http://10.0.0.7:5679");
    }

    @Test
    void ignoresNewAnnouncementsBeyondItsBoundButTakesUpdatesOfTrackedOnes() {
        List<CellId> cells = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            CellId cell = RecordingHost.randomCell();
            cells.add(cell);
            assertThat(peers.seen("10.0.0.1 " + i, announcement(cell, "http://10.0.0." + (10 + i) + ":5679"))).isTrue();
        }

        assertThat(peers.seen("10.0.0.1 flood", announcement(B, "http://10.0.0.99:5679"))).isFalse();
        assertThat(peers.routes(B)).isEmpty();
        assertThat(peers.size()).isEqualTo(3);
        assertThat(peers.seen("10.0.0.1 0", announcement(cells.get(0), "http://10.0.0.50:5679"))).isTrue();

        peers.gone("10.0.0.1 1");
        assertThat(peers.seen("10.0.0.1 flood", announcement(B, "http://10.0.0.99:5679"))).isTrue();
        assertThat(peers.routes(B)).hasSize(1);
    }

    @Test
    void clearingReportsEveryRouteLost() {
        peers.seen("10.0.0.1 a", announcement(A, "http://10.0.0.7:5679"));
        peers.seen("10.0.0.1 b", announcement(B, "http://10.0.0.8:5679"));

        peers.clear();

        assertThat(host.events()).containsExactly("discovered " + A + " http://10.0.0.7:5679",
                "discovered " + B + " http://10.0.0.8:5679", "lost " + A + " http://10.0.0.7:5679",
                "lost " + B + " http://10.0.0.8:5679");
        assertThat(peers.size()).isZero();
    }

    private static Announcement announcement(CellId cell, String... addresses) {
        return new Announcement(cell, java.util.Arrays.stream(addresses).map(URI::create).toList());
    }
}
