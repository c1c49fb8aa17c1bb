package io.grove.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.runtime.events.EventBus;
import io.grove.runtime.json.Json;
import io.grove.runtime.testing.TestCell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /api/v1/events} over real loopback sockets: the stream, replay, and every refusal of the upgrade. */
class EventsApiTest {
    private static final String PASSWORD = "a fine dashboard password";
    @TempDir
    Path tmp;
    private TestCell cell;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<WebSocket> open = new ArrayList<>();

    @BeforeEach
    void start() {
        cell = TestCell.start(tmp.resolve("cell"), Map.of());
    }

    @AfterEach
    void stop() {
        open.forEach(WebSocket::abort);
        cell.close();
    }

    @Test
    void streamsEventsAsJsonFramesAfterAnOpenFrame() throws Exception {
        Frames frames = connect("", Map.of("Authorization", "Bearer " + cell.cell().folder().apiToken()));
        JsonNode first = frames.next();
        assertThat(first.get("type").asText()).isEqualTo("events.open");
        assertThat(first.get("data").get("gap").asBoolean()).isFalse();
        long from = first.get("seq").asLong();

        cell.cell().events().publish("sync.round", Map.of("pushed", 3, "lost", 0));
        JsonNode event = frames.next();
        assertThat(event.get("seq").asLong()).isEqualTo(from + 1);
        assertThat(event.get("type").asText()).isEqualTo("sync.round");
        assertThat(event.get("at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(event.get("data").get("pushed").asInt()).isEqualTo(3);
    }

    @Test
    void deliversABurstInOrderWithoutLosingAny() throws Exception {
        Frames frames = connect("", Map.of("Authorization", "Bearer " + cell.cell().folder().apiToken()));
        long from = frames.next().get("seq").asLong();
        int burst = 500; // below the subscriber queue (1,024): a reader that keeps up loses nothing
        long start = System.nanoTime();
        for (int i = 0; i < burst; i++) {
            cell.cell().events().publish("sync.round", Map.of("pushed", i));
        }
        for (int i = 0; i < burst; i++) {
            JsonNode event = frames.next();
            assertThat(event.get("seq").asLong()).isEqualTo(from + 1 + i);
            assertThat(event.get("data").get("pushed").asInt()).isEqualTo(i);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("events: %d published and received over the WebSocket in %d ms%n", burst, millis);
    }

    @Test
    void replaysTheKeptEventsAfterSinceAndReportsAGapForAnUnknownCursor() throws Exception {
        EventBus bus = cell.cell().events();
        long base = bus.latest();
        for (int i = 1; i <= 3; i++) {
            bus.publish("fleet.roster", Map.of("seq", i, "members", i));
        }
        Map<String, String> bearer = Map.of("Authorization", "Bearer " + cell.cell().folder().apiToken());
        Frames frames = connect("?since=" + (base + 1), bearer);
        JsonNode open = frames.next();
        assertThat(open.get("seq").asLong()).isEqualTo(base + 1);
        assertThat(open.get("data").get("replayed").asInt()).isEqualTo(2);
        assertThat(open.get("data").get("gap").asBoolean()).isFalse();
        assertThat(frames.next().get("data").get("seq").asInt()).isEqualTo(2);
        assertThat(frames.next().get("data").get("seq").asInt()).isEqualTo(3);

        // A cursor beyond the newest event comes from before a restart: the client must reload.
        Frames restarted = connect("?since=" + (base + 1000), bearer);
        JsonNode reopened = restarted.next();
        assertThat(reopened.get("data").get("gap").asBoolean()).isTrue();
        assertThat(reopened.get("seq").asLong()).isEqualTo(bus.latest());
    }

    @Test
    void opensWithTheSessionCookieOnlyFromTheDashboardsOwnPage() throws Exception {
        String cookie = sessionCookie();
        String self = "http://127.0.0.1:" + cell.cell().apiPort();
        assertThat(handshake("", "Cookie: " + cookie + "\r\nOrigin: " + self + "\r\n")).startsWith("HTTP/1.1 101");
        String hijack = handshake("", "Cookie: " + cookie + "\r\nOrigin: http://evil.example\r\n");
        assertThat(hijack).startsWith("HTTP/1.1 403").contains("cross-origin");
        assertThat(handshake("", "Cookie: " + cookie + "\r\n")).startsWith("HTTP/1.1 403").contains("cross-origin");

        Frames frames = connect("", Map.of("Cookie", cookie, "Origin", self));
        assertThat(frames.next().get("type").asText()).isEqualTo("events.open");
    }

    @Test
    void refusesUpgradesWithoutCredentialsForeignHostsOrABadCursor() throws Exception {
        String token = cell.cell().folder().apiToken();
        assertThat(handshake("", "")).startsWith("HTTP/1.1 401").contains("unauthorized");
        assertThat(handshake("", "Authorization: Bearer wrong\r\n")).startsWith("HTTP/1.1 401");
        assertThat(handshake("", "Cookie: grove-session-" + cell.cell().apiPort() + "=made-up\r\nOrigin: http://127.0.0.1:"
                + cell.cell().apiPort() + "\r\n")).startsWith("HTTP/1.1 401");
        assertThat(rawHandshake("evil.example:" + cell.cell().apiPort(), "", "Authorization: Bearer " + token + "\r\n"))
                .startsWith("HTTP/1.1 421").contains("unknown-host");
        assertThat(handshake("?since=-1", "Authorization: Bearer " + token + "\r\n"))
                .startsWith("HTTP/1.1 400").contains("invalid-since");
        assertThat(handshake("", "Authorization: Bearer " + token + "\r\n")).startsWith("HTTP/1.1 101");

        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(URI.create(cell.cell().apiUrl() + "/api/v1/events"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(426);
        assertThat(plain.body()).contains("websocket-required");
    }

    @Test
    void closesTheStreamWhenTheSessionEnds() throws Exception {
        String cookie = sessionCookie();
        Frames frames = connect("", Map.of("Cookie", cookie, "Origin", "http://127.0.0.1:" + cell.cell().apiPort()));
        frames.next();
        HttpResponse<String> session = http.send(HttpRequest.newBuilder(URI.create(cell.cell().apiUrl() + "/api/v1/session"))
                .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
        String csrf = Json.mapper().readTree(session.body()).get("csrfToken").asText();
        HttpResponse<String> logout = http.send(HttpRequest.newBuilder(URI.create(cell.cell().apiUrl() + "/api/v1/session/logout"))
                .header("Cookie", cookie).header("X-CSRF-Token", csrf).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(logout.statusCode()).isEqualTo(204);
        assertThat(frames.closed.get(60, TimeUnit.SECONDS)).isEqualTo(1008);
    }

    @Test
    void refusesSubscribersBeyondTheBusLimit() throws Exception {
        List<EventBus.Subscription> taken = new ArrayList<>();
        try {
            for (int i = 0; i < EventBus.MAX_SUBSCRIBERS; i++) {
                taken.add(cell.cell().events().subscribe());
            }
            Frames frames = connect("", Map.of("Authorization", "Bearer " + cell.cell().folder().apiToken()));
            assertThat(frames.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1013);
        } finally {
            taken.forEach(EventBus.Subscription::close);
        }
    }

    // ---------- helpers ----------

    private String sessionCookie() throws Exception {
        HttpResponse<String> setup = http.send(HttpRequest.newBuilder(URI.create(cell.cell().apiUrl() + "/api/v1/session/setup"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"password\":\"" + PASSWORD + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(setup.statusCode()).isEqualTo(201);
        String set = setup.headers().firstValue("Set-Cookie").orElseThrow();
        return set.substring(0, set.indexOf(';'));
    }

    /** A WebSocket handshake by hand; the answer's status line, headers and (for a refusal) body. */
    private String handshake(String query, String headers) throws IOException {
        return rawHandshake("127.0.0.1:" + cell.cell().apiPort(), query, headers);
    }

    private String rawHandshake(String host, String query, String headers) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", cell.cell().apiPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/events" + query + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + headers + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[4096];
            // Read the head, and a refusal's body; a 101 stays open, so stop at the blank line after its head.
            for (int n; answer.length() < 16_384 && (n = in.read(buffer)) > 0; ) {
                answer.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                if (answer.toString().startsWith("HTTP/1.1 101") && answer.indexOf("\r\n\r\n") > 0) {
                    break;
                }
                if (answer.indexOf("\r\n\r\n") > 0 && answer.indexOf("}") > 0) {
                    break;
                }
            }
            return answer.toString();
        }
    }

    private Frames connect(String query, Map<String, String> headers) throws Exception {
        Frames frames = new Frames();
        WebSocket.Builder builder = http.newWebSocketBuilder();
        headers.forEach(builder::header);
        String url = cell.cell().apiUrl().replace("http://", "ws://") + "/api/v1/events" + query;
        open.add(builder.buildAsync(URI.create(url), frames).get(10, TimeUnit.SECONDS));
        return frames;
    }

    /** Collects text frames and the close code. */
    private static final class Frames implements WebSocket.Listener {
        private final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                texts.add(partial.toString());
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
            closed.complete(status);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closed.completeExceptionally(error);
        }

        JsonNode next() throws Exception {
            String text = texts.poll(10, TimeUnit.SECONDS);
            assertThat(text).as("a frame within 10 s").isNotNull();
            return Json.mapper().readTree(text);
        }
    }
}
