package io.grove.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.runtime.json.Json;
import io.helidon.webserver.http.ServerRequest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** Small JSON request bodies of the REST API, read one way: bounded, an object, fields checked by type. */
final class JsonBodies {
    private JsonBodies() {
    }

    /**
     * The body as a JSON object; an empty body is an empty object.
     *
     * @param maxBytes the most bytes accepted (413 beyond)
     * @param what     what the requests are, for the 413 message ("fleet requests")
     */
    static JsonNode object(ServerRequest req, int maxBytes, String what) {
        byte[] bytes;
        try (InputStream in = req.content().inputStream()) {
            bytes = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw bad("the request body could not be read");
        }
        if (bytes.length > maxBytes) {
            throw new ProblemException(Problem.of(413, "too-large", "Body too large",
                    what + " carry at most " + maxBytes + " bytes of JSON"));
        }
        if (bytes.length == 0) {
            return Json.mapper().createObjectNode();
        }
        try {
            JsonNode node = Json.mapper().readTree(bytes);
            if (node == null || !node.isObject()) {
                throw bad("the body is a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw bad("the body is not valid JSON");
        }
    }

    /** A string field, if present and not null; a 400 when it is another type. */
    static Optional<String> text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw bad(field + " is a string");
        }
        return Optional.of(value.textValue());
    }

    /** A 400 {@code bad-request} problem. */
    static ProblemException bad(String detail) {
        return new ProblemException(Problem.of(400, "bad-request", "Bad request", detail));
    }
}
