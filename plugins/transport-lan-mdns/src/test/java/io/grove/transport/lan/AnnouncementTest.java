package io.grove.transport.lan;

import io.grove.api.CellId;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading a resolved {@code _grove._tcp} instance: only a well-formed cell with a usable address becomes routes. */
class AnnouncementTest {
    private static final CellId CELL = RecordingHost.randomCell();

    @Test
    void readsTheCellIdVersionPortAndAddressesIpv4First() throws UnknownHostException {
        Announcement announcement = Announcement.parse(Optional.of(CELL.grouped().toLowerCase()), Optional.of("1"), 5679,
                List.of(InetAddress.getByName("2001:db8::7"), InetAddress.getByName("192.168.1.7"),
                        InetAddress.getByName("fe80::1"), InetAddress.getByName("10.0.0.7")));

        assertThat(announcement.cell()).isEqualTo(CELL);
        assertThat(announcement.addresses()).containsExactly(URI.create("http://192.168.1.7:5679"),
                URI.create("http://10.0.0.7:5679"), URI.create("http://[2001:db8:0:0:0:0:0:7]:5679"));
    }

    @Test
    void announcesItsIdAndProtocolVersionInTxt() {
        assertThat(Announcement.txt(CELL)).containsEntry("id", CELL.value()).containsEntry("v", "1")
                .containsEntry("txtvers", "1");
    }

    @Test
    void keepsAtMostFourAddresses() throws UnknownHostException {
        List<InetAddress> many = List.of(InetAddress.getByName("10.0.0.1"), InetAddress.getByName("10.0.0.2"),
                InetAddress.getByName("10.0.0.3"), InetAddress.getByName("10.0.0.4"), InetAddress.getByName("10.0.0.5"));

        assertThat(Announcement.parse(Optional.of(CELL.value()), Optional.of("1"), 1, many).addresses()).hasSize(4);
    }

    @Test
    void refusesMalformedAnnouncementsNamingWhatIsWrong() throws UnknownHostException {
        List<InetAddress> lan = List.of(InetAddress.getByName("192.168.1.7"));
        String typo = CELL.value().substring(0, 20) + (CELL.value().charAt(20) == 'A' ? 'B' : 'A') + CELL.value().substring(21);

        assertRefused(Optional.empty(), Optional.of("1"), 5679, lan, "no id");
        assertRefused(Optional.of(" "), Optional.of("1"), 5679, lan, "no id");
        assertRefused(Optional.of("hello"), Optional.of("1"), 5679, lan, "malformed id");
        assertRefused(Optional.of(typo), Optional.of("1"), 5679, lan, "malformed id");
        assertRefused(Optional.of("A".repeat(5000)), Optional.of("1"), 5679, lan, "5000 characters");
        assertRefused(Optional.of(CELL.value()), Optional.empty(), 5679, lan, "no protocol version");
        assertRefused(Optional.of(CELL.value()), Optional.of("2"), 5679, lan, "version \"2\"");
        assertRefused(Optional.of(CELL.value()), Optional.of("1"), 0, lan, "port 0");
        assertRefused(Optional.of(CELL.value()), Optional.of("1"), 70000, lan, "port 70000");
        assertRefused(Optional.of(CELL.value()), Optional.of("1"), 5679, List.of(), "no usable address");
        assertRefused(Optional.of(CELL.value()), Optional.of("1"), 5679,
                List.of(InetAddress.getByName("fe80::1"), InetAddress.getByName("0.0.0.0"),
                        InetAddress.getByName("224.0.0.251")), "no usable address");
    }

    @Test
    void makesNetworkTextSafeForALogLine() {
        assertThat(Announcement.printable("evil\nline\u001b[31m")).isEqualTo("\"evil?line?[31m\"");
        assertThat(Announcement.printable("x".repeat(100))).hasSize(43);
    }

    private static void assertRefused(Optional<String> id, Optional<String> version, int port, List<InetAddress> addresses,
                                      String reason) {
        assertThatThrownBy(() -> Announcement.parse(id, version, port, addresses))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason);
    }
}
