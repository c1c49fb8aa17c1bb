package io.grove.runtime.peers;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.runtime.json.Json;

/** Reads the detail of an RFC 9457 problem a peer answered with, for messages to people. */
final class Problems {
    private static final int MAX_DETAIL = 300;

    private Problems() {
    }

    /** The problem's {@code detail} (or {@code title}), printable characters only, bounded; a fallback otherwise. */
    static String detail(byte[] body) {
        try {
            JsonNode node = Json.mapper().readTree(body);
            String text = node.path("detail").asText(node.path("title").asText("no reason given"));
            String clean = text.codePoints().filter(c -> !Character.isISOControl(c))
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
            return clean.length() > MAX_DETAIL ? clean.substring(0, MAX_DETAIL) + "…" : clean;
        } catch (java.io.IOException | RuntimeException e) {
            return "no readable reason given";
        }
    }
}
