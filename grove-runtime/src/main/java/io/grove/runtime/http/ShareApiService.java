package io.grove.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.api.CellId;
import io.grove.runtime.chat.Chat;
import io.grove.runtime.config.ConfigValues;
import io.grove.runtime.peer.PeerCallException;
import io.grove.runtime.peers.PeersView;
import io.grove.runtime.share.ShareNotFoundException;
import io.grove.runtime.share.ShareRefusedException;
import io.grove.runtime.share.Shares;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sharing and chat over REST: {@code GET/POST /api/v1/shares}, {@code DELETE /api/v1/shares/{id}},
 * {@code GET /api/v1/feed}, {@code GET /api/v1/feed/{id}/content}, {@code GET/POST /api/v1/chat/{cell}}.
 * docs/api.md describes the bodies; docs/sharing.md the behaviour.
 */
final class ShareApiService {
    /** The largest JSON body these endpoints read (a chat message of 16 KiB, escaped). */
    static final int MAX_BODY = 64 * 1024;
    private static final int MAX_LIST = 1000;

    private final Shares shares;
    private final Chat chat;
    private final PeersView view;
    private final Clock clock;

    ShareApiService(Shares shares, Chat chat, PeersView view, Clock clock) {
        this.shares = shares;
        this.chat = chat;
        this.view = view;
        this.clock = clock;
    }

    /** {@code /api/v1/shares}. */
    HttpService shares() {
        return rules -> rules
                .get("/", (req, res) -> {
                    long now = clock.millis();
                    Responses.json(res, 200, shares.outgoing(limit(req)).stream().map(k -> Shares.view(k, now)).toList());
                })
                .post("/", this::share)
                .delete("/{id}", this::unshare);
    }

    /** {@code /api/v1/feed}. */
    HttpService feed() {
        return rules -> rules
                .get("/", (req, res) -> {
                    long now = clock.millis();
                    Responses.json(res, 200, shares.feed(limit(req)).stream().map(k -> Shares.view(k, now)).toList());
                })
                .get("/{id}/content", this::content);
    }

    /** {@code /api/v1/chat}. */
    HttpService chat() {
        return rules -> rules
                .get("/{cell}", this::conversation)
                .post("/{cell}", this::send);
    }

    private void share(ServerRequest req, ServerResponse res) {
        JsonNode body = JsonBodies.object(req, MAX_BODY, "share and chat requests");
        String path = JsonBodies.text(body, "path")
                .orElseThrow(() -> JsonBodies.bad("the body needs \"path\": the file to share"));
        CellId with = cell(JsonBodies.text(body, "with")
                .orElseThrow(() -> JsonBodies.bad("the body needs \"with\": the cell to share with")));
        boolean latest = !body.has("latest") || body.get("latest").asBoolean(true);
        Optional<Duration> ttl;
        try {
            ttl = JsonBodies.text(body, "expires").map(e -> ConfigValues.duration("expires", e));
        } catch (RuntimeException e) {
            throw JsonBodies.bad("expires is a duration such as 30m, 24h or 7d");
        }
        Shares.Kept kept;
        try {
            kept = shares.share(path, with, latest, ttl);
        } catch (ShareRefusedException e) {
            throw JsonBodies.bad(e.getMessage());
        } catch (PeerCallException e) {
            throw new ProblemException(Problem.of(502, "share-refused-by-recipient", "The recipient refused the grant",
                    e.getMessage()));
        } catch (IOException e) {
            throw new ProblemException(Problem.of(502, "recipient-unreachable", "The recipient cannot be reached",
                    "the grant was not made: " + e.getMessage()));
        }
        Responses.json(res, 201, Shares.view(kept, clock.millis()));
    }

    private void unshare(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        boolean told;
        try {
            told = shares.revoke(id);
        } catch (ShareNotFoundException e) {
            throw new ProblemException(Problem.of(404, "share-not-found", "Not found", e.getMessage()));
        }
        Shares.Kept kept = shares.find(id).orElseThrow();
        Map<String, Object> out = new LinkedHashMap<>(Shares.view(kept, clock.millis()));
        out.put("recipientTold", told);
        Responses.json(res, 200, out);
    }

    private void content(ServerRequest req, ServerResponse res) throws IOException {
        String id = req.path().pathParameters().get("id");
        Shares.Opened opened;
        try {
            opened = shares.open(id);
        } catch (ShareNotFoundException e) {
            throw new ProblemException(Problem.of(404, "share-not-found", "Not found", e.getMessage()));
        } catch (ShareRefusedException e) {
            throw new ProblemException(Problem.of(403, "share-refused", "The owner refused", e.getMessage()));
        } catch (PeerCallException e) {
            throw new ProblemException(Problem.of(e.status() == 403 ? 403 : 502, "share-refused", "The owner refused",
                    e.getMessage()));
        } catch (IOException e) {
            throw new ProblemException(Problem.of(502, "owner-unreachable", "The owner cannot be reached", e.getMessage()));
        }
        res.header(HeaderNames.CONTENT_TYPE, opened.manifest().mediaType());
        res.header(HeaderNames.CONTENT_LENGTH, Long.toString(opened.manifest().size()));
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderNames.create("Grove-Version"), opened.versionId());
        // The first chunk may still fail after the headers are out; the client then sees a short body.
        try (OutputStream out = res.outputStream()) {
            shares.write(opened, out);
        }
    }

    private void conversation(ServerRequest req, ServerResponse res) {
        String named = req.path().pathParameters().get("cell");
        CellId peer;
        try {
            peer = view.resolve(named);
        } catch (IllegalArgumentException e) {
            // A cell no longer in the roster (revoked) keeps its history here, by its full id.
            try {
                peer = CellId.parse(named);
            } catch (IllegalArgumentException notAnId) {
                throw JsonBodies.bad(e.getMessage());
            }
        }
        long since;
        try {
            since = req.query().first("since").map(Long::parseLong).orElse(0L);
        } catch (NumberFormatException e) {
            throw JsonBodies.bad("since is a message id (a whole number)");
        }
        List<Map<String, Object>> out = chat.conversation(peer, since, limit(req)).stream().map(Chat.Message::view).toList();
        Responses.json(res, 200, out);
    }

    private void send(ServerRequest req, ServerResponse res) {
        CellId peer = cell(req.path().pathParameters().get("cell"));
        String text = JsonBodies.text(JsonBodies.object(req, MAX_BODY, "share and chat requests"), "text").orElseThrow(() -> JsonBodies.bad("the body needs \"text\": the message"));
        Chat.Message sent;
        try {
            sent = chat.send(peer, text);
        } catch (IllegalArgumentException e) {
            throw JsonBodies.bad(e.getMessage());
        }
        Responses.json(res, 201, sent.view());
    }

    private CellId cell(String text) {
        try {
            return view.resolve(text);
        } catch (IllegalArgumentException e) {
            throw JsonBodies.bad(e.getMessage());
        }
    }

    private static int limit(ServerRequest req) {
        try {
            int limit = req.query().first("limit").map(Integer::parseInt).orElse(100);
            if (limit < 1 || limit > MAX_LIST) {
                throw JsonBodies.bad("limit is 1 to " + MAX_LIST);
            }
            return limit;
        } catch (NumberFormatException e) {
            throw JsonBodies.bad("limit is a whole number");
        }
    }



}
