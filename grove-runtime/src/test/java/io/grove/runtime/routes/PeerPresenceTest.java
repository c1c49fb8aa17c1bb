package io.grove.runtime.routes;

import io.grove.api.CellId;
import io.grove.runtime.cell.CellFolder;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.db.Database;
import io.grove.runtime.events.Event;
import io.grove.runtime.events.EventBus;
import io.grove.runtime.fleet.Member;
import io.grove.runtime.fleet.RosterBook;
import io.grove.runtime.fleet.RosterParameters;
import io.grove.runtime.peer.PeerTesting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PeerPresenceTest {
    @TempDir
    Path tmp;

    @Test
    void publishesAChangeOnlyWhenTwoLooksAgreeAndForgetsRevokedMembers() throws Exception {
        CellFolder folder = new CellFolder(Files.createDirectories(tmp.resolve("self")));
        folder.init(Optional.empty());
        RosterBook roster = new RosterBook(Database.open(folder.database()), folder.keys(), Clock.systemUTC());
        roster.create("self", RosterParameters.DEFAULTS);
        CellKeys peerKeys = PeerTesting.keys(tmp.resolve("peer"));
        Member peer = PeerTesting.member(peerKeys);
        roster.add(peer);
        CellId id = peer.id();
        Set<CellId> up = new HashSet<>();
        EventBus events = new EventBus(Clock.systemUTC());
        PeerPresence presence = new PeerPresence(roster, up::contains, events, Duration.ofSeconds(1));

        presence.look(); // first look: down, noted, nothing published
        assertThat(events.since(0)).isEmpty();
        up.add(id);
        presence.look(); // up once: not yet
        assertThat(events.since(0)).isEmpty();
        presence.look(); // up twice: peer.up
        assertThat(types(events)).containsExactly("peer.up");
        assertThat(events.since(0).get(0).data()).containsEntry("cell", id.value()).containsEntry("label", peer.label());
        up.remove(id);
        presence.look(); // a single failed look between good ones is ignored
        up.add(id);
        presence.look();
        presence.look();
        assertThat(types(events)).containsExactly("peer.up");
        up.remove(id);
        presence.look();
        presence.look();
        assertThat(types(events)).containsExactly("peer.up", "peer.down");

        roster.revoke(id);
        up.add(id);
        presence.look();
        presence.look();
        assertThat(types(events)).as("a revoked cell is no longer reported").containsExactly("peer.up", "peer.down");
        presence.close();
    }

    @Test
    void refusesAnIntervalOutOfBounds() throws Exception {
        CellFolder folder = new CellFolder(Files.createDirectories(tmp.resolve("self")));
        folder.init(Optional.empty());
        RosterBook roster = new RosterBook(Database.open(folder.database()), folder.keys(), Clock.systemUTC());
        EventBus events = new EventBus(Clock.systemUTC());
        assertThatThrownBy(() -> new PeerPresence(roster, p -> true, events, Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PeerPresence(roster, p -> true, events, Duration.ofMinutes(2)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> types(EventBus events) {
        return events.since(0).stream().map(Event::type).toList();
    }
}
