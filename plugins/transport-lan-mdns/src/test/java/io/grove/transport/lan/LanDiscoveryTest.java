package io.grove.transport.lan;

import io.grove.testing.VethPair;

import io.grove.api.CellId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two cells on a real, if tiny, LAN: each runs the {@code lan} transport in its own JVM inside its own network
 * namespace, the two joined by a veth pair with multicast on (created here and deleted afterwards, also when a
 * test fails). Loopback cannot stand in: the container's {@code lo} has no multicast, and tests do not change the
 * shared network. Every wait is bounded by {@link #WAIT}.
 */
class LanDiscoveryTest {
    private static final Duration WAIT = Duration.ofSeconds(45);
    private static VethPair lan;
    private LanNodeProcess a;
    private LanNodeProcess b;

    @BeforeAll
    static void createLan() throws IOException {
        assumeTrue(VethPair.ipCommand() != null, "iproute2's 'ip' is not installed: no network namespaces to test in");
        lan = VethPair.create("grove-lan");
    }

    @AfterAll
    static void deleteLan() throws IOException {
        if (lan != null) {
            lan.close();
            assertThat(VethPair.list()).doesNotContain(lan.namespaceA(), lan.namespaceB());
        }
    }

    @BeforeEach
    void startCells() throws IOException {
        a = LanNodeProcess.start("a", lan.namespaceA(), VethPair.ADDRESS_A, WAIT);
        b = LanNodeProcess.start("b", lan.namespaceB(), VethPair.ADDRESS_B, WAIT);
    }

    @AfterEach
    void stopCells() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    @Test
    void discoverEachOthersCellIdAndPeerPortAndTalk() throws IOException {
        long started = System.nanoTime();
        a.await(line -> line.equals("discovered " + b.cell() + " http://" + VethPair.ADDRESS_B + ":" + b.port()), WAIT);
        b.await(line -> line.equals("discovered " + a.cell() + " http://" + VethPair.ADDRESS_A + ":" + a.port()), WAIT);
        report("both cells discovered each other", started);

        b.send("exchange " + a.cell());
        assertThat(b.await(line -> line.startsWith("response ") || line.startsWith("failed "), WAIT))
                .isEqualTo("response 200 pong from " + a.cell());
        assertThat(a.lines()).as("a cell never reports itself").noneMatch(line -> line.startsWith("discovered " + a.cell()));
        assertThat(b.lines()).noneMatch(line -> line.startsWith("discovered " + b.cell()));
    }

    @Test
    void ignoresMalformedAndForeignAnnouncements() throws IOException {
        CellId future = RecordingHost.randomCell();
        CellId web = RecordingHost.randomCell();
        CellId sentinel = RecordingHost.randomCell();
        a.send("announce _grove._tcp.local. no-id 4001 v=1");
        a.send("announce _grove._tcp.local. bad-id 4002 id=HELLO;v=1");
        a.send("announce _grove._tcp.local. future 4003 id=" + future + ";v=9");
        a.send("announce _http._tcp.local. web 4004 id=" + web + ";v=1");
        a.send("announce _grove._tcp.local. sentinel 4005 id=" + sentinel + ";v=1");

        b.await(line -> line.equals("discovered " + sentinel + " http://" + VethPair.ADDRESS_A + ":4005"), WAIT);
        b.await(line -> line.startsWith("log FINE") && line.contains("\"no-id\": no id"), WAIT);
        b.await(line -> line.startsWith("log FINE") && line.contains("\"bad-id\": a malformed id"), WAIT);
        b.await(line -> line.startsWith("log FINE") && line.contains("\"future\": peer protocol version \"9\""), WAIT);
        b.await(line -> line.startsWith("discovered " + a.cell()), WAIT);

        assertThat(b.lines()).filteredOn(line -> line.startsWith("discovered "))
                .as("only well-formed _grove._tcp announcements give routes")
                .allMatch(line -> line.startsWith("discovered " + a.cell()) || line.startsWith("discovered " + sentinel))
                .noneMatch(line -> line.contains(future.value()) || line.contains(web.value()));
    }

    @Test
    void reportsTheRouteLostWhenAPeerLeaves() throws IOException {
        String routeToA = a.cell() + " http://" + VethPair.ADDRESS_A + ":" + a.port();
        String routeToB = b.cell() + " http://" + VethPair.ADDRESS_B + ":" + b.port();
        b.await(line -> line.equals("discovered " + routeToA), WAIT);
        a.await(line -> line.equals("discovered " + routeToB), WAIT);

        long closing = System.nanoTime();
        a.send("close");

        a.await(line -> line.equals("closed"), WAIT);
        report("the transport closed", closing);
        assertThat(a.lines()).as("a closing transport drops its routes").contains("lost " + routeToB);
        b.await(line -> line.equals("lost " + routeToA), WAIT);
        report("the other cell reported it lost", closing);
        b.send("exchange " + a.cell());
        assertThat(b.await(line -> line.startsWith("response ") || line.startsWith("failed "), WAIT))
                .as(String.join("\n", b.lines())).startsWith("failed no route");
    }

    /** Prints a measured delay into the test's output (target/surefire-reports/*-output.txt). */
    private static void report(String what, long sinceNanos) {
        System.out.printf("LAN timing: %s after %d ms%n", what, (System.nanoTime() - sinceNanos) / 1_000_000);
    }
}
