package io.grove.runtime.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.runtime.Cell;
import io.grove.runtime.CellStartException;
import io.grove.runtime.cell.CellFolder;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The dashboard's password, session, CSRF and Host rules, over real loopback sockets with a plain HTTP client. */
class DashboardAccessTest {
    private static final String PASSWORD = "a fine dashboard password";
    @TempDir
    Path tmp;
    private TestCell cell;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        cell = TestCell.start(tmp.resolve("cell"), Map.of());
    }

    @AfterEach
    void stop() {
        cell.close();
    }

    private String url(String path) {
        return cell.cell().apiUrl() + path;
    }

    private HttpResponse<String> post(String path, String json, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)))
                .POST(HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json");
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String path, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)))
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String cookie(HttpResponse<?> response) {
        String set = response.headers().firstValue("Set-Cookie").orElseThrow();
        return set.substring(0, set.indexOf(';'));
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return Json.mapper().readTree(response.body());
    }

    /** Sets the password over the API and returns the session: its cookie and CSRF token. */
    private String[] setUp() throws Exception {
        HttpResponse<String> setup = post("/api/v1/session/setup", "{\"password\":\"" + PASSWORD + "\"}", Map.of());
        assertThat(setup.statusCode()).isEqualTo(201);
        return new String[]{cookie(setup), json(setup).get("csrfToken").asText()};
    }

    @Test
    void firstVisitSetsThePasswordOnceAndStoresOnlyAPrivateHash() throws Exception {
        JsonNode before = json(send("GET", "/api/v1/session", Map.of(), ""));
        assertThat(before.get("passwordSet").asBoolean()).isFalse();
        assertThat(before.get("authenticated").asBoolean()).isFalse();
        assertThat(before.has("csrfToken")).isFalse();

        assertThat(post("/api/v1/session/setup", "{\"password\":\"short\"}", Map.of()).statusCode()).isEqualTo(400);
        String[] session = setUp();
        assertThat(session[0]).startsWith("grove-session-" + cell.cell().apiPort() + "=");

        Path file = cell.cell().folder().dir().resolve(PasswordFile.NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).startsWith("$argon2id$").doesNotContain(PASSWORD);

        HttpResponse<String> again = post("/api/v1/session/setup", "{\"password\":\"another password\"}", Map.of());
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(new PasswordFile(cell.cell().folder().dir()).read().orElseThrow().matches(PASSWORD)).isTrue();

        JsonNode after = json(send("GET", "/api/v1/session", Map.of("Cookie", session[0]), ""));
        assertThat(after.get("authenticated").asBoolean()).isTrue();
        assertThat(after.get("csrfToken").asText()).isEqualTo(session[1]);
    }

    @Test
    void sessionCookieReadsButChangesNeedTheCsrfToken() throws Exception {
        String[] session = setUp();
        Map<String, String> cookieOnly = Map.of("Cookie", session[0]);
        assertThat(send("GET", "/api/v1/files", cookieOnly, "").statusCode()).isEqualTo(200);

        HttpResponse<String> noToken = send("PUT", "/api/v1/files/a.txt", cookieOnly, "hello");
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(json(noToken).get("type").asText()).endsWith("/csrf-token");
        HttpResponse<String> wrongToken = send("PUT", "/api/v1/files/a.txt",
                Map.of("Cookie", session[0], "X-CSRF-Token", session[1] + "x"), "hello");
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        assertThat(send("DELETE", "/api/v1/files/a.txt", cookieOnly, "").statusCode()).isEqualTo(403);
        assertThat(send("GET", "/api/v1/files/a.txt", cookieOnly, "").statusCode()).as("nothing was stored").isEqualTo(404);

        HttpResponse<String> ok = send("PUT", "/api/v1/files/a.txt",
                Map.of("Cookie", session[0], "X-CSRF-Token", session[1]), "hello");
        assertThat(ok.statusCode()).isEqualTo(201);
        assertThat(send("GET", "/api/v1/files/a.txt", cookieOnly, "").body()).isEqualTo("hello");

        assertThat(send("GET", "/api/v1/files", Map.of("Cookie", "grove-session-" + cell.cell().apiPort() + "=forged"), "")
                .statusCode()).isEqualTo(401);
    }

    @Test
    void bearerTokenStillWorksWithoutCsrf() throws Exception {
        setUp();
        HttpResponse<String> put = cell.send(cell.request("/api/v1/files/b.txt")
                .PUT(HttpRequest.BodyPublishers.ofString("bearer")).build());
        assertThat(put.statusCode()).isEqualTo(201);
    }

    @Test
    void wrongPasswordsAreRefusedThenRateLimited() throws Exception {
        setUp();
        for (int i = 0; i < LoginLimiter.PER_CLIENT; i++) {
            HttpResponse<String> wrong = post("/api/v1/session/login", "{\"password\":\"not the password " + i + "\"}", Map.of());
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
        }
        HttpResponse<String> limited = post("/api/v1/session/login", "{\"password\":\"" + PASSWORD + "\"}", Map.of());
        assertThat(limited.statusCode()).as("even the right password waits").isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(v ->
                assertThat(Long.parseLong(v)).isBetween(1L, LoginLimiter.WINDOW.toSeconds()));
    }

    @Test
    void loginLogoutAndPasswordChangeEndSessions() throws Exception {
        String[] first = setUp();
        HttpResponse<String> login = post("/api/v1/session/login", "{\"password\":\"" + PASSWORD + "\"}", Map.of());
        assertThat(login.statusCode()).isEqualTo(200);
        String[] second = {cookie(login), json(login).get("csrfToken").asText()};

        HttpResponse<String> logout = post("/api/v1/session/logout", "{}",
                Map.of("Cookie", second[0], "X-CSRF-Token", second[1]));
        assertThat(logout.statusCode()).isEqualTo(204);
        assertThat(logout.headers().firstValue("Set-Cookie")).hasValueSatisfying(v -> assertThat(v).contains("Max-Age=0"));
        assertThat(send("GET", "/api/v1/files", Map.of("Cookie", second[0]), "").statusCode()).isEqualTo(401);

        HttpResponse<String> wrongCurrent = post("/api/v1/session/password",
                "{\"current\":\"nope nope nope\",\"password\":\"the next password\"}",
                Map.of("Cookie", first[0], "X-CSRF-Token", first[1]));
        assertThat(wrongCurrent.statusCode()).isEqualTo(401);
        HttpResponse<String> change = post("/api/v1/session/password",
                "{\"current\":\"" + PASSWORD + "\",\"password\":\"the next password\"}",
                Map.of("Cookie", first[0], "X-CSRF-Token", first[1]));
        assertThat(change.statusCode()).isEqualTo(200);
        assertThat(send("GET", "/api/v1/files", Map.of("Cookie", first[0]), "").statusCode()).isEqualTo(401);
        assertThat(send("GET", "/api/v1/files", Map.of("Cookie", cookie(change)), "").statusCode()).isEqualTo(200);
        assertThat(post("/api/v1/session/login", "{\"password\":\"the next password\"}", Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void passwordBodiesMustBeBoundedJson() throws Exception {
        HttpRequest form = HttpRequest.newBuilder(URI.create(url("/api/v1/session/setup")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("password=aaaaaaaaaaaa")).build();
        assertThat(http.send(form, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(415);
        assertThat(post("/api/v1/session/setup", "{\"password\":\"" + "x".repeat(9000) + "\"}", Map.of()).statusCode())
                .isEqualTo(413);
        assertThat(post("/api/v1/session/setup", "not json", Map.of()).statusCode()).isEqualTo(400);
        assertThat(new PasswordFile(cell.cell().folder().dir()).exists()).isFalse();
    }

    @Test
    void wrongHostIsRefusedForPagesAndApi() throws Exception {
        int port = cell.cell().apiPort();
        assertThat(rawStatus("GET / HTTP/1.1", "127.0.0.1:" + port)).isEqualTo(200);
        assertThat(rawStatus("GET / HTTP/1.1", "localhost:" + port)).isEqualTo(200);
        assertThat(rawStatus("GET / HTTP/1.1", "evil.example:" + port)).isEqualTo(421);
        assertThat(rawStatus("GET /api/v1/health HTTP/1.1", "evil.example:" + port)).isEqualTo(421);
        assertThat(rawStatus("GET /api/v1/health HTTP/1.1", "127.0.0.1:" + (port == 1 ? 2 : port - 1))).isEqualTo(421);
    }

    @Test
    void configuredHostNamesAreAllowed() throws Exception {
        cell.close();
        Map<String, String> extra = new HashMap<>();
        extra.put("api.hosts", "grove.example.org, pi.local:8443");
        cell = TestCell.start(tmp.resolve("cell"), extra);
        int port = cell.cell().apiPort();
        assertThat(rawStatus("GET /api/v1/health HTTP/1.1", "grove.example.org:" + port)).isEqualTo(200);
        assertThat(rawStatus("GET /api/v1/health HTTP/1.1", "grove.example.org")).isEqualTo(200);
        assertThat(rawStatus("GET /api/v1/health HTTP/1.1", "pi.local:8443")).isEqualTo(200);
        assertThat(rawStatus("GET /api/v1/health HTTP/1.1", "other.example.org:" + port)).isEqualTo(421);
    }

    @Test
    void malformedHostNamesStopTheStartNamingTheKey() {
        cell.close();
        Map<String, String> settings = new HashMap<>(TestCell.SETTINGS);
        settings.put("api.hosts", "http://grove.example.org/");
        assertThatThrownBy(() -> Cell.start(new CellFolder(tmp.resolve("cell")), settings, Map.of(), Optional.empty()))
                .hasMessageContaining("api.hosts").hasMessageContaining("http://grove.example.org/");
        cell = TestCell.start(tmp.resolve("cell"), Map.of());
    }

    @Test
    void crossSiteOriginCannotChangeAnything() throws Exception {
        String[] session = setUp();
        HttpResponse<String> evil = send("PUT", "/api/v1/files/c.txt",
                Map.of("Cookie", session[0], "X-CSRF-Token", session[1], "Origin", "http://evil.example"), "x");
        assertThat(evil.statusCode()).isEqualTo(403);
        assertThat(json(evil).get("type").asText()).endsWith("/cross-origin");
        HttpResponse<String> same = send("PUT", "/api/v1/files/c.txt",
                Map.of("Cookie", session[0], "X-CSRF-Token", session[1], "Origin", cell.cell().apiUrl()), "x");
        assertThat(same.statusCode()).isEqualTo(201);
    }

    @Test
    void refusesToBindBeyondLoopbackUntilAPasswordIsSet() throws Exception {
        cell.close();
        Path dir = tmp.resolve("cell");
        Map<String, String> settings = new HashMap<>(TestCell.SETTINGS);
        settings.put("api.bind", "0.0.0.0");
        assertThatThrownBy(() -> Cell.start(new CellFolder(dir), settings, Map.of(), Optional.empty()))
                .isInstanceOf(CellStartException.class).hasMessageContaining("grove password");
        // With a password the check passes; the test still binds to loopback only.
        new PasswordFile(dir).write(PasswordHash.create(PASSWORD, new SecureRandom()));
        cell = TestCell.start(dir, Map.of());
        assertThat(cell.cell().apiPort()).isPositive();
    }

    @Test
    void dashboardFilesRevalidateWithNotModifiedAndMissingOnesAre404() throws Exception {
        HttpResponse<String> page = send("GET", "/app.js", Map.of(), "");
        assertThat(page.statusCode()).isEqualTo(200);
        String etag = page.headers().firstValue("ETag").orElseThrow();
        assertThat(send("GET", "/app.js", Map.of("If-None-Match", etag), "").statusCode()).isEqualTo(304);
        assertThat(send("GET", "/favicon.ico", Map.of(), "").statusCode()).isEqualTo(404);
    }

    /** Sends a request with a chosen Host header (the JDK client will not), returning the status code. */
    private int rawStatus(String requestLine, String host) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", cell.cell().apiPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((requestLine + "\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] head = in.readNBytes(12);
            String status = new String(head, StandardCharsets.US_ASCII);
            assertThat(status).startsWith("HTTP/1.1 ");
            return Integer.parseInt(status.substring(9, 12));
        }
    }
}
