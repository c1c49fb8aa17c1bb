package io.grove.runtime.http;

/**
 * An RFC 9457 problem details body.
 *
 * @param type   a URI naming the kind of problem ({@code https://grove.dev/problems/…}, documented in docs/api.md)
 * @param title  a short summary of the kind
 * @param status the HTTP status
 * @param detail what went wrong this time and what to do, naming the field at fault
 */
public record Problem(String type, String title, int status, String detail) {
    /** The media type of problem bodies. */
    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String BASE = "https://grove.dev/problems/";

    /** A problem of a named kind ({@code unauthorized}, {@code invalid-path} …). */
    public static Problem of(int status, String kind, String title, String detail) {
        return new Problem(BASE + kind, title, status, detail);
    }

    /**
     * The 500 for an {@link Error} (out of memory, most likely) while the cell was {@code doing} something ("handling
     * this request", "while storing …"): the work is abandoned as the error unwinds and the cell goes on serving.
     */
    public static Problem internal(Error error, String doing) {
        String what = error instanceof OutOfMemoryError
                ? "the cell ran out of memory " + doing + " (a larger heap: GROVE_JAVA_OPTS=-Xmx…)"
                : "the cell's JVM failed " + doing;
        return of(500, "internal", "Internal error", what
                + "; what it had not acknowledged is not stored, and its log has the details");
    }
}
