package io.grove.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.runtime.json.Json;

import java.io.PrintStream;
import java.util.Locale;

/** Formatting shared by the commands' human output. */
final class Human {
    private Human() {
    }

    /** {@code text} without control characters (names from other cells must not drive the terminal). */
    static String printable(String text) {
        return text.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static String shortVersion(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    static void printJson(PrintStream out, JsonNode node) {
        try {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One line for a version: short id, time, size, path or state. */
    static String version(JsonNode v) {
        return String.format(Locale.ROOT, "%s  %s  %10s  %s%s", shortVersion(v.path("version").asText()),
                v.path("changedAt").asText(), v.path("deleted").asBoolean() ? "-" : bytes(v.path("size").asLong()),
                v.path("path").asText(), v.path("deleted").asBoolean() ? "  (deleted)" : "");
    }
}
