package io.grove.runtime.peers;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.api.CellId;
import io.grove.runtime.fleet.FleetSecretException;
import io.grove.runtime.json.Json;
import io.grove.runtime.peer.PeerMessages;
import io.grove.runtime.peer.PeerProtocol;
import io.grove.runtime.peer.PeerCallException;
import io.grove.runtime.testing.TestCell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Cells on loopback form a fleet over REST and the direct transport: create, invite, join, spread, revoke. */
class FleetNetworkTest {
    @TempDir
    Path dir;
    private final List<TestCell> cells = new ArrayList<>();

    @AfterEach
    void stop() {
        cells.forEach(TestCell::close);
    }

    private TestCell cell(String name) {
        TestCell cell = TestCell.start(dir.resolve(name), Map.of("fleet.gossip-interval", "200ms", "peer.timeout", "5s",
                "cell.label", name));
        cells.add(cell);
        return cell;
    }

    @Test
    void threeCellsJoinSpreadTheRosterAndARevokedCellIsRefusedAndCannotReadLaterMetadata() throws Exception {
        TestCell a = cell("alpha");
        TestCell b = cell("beta");
        TestCell c = cell("gamma");
        JsonNode created = json(a.postJson("/api/v1/fleet", "{\"name\":\"home\"}"), 201);
        assertThat(created.get("isLeader").asBoolean()).isTrue();
        assertThat(created.get("name").asText()).isEqualTo("home");

        join(b, invite(a, "member"));
        join(c, invite(a, "member"));
        awaitSeq(b, 3);
        awaitSeq(c, 3);

        JsonNode peersOfB = json(b.send(b.request("/api/v1/peers").GET().build()), 200);
        assertThat(peersOfB).hasSize(2);
        assertThat(peersOfB.findValuesAsText("label")).containsExactlyInAnyOrder("alpha", "gamma");
        assertThat(peersOfB.get(0).get("routes")).isNotEmpty();
        // b reaches c directly with the routes c advertised to the leader.
        assertThat(hello(b, c.cell().id()).rosterSeq()).isEqualTo(3);

        long epochBefore = a.cell().roster().secrets().currentEpoch().orElseThrow();
        HttpResponse<String> revoked = a.send(a.request("/api/v1/fleet/members/" + c.cell().id().value().substring(0, 8))
                .DELETE().build());
        assertThat(json(revoked, 200).get("seq").asLong()).isEqualTo(4);
        awaitSeq(b, 4);
        long epochAfter = a.cell().roster().secrets().currentEpoch().orElseThrow();
        assertThat(epochAfter).isEqualTo(epochBefore + 1);

        // Every remaining member refuses the revoked cell.
        for (TestCell member : List.of(a, b)) {
            assertThatThrownBy(() -> hello(c, member.cell().id()))
                    .isInstanceOfSatisfying(PeerCallException.class, e -> {
                        assertThat(e.status()).isEqualTo(403);
                        assertThat(e.problem()).contains("not-member");
                    });
        }
        // Metadata sealed under the new epoch: b receives the new secret; c never does.
        eventually(() -> b.cell().roster().secrets().currentEpoch().orElse(0) == epochAfter, "b gets the new epoch");
        byte[] sealed = a.cell().roster().secrets().sealForFleet(epochAfter, "after revocation".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(b.cell().roster().secrets().open(sealed), StandardCharsets.UTF_8)).isEqualTo("after revocation");
        assertThat(c.cell().roster().secrets().currentEpoch()).hasValue(epochBefore);
        assertThatThrownBy(() -> c.cell().roster().secrets().open(sealed)).isInstanceOf(FleetSecretException.class);
    }

    @Test
    void fiveCellsAllConvergeOnTheLastRosterAndFavouritesSpread() throws Exception {
        TestCell leader = cell("one");
        json(leader.postJson("/api/v1/fleet", "{}"), 201);
        List<TestCell> others = new ArrayList<>();
        for (String name : List.of("two", "three", "four", "five")) {
            TestCell cell = cell(name);
            join(cell, invite(leader, "member"));
            others.add(cell);
        }
        HttpResponse<String> fav = leader.send(leader.request("/api/v1/peers/" + others.get(2).cell().id().value()
                + "/favourite").PUT(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(json(fav, 200).get("favourite").asBoolean()).isTrue();
        for (TestCell cell : others) {
            awaitSeq(cell, 6);
            JsonNode fleet = json(cell.send(cell.request("/api/v1/fleet").GET().build()), 200);
            assertThat(fleet.get("members")).hasSize(5);
        }
        JsonNode peers = json(others.get(0).send(others.get(0).request("/api/v1/peers").GET().build()), 200);
        assertThat(peers).hasSize(4);
        assertThat(peers.findValues("favourite").stream().filter(JsonNode::asBoolean)).hasSize(1);
    }

    @Test
    void aUsedExpiredOrForeignCodeIsRefusedAndChangesNothing() throws Exception {
        TestCell a = cell("alpha");
        TestCell b = cell("beta");
        TestCell c = cell("gamma");
        TestCell other = cell("other");
        json(a.postJson("/api/v1/fleet", "{}"), 201);
        json(other.postJson("/api/v1/fleet", "{}"), 201);
        String code = invite(a, "member");
        join(b, code);
        HttpResponse<String> reused = c.postJson("/api/v1/fleet/join", "{\"code\":\"" + code + "\"}");
        assertThat(reused.statusCode()).isEqualTo(403);
        assertThat(reused.body()).contains("already used");
        assertThat(json(c.send(c.request("/api/v1/fleet").GET().build()), 200).get("inFleet").asBoolean()).isFalse();

        HttpResponse<String> garbled = c.postJson("/api/v1/fleet/join", "{\"code\":\"" + code.substring(0, 40) + "X\"}");
        assertThat(garbled.statusCode()).isEqualTo(400);
        // A cell already in a fleet cannot join another.
        HttpResponse<String> twice = other.postJson("/api/v1/fleet/join", "{\"code\":\"" + invite(a, "friend") + "\"}");
        assertThat(twice.statusCode()).isEqualTo(409);
        // Only the leader invites.
        assertThat(b.postJson("/api/v1/fleet/invites", "{}").statusCode()).isEqualTo(409);
        assertThat(a.postJson("/api/v1/fleet/invites", "{\"role\":\"admin\"}").statusCode()).isEqualTo(400);
        assertThat(a.postJson("/api/v1/fleet/invites", "{\"expires\":\"90d\"}").statusCode()).isEqualTo(400);
        assertThat(a.postJson("/api/v1/fleet", "not json").statusCode()).isIn(400, 409);
        assertThat(json(a.send(a.request("/api/v1/fleet").GET().build()), 200).get("seq").asLong()).isEqualTo(2);
    }

    private static PeerMessages.Hello hello(TestCell from, CellId to) throws Exception {
        Peers peers = from.cell().network().peers();
        return peers.call(to, route -> peers.client().hello(route,
                new PeerMessages.Hello(List.of(PeerProtocol.VERSION), 0, "")));
    }

    private static String invite(TestCell leader, String role) throws Exception {
        return json(leader.postJson("/api/v1/fleet/invites", "{\"role\":\"" + role + "\",\"expires\":\"1h\"}"), 201)
                .get("code").asText();
    }

    private static void join(TestCell cell, String code) throws Exception {
        JsonNode joined = json(cell.postJson("/api/v1/fleet/join", "{\"code\":\"" + code + "\"}"), 200);
        assertThat(joined.get("inFleet").asBoolean()).isTrue();
    }

    private static void awaitSeq(TestCell cell, long seq) throws InterruptedException {
        eventually(() -> cell.cell().roster().stamp().seq() >= seq, cell.cell().id().shortForm() + " reaches seq " + seq);
        assertThat(cell.cell().roster().stamp().seq()).isEqualTo(seq);
    }

    static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        TestCell.eventually(Duration.ofSeconds(20), condition, what);
    }


    private static JsonNode json(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return Json.mapper().readTree(response.body());
    }
}
