package io.grove.runtime.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.grove.runtime.cell.CellFolder;
import io.grove.runtime.events.Event;
import io.grove.runtime.events.EventBus;
import io.grove.runtime.json.Json;
import io.grove.runtime.web.SessionCookie;
import io.grove.runtime.web.WebAccess;
import io.helidon.common.buffers.BufferData;
import io.helidon.common.uri.UriQuery;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

/**
 * {@code GET /api/v1/events}: the cell's live events ({@link EventBus}) as a WebSocket of JSON text frames
 * {@code {"seq", "type", "at", "data"}}, the first being {@code events.open} (docs/api.md, "Events").
 * <p>
 * A WebSocket upgrade is answered before Helidon's HTTP filters run, so the same rules are applied here: the
 * {@code Host} must name this cell; the caller shows the bearer token, or the dashboard's session cookie from a page of
 * this cell ({@code Origin} required and checked: a browser sends the cookie with a WebSocket opened by any site, the
 * cross-site WebSocket hijacking of OWASP's WebSocket cheat sheet). A refused upgrade falls through to the HTTP
 * routes, whose filters and {@link #fallback()} answer with the problem that explains it.
 */
final class EventsService {
    /** Where the stream is served. */
    static final String PATH = "/api/v1/events";
    /** How often the pump wakes without events, to check that the session is still live. */
    private static final long WAKE_MILLIS = 5_000;
    /** How often an idle stream is pinged (keeps proxies from closing it; finds dead clients). */
    private static final long PING_MILLIS = 20_000;
    private static final System.Logger LOG = System.getLogger(EventsService.class.getName());

    private final EventBus bus;
    private final WebAccess web;
    private final String token;
    private final IntSupplier port;
    private final Clock clock;

    /**
     * @param bus   the cell's events
     * @param web   the dashboard's sessions and allowed hosts
     * @param token the API token
     * @param port  the API socket's port, once it listens (the upgrade callback does not see the socket)
     */
    EventsService(EventBus bus, WebAccess web, String token, IntSupplier port, Clock clock) {
        this.bus = bus;
        this.web = web;
        this.token = token;
        this.port = port;
        this.clock = clock;
    }

    /** A listener for one connection. */
    WsListener listener() {
        return new Stream();
    }

    /**
     * The HTTP answer at {@link #PATH} when no WebSocket was opened: the problem that refused the upgrade (the HTTP
     * filters before it have checked Host and credentials), else {@code 426} for a plain GET.
     */
    HttpService fallback() {
        return (HttpRules rules) -> rules.any("/", this::explain);
    }

    private void explain(ServerRequest req, ServerResponse res) {
        Access access = access(req.headers(), req.query(), req.localPeer().port(), false);
        if (access instanceof Access.Refused refused) {
            Responses.problem(res, refused.problem());
            return;
        }
        res.header(HeaderNames.UPGRADE, "websocket");
        Responses.problem(res, Problem.of(426, "websocket-required", "Upgrade required",
                "/api/v1/events is a WebSocket (ws://…/api/v1/events?since=SEQ); see docs/api.md"));
    }

    /** Who may open the stream, and from which event on. */
    private sealed interface Access {
        /** Allowed; {@code session} is the dashboard session id when the cookie authenticated. */
        record Allowed(OptionalLong since, Optional<String> session) implements Access {
        }

        /** Refused, with the reason. */
        record Refused(Problem problem) implements Access {
        }
    }

    /**
     * Decides an upgrade request. With {@code authenticate} false (the HTTP fallback, behind the filters) Host and
     * credentials are taken as checked.
     */
    private Access access(Headers headers, UriQuery query, int localPort, boolean authenticate) {
        if (authenticate && !web.hosts().allows(headers.first(HeaderNames.HOST).orElse(""), localPort)) {
            return refused(421, "unknown-host", "this cell does not answer to that Host; see api.hosts");
        }
        Optional<String> origin = headers.first(HeaderNames.ORIGIN);
        if (origin.isPresent() && !web.hosts().allowsOrigin(origin.get(), localPort)) {
            return refused(403, "cross-origin", "a page of another site may not open this cell's events");
        }
        OptionalLong since;
        try {
            since = since(query);
        } catch (IllegalArgumentException e) {
            return refused(400, "invalid-since", e.getMessage());
        }
        Optional<String> authorization = headers.first(HeaderNames.AUTHORIZATION);
        if (authorization.isPresent()) {
            String value = authorization.get();
            if (authenticate && (!value.regionMatches(true, 0, "Bearer ", 0, 7)
                    || !CellFolder.secretEquals(token, value.substring(7).trim()))) {
                return refused(401, "unauthorized", "the bearer token is not this cell's API token");
            }
            return new Access.Allowed(since, Optional.empty());
        }
        Optional<String> session = headers.first(HeaderNames.COOKIE)
                .flatMap(cookie -> SessionCookie.find(cookie, localPort))
                .filter(id -> !authenticate || web.sessions().find(id).isPresent());
        if (session.isEmpty()) {
            return refused(401, "unauthorized", "the events need the bearer token or a dashboard session");
        }
        if (origin.isEmpty()) {
            return refused(403, "cross-origin",
                    "with the session cookie, the events open only from the dashboard's page (an Origin header)");
        }
        return new Access.Allowed(since, session);
    }

    private static Access.Refused refused(int status, String type, String detail) {
        return new Access.Refused(Problem.of(status, type, status == 401 ? "Unauthorized" : "Refused", detail));
    }

    private static OptionalLong since(UriQuery query) {
        if (!query.contains("since")) {
            return OptionalLong.empty();
        }
        String value = query.get("since");
        if (value.isEmpty() || value.length() > 19 || !value.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("since is the seq of the last event seen (0 or more)");
        }
        return OptionalLong.of(Long.parseLong(value));
    }

    /** One open stream: a virtual thread pumps the subscription into the socket. */
    private final class Stream implements WsListener {
        private final ReentrantLock sending = new ReentrantLock();
        private volatile boolean closed;
        private Access.Allowed access;

        @Override
        public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
            Access decided = access(headers, prologue.query(), port.getAsInt(), true);
            if (decided instanceof Access.Refused refused) {
                LOG.log(System.Logger.Level.DEBUG, "refused an events WebSocket: " + refused.problem().detail());
                throw new WsUpgradeException(refused.problem().detail());
            }
            access = (Access.Allowed) decided;
            return Optional.empty();
        }

        @Override
        public void onOpen(WsSession session) {
            EventBus.Subscription subscription;
            long before = bus.latest();
            try {
                subscription = bus.subscribe();
            } catch (IllegalStateException e) {
                send(session, () -> session.close(WsCloseCodes.TRY_AGAIN_LATER, "too many live event subscribers"));
                closed = true;
                return;
            }
            Thread.ofVirtual().name("grove-events").start(() -> pump(session, subscription, before));
        }

        @Override
        public void onPing(WsSession session, BufferData buffer) {
            send(session, () -> session.pong(buffer));
        }

        @Override
        public void onClose(WsSession session, int status, String reason) {
            stop();
        }

        @Override
        public void onError(WsSession session, Throwable t) {
            stop();
        }

        private void stop() {
            sending.lock();
            try {
                closed = true; // after this no frame of ours starts, so Helidon's close reply is never interleaved
            } finally {
                sending.unlock();
            }
        }

        private void pump(WsSession session, EventBus.Subscription subscription, long before) {
            try (subscription) {
                long from = access.since().orElse(before);
                boolean gap = false;
                if (from > bus.latest()) {
                    gap = true; // a cursor from before the cell restarted: its numbers started again
                    from = before;
                }
                List<Event> replay = bus.since(from);
                if (access.since().isPresent()) {
                    gap |= replay.isEmpty() ? bus.latest() > from : replay.get(0).seq() > from + 1;
                }
                Map<String, Object> open = new LinkedHashMap<>();
                open.put("seq", from);
                open.put("type", "events.open");
                open.put("at", clock.instant().toString());
                open.put("data", Map.of("latest", bus.latest(), "replayed", replay.size(), "gap", gap));
                if (!send(session, () -> session.send(json(open), true))) {
                    return;
                }
                long last = from;
                for (Event e : replay) {
                    if (!send(session, () -> session.send(json(frame(e)), true))) {
                        return;
                    }
                    last = e.seq();
                }
                long lastWrite = System.nanoTime();
                while (!closed) {
                    Event e = subscription.next(WAKE_MILLIS);
                    if (e != null && e.seq() > last) {
                        if (!send(session, () -> session.send(json(frame(e)), true))) {
                            return;
                        }
                        last = e.seq();
                        lastWrite = System.nanoTime();
                    } else if (e == null) {
                        if (access.session().isPresent() && web.sessions().find(access.session().get()).isEmpty()) {
                            send(session, () -> session.close(WsCloseCodes.VIOLATED_POLICY, "session ended"));
                            return;
                        }
                        if (System.nanoTime() - lastWrite > PING_MILLIS * 1_000_000L) {
                            if (!send(session, () -> session.ping(BufferData.create(0)))) {
                                return;
                            }
                            lastWrite = System.nanoTime();
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "events stream ended: " + e);
            } finally {
                closed = true;
            }
        }

        /** Writes one frame unless the stream is closing; false when it is closed or the write failed. */
        private boolean send(WsSession session, Runnable write) {
            sending.lock();
            try {
                if (closed) {
                    return false;
                }
                write.run();
                return true;
            } catch (RuntimeException e) {
                closed = true;
                LOG.log(System.Logger.Level.DEBUG, "events stream closed by the other side: " + e);
                return false;
            } finally {
                sending.unlock();
            }
        }
    }

    private static Map<String, Object> frame(Event e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seq", e.seq());
        out.put("type", e.type());
        out.put("at", e.at().toString());
        out.put("data", e.data());
        return out;
    }

    private static String json(Map<String, Object> frame) {
        try {
            return Json.mapper().writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event that is not JSON: " + e.getMessage(), e);
        }
    }
}
