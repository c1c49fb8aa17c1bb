package io.grove.runtime.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the text forms of typed configuration values, one way for the whole runtime. */
public final class ConfigValues {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(?:([kmgt])(?:i?b)?|b)?", Pattern.CASE_INSENSITIVE);

    private ConfigValues() {
    }

    /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 7d}, or ISO-8601 such as {@code PT5M}. */
    public static Duration duration(String key, String text) {
        String t = text.trim();
        Matcher m = DURATION.matcher(t.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(t);
        } catch (DateTimeParseException e) {
            throw invalid(key, text, "a duration such as 500ms, 30s, 5m, 1h, 7d or PT5M");
        }
    }

    /** {@code 512}, {@code 64k}, {@code 16MiB}, {@code 1g}: binary multiples. */
    public static long size(String key, String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw invalid(key, text, "a size such as 512, 64k, 16MiB or 1g");
        }
        long n = Long.parseLong(m.group(1));
        int shift = m.group(2) == null ? 0 : switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 40;
        };
        if (Long.numberOfLeadingZeros(n) <= shift) {
            throw invalid(key, text, "a size below 8 EiB");
        }
        return n << shift;
    }

    public static int integer(String key, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw invalid(key, text, "a whole number");
        }
    }

    public static long longValue(String key, String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw invalid(key, text, "a whole number");
        }
    }

    public static boolean bool(String key, String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw invalid(key, text, "true or false");
        };
    }

    private static ConfigException invalid(String key, String text, String expected) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        return new ConfigException("configuration key '" + key + "' is '" + shown + "'; expected " + expected);
    }
}
