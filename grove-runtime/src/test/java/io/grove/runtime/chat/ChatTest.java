package io.grove.runtime.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.api.CellId;
import io.grove.runtime.json.Json;
import io.grove.runtime.peer.PeerCallException;
import io.grove.runtime.peers.Peers;
import io.grove.runtime.testing.TestCell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

/** Chat between cells on loopback: delivery, a queue that survives the peer being away, and refused messages. */
class ChatTest {
    private static final Map<String, String> SETTINGS = Map.of("fleet.gossip-interval", "200ms", "peer.timeout", "15s",
            "chat.retry-interval", "200ms");
    @TempDir
    Path dir;
    private final List<TestCell> cells = new ArrayList<>();

    @AfterEach
    void stop() {
        cells.forEach(TestCell::close);
    }

    @Test
    void messagesQueuedWhileThePeerIsAwayArriveOnceAndInOrderAfterItRestarts() throws Exception {
        TestCell a = cell("alpha");
        TestCell b = cell("beta");
        json(a.postJson("/api/v1/fleet", "{}"), 201);
        join(a, b, "friend");
        eventually(() -> b.cell().roster().stamp().seq() >= 2, "b sees the roster");

        JsonNode sent = json(a.postJson("/api/v1/chat/" + id(b), "{\"text\":\"one\"}"), 201);
        assertThat(sent.get("delivered").asBoolean()).isTrue();
        assertThat(sent.get("seq").asLong()).isEqualTo(1);
        assertThat(texts(b, id(a), 0)).containsExactly("one");
        assertThat(b.cell().events().since(0)).anyMatch(e -> e.type().equals("chat.message"));

        Path bDir = b.cell().folder().dir();
        b.close();
        cells.remove(b);
        for (String text : List.of("two", "three", "four")) {
            JsonNode queued = json(a.postJson("/api/v1/chat/" + id(b), "{\"text\":\"" + text + "\"}"), 201);
            assertThat(queued.get("delivered").asBoolean()).isFalse();
        }
        assertThat(a.cell().network().chat().queued()).isEqualTo(3);
        Thread.sleep(1000); // several retry rounds fail while b is away

        TestCell back = TestCell.start(bDir, withLabel("beta"));
        cells.add(back);
        eventually(() -> a.cell().network().chat().queued() == 0, "the queue drains once b is back");
        assertThat(texts(back, id(a), 0)).containsExactly("one", "two", "three", "four");

        // b answers; a sees the conversation in order with the since cursor.
        json(back.postJson("/api/v1/chat/" + id(a), "{\"text\":\"welcome back\"}"), 201);
        JsonNode conversation = json(a.send(a.request("/api/v1/chat/" + id(back)).GET().build()), 200);
        assertThat(conversation).hasSize(5);
        long fourth = conversation.get(3).get("id").asLong();
        assertThat(texts(a, id(back), fourth)).containsExactly("welcome back");
        assertThat(conversation.get(4).get("outgoing").asBoolean()).isFalse();
    }

    @Test
    void replayedTamperedMisorderedAndRevokedMessagesAreRefusedAndChangeNothing() throws Exception {
        TestCell a = cell("alpha");
        TestCell b = cell("beta");
        TestCell c = cell("gamma");
        json(a.postJson("/api/v1/fleet", "{}"), 201);
        join(a, b, "friend");
        join(a, c, "member");
        eventually(() -> b.cell().roster().stamp().seq() >= 3 && c.cell().roster().stamp().seq() >= 3, "full roster");
        json(a.postJson("/api/v1/chat/" + id(b), "{\"text\":\"hello\"}"), 201);
        byte[] envelope = a.cell().storage().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT envelope FROM chat_messages WHERE seq = 1").mapTo(byte[].class).one());

        // A replay is acknowledged as a duplicate and stored once.
        JsonNode replay = Json.mapper().readTree(call(a, b, envelope));
        assertThat(replay.get("duplicate").asBoolean()).isTrue();
        // Tampered: any flipped bit of the box or seq.
        String text = new String(envelope, StandardCharsets.UTF_8);
        JsonNode parsed = Json.mapper().readTree(envelope);
        String box = parsed.get("message").get("box").asText();
        String flipped = box.substring(0, 10) + (box.charAt(10) == 'A' ? 'B' : 'A') + box.substring(11);
        assertThatThrownBy(() -> call(a, b, text.replace(box, flipped).getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(PeerCallException.class, e -> assertThat(e.status()).isEqualTo(403));
        // A message skipping ahead is refused so that the sender resends in order.
        ChatEnvelope skipping = ChatEnvelope.seal(a.cell().folder().keys(), b.cell().id(),
                b.cell().roster().member(b.cell().id()).orElseThrow().agreementKey(), 5, System.currentTimeMillis(), "later");
        assertThatThrownBy(() -> call(a, b, skipping.encode()))
                .isInstanceOfSatisfying(PeerCallException.class, e -> assertThat(e.status()).isEqualTo(409));
        // Seq 1 again with other content.
        ChatEnvelope rewritten = ChatEnvelope.seal(a.cell().folder().keys(), b.cell().id(),
                b.cell().roster().member(b.cell().id()).orElseThrow().agreementKey(), 1, System.currentTimeMillis(), "evil");
        assertThatThrownBy(() -> call(a, b, rewritten.encode()))
                .isInstanceOfSatisfying(PeerCallException.class, e -> assertThat(e.status()).isEqualTo(409));
        // Pushed by C in A's name.
        assertThatThrownBy(() -> call(c, b, envelope))
                .isInstanceOfSatisfying(PeerCallException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThat(texts(b, id(a), 0)).containsExactly("hello");
        assertThat(texts(b, id(c), 0)).isEmpty();

        // A revoked cell's messages are refused by the protocol before they reach the chat.
        ChatEnvelope fromC = ChatEnvelope.seal(c.cell().folder().keys(), b.cell().id(),
                b.cell().roster().member(b.cell().id()).orElseThrow().agreementKey(), 1, System.currentTimeMillis(), "hi");
        json(a.send(a.request("/api/v1/fleet/members/" + id(c)).DELETE().build()), 200);
        eventually(() -> b.cell().roster().member(c.cell().id()).isEmpty(), "b learns that c was revoked");
        assertThatThrownBy(() -> call(c, b, fromC.encode()))
                .isInstanceOfSatisfying(PeerCallException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThat(texts(b, id(c), 0)).isEmpty();
        assertThat(a.postJson("/api/v1/chat/" + id(b), "{\"text\":\"\"}").statusCode()).isEqualTo(400);
        assertThat(a.postJson("/api/v1/chat/" + id(b), "{\"text\":\"" + "x".repeat(ChatEnvelope.MAX_TEXT_BYTES + 1) + "\"}")
                .statusCode()).isEqualTo(400);
    }

    private static byte[] call(TestCell from, TestCell to, byte[] body) throws Exception {
        Peers peers = from.cell().network().peers();
        CellId target = to.cell().id();
        return peers.call(target, route -> peers.client().call(route, "chat.message", body, 4096));
    }

    private static List<String> texts(TestCell cell, String peer, long since) throws Exception {
        JsonNode list = json(cell.send(cell.request("/api/v1/chat/" + peer + "?since=" + since).GET().build()), 200);
        List<String> out = new ArrayList<>();
        list.forEach(m -> out.add(m.get("text").asText()));
        return out;
    }

    private static Map<String, String> withLabel(String name) {
        Map<String, String> settings = new java.util.HashMap<>(SETTINGS);
        settings.put("cell.label", name);
        return settings;
    }

    private TestCell cell(String name) {
        TestCell cell = TestCell.start(dir.resolve(name), withLabel(name));
        cells.add(cell);
        return cell;
    }

    private static void join(TestCell leader, TestCell cell, String role) throws Exception {
        String code = json(leader.postJson("/api/v1/fleet/invites", "{\"role\":\"" + role + "\"}"), 201).get("code").asText();
        json(cell.postJson("/api/v1/fleet/join", "{\"code\":\"" + code + "\"}"), 200);
    }

    private static String id(TestCell cell) {
        return cell.cell().id().value();
    }

    static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        TestCell.eventually(Duration.ofSeconds(30), condition, what);
    }


    private static JsonNode json(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return Json.mapper().readTree(response.body());
    }
}
