package io.grove.runtime.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.grove.runtime.json.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

import java.io.UncheckedIOException;

/** Writes JSON and problem bodies, one way for every service. */
public final class Responses {
    private Responses() {
    }

    /** Sends {@code body} as JSON with the given status. */
    public static void json(ServerResponse res, int status, Object body) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(bytes(body));
    }

    /** Sends a problem details body. */
    public static void problem(ServerResponse res, Problem problem) {
        res.status(Status.create(problem.status()));
        res.header(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(bytes(problem));
    }

    private static byte[] bytes(Object body) {
        try {
            return Json.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
