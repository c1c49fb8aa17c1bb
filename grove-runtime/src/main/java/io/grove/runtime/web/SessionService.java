package io.grove.runtime.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import io.grove.runtime.http.Problem;
import io.grove.runtime.http.ProblemException;
import io.grove.runtime.http.Responses;
import io.grove.runtime.json.Json;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * {@code /api/v1/session}: the dashboard's password and login. {@code GET} says whether a password is set and whether
 * the caller is logged in (with its CSRF token); {@code POST setup} sets the first password (from a loopback address
 * only), {@code POST login}, {@code POST logout}, {@code POST password} (change). Password bodies are JSON, which a
 * page of another site can only send after a CORS preflight this cell never grants.
 */
public final class SessionService implements HttpService {
    private static final int MAX_BODY = 8192;
    private final WebAccess access;

    /** What the dashboard learns about its session. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    record SessionView(boolean passwordSet, boolean authenticated, Optional<String> csrfToken) {
    }

    record PasswordBody(String password, String current) {
    }

    public SessionService(WebAccess access) {
        this.access = access;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::state)
                .post("/setup", this::setUp)
                .post("/login", this::login)
                .post("/logout", this::logout)
                .post("/password", this::change)
                .any("/", (req, res) -> methodNotAllowed())
                .any("/{operation}", (req, res) -> methodNotAllowed());
    }

    /** The session the request's cookie names, if it is live. */
    public static Optional<Sessions.Session> session(WebAccess access, ServerRequest req) {
        return req.headers().first(HeaderNames.COOKIE)
                .flatMap(h -> SessionCookie.find(h, req.localPeer().port()))
                .flatMap(id -> access.sessions().find(id));
    }

    private void state(ServerRequest req, ServerResponse res) {
        Optional<Sessions.Session> session = session(access, req);
        Responses.json(res, 200, new SessionView(access.passwordSet(), session.isPresent(),
                session.map(Sessions.Session::csrfToken)));
    }

    private void setUp(ServerRequest req, ServerResponse res) throws IOException {
        PasswordBody body = body(req);
        if (!(req.remotePeer().address() instanceof InetSocketAddress remote) || !remote.getAddress().isLoopbackAddress()) {
            throw new ProblemException(Problem.of(403, "setup-not-local", "Forbidden",
                    "the first password can only be set from this machine (a loopback address), or with 'grove password'"));
        }
        Optional<Sessions.Session> session = access.setUp(newPassword(body.password()));
        if (session.isEmpty()) {
            throw ProblemException.conflict("password-already-set", "a dashboard password is already set; log in instead");
        }
        started(req, res, 201, session.get());
    }

    private void login(ServerRequest req, ServerResponse res) {
        PasswordBody body = body(req);
        if (!access.passwordSet()) {
            throw ProblemException.conflict("no-password", "no dashboard password is set yet; set one first");
        }
        outcome(req, res, access.login(client(req), required(body.password(), "password")));
    }

    private void logout(ServerRequest req, ServerResponse res) {
        req.headers().first(HeaderNames.COOKIE).flatMap(h -> SessionCookie.find(h, req.localPeer().port()))
                .ifPresent(id -> access.sessions().end(id));
        res.header(HeaderNames.SET_COOKIE, SessionCookie.clear(req.localPeer().port(), req.isSecure()));
        res.status(204).send();
    }

    private void change(ServerRequest req, ServerResponse res) throws IOException {
        PasswordBody body = body(req);
        String current = required(body.current(), "current");
        outcome(req, res, access.change(client(req), current, newPassword(body.password())));
    }

    private void outcome(ServerRequest req, ServerResponse res, WebAccess.Outcome outcome) {
        switch (outcome) {
            case WebAccess.Outcome.LoggedIn in -> started(req, res, 200, in.session());
            case WebAccess.Outcome.Wrong wrong -> throw new ProblemException(Problem.of(401, "wrong-password",
                    "Unauthorized", "password: this is not the dashboard password"));
            case WebAccess.Outcome.Limited limited -> {
                long seconds = Math.max(1, limited.retryAfter().toSeconds());
                // Sent here, not thrown: the error handler starts a fresh response without this header.
                res.header(HeaderNames.RETRY_AFTER, Long.toString(seconds));
                Responses.problem(res, Problem.of(429, "too-many-attempts", "Too many attempts",
                        "too many wrong passwords; try again in " + seconds + " s"));
            }
        }
    }

    private static void started(ServerRequest req, ServerResponse res, int status, Sessions.Session session) {
        res.header(HeaderNames.SET_COOKIE, SessionCookie.set(session, req.localPeer().port(), req.isSecure()));
        Responses.json(res, status, new SessionView(true, true, Optional.of(session.csrfToken())));
    }

    private static String newPassword(String given) {
        try {
            return PasswordPolicy.check(required(given, "password"));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-password", "password: " + e.getMessage());
        }
    }

    private static String required(String value, String field) {
        if (value == null) {
            throw ProblemException.badRequest("invalid-body", field + ": missing");
        }
        return value;
    }

    private static String client(ServerRequest req) {
        return req.remotePeer().address() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : req.remotePeer().host();
    }

    private static PasswordBody body(ServerRequest req) {
        boolean json = req.headers().contentType().map(t -> t.mediaType().text().equals("application/json")).orElse(false);
        if (!json) {
            throw new ProblemException(Problem.of(415, "unsupported-media-type", "Unsupported media type",
                    "send the body as Content-Type: application/json"));
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw new ProblemException(Problem.of(413, "too-large", "Payload too large",
                        "the body may have at most " + MAX_BODY + " bytes"));
            }
            return Json.mapper().readValue(bytes, PasswordBody.class);
        } catch (JacksonException e) {
            throw ProblemException.badRequest("invalid-body", "the body is not a JSON object {\"password\": …}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void methodNotAllowed() {
        throw new ProblemException(Problem.of(405, "method-not-allowed", "Method not allowed",
                "see docs/dashboard.md for the session endpoints"));
    }
}
