package io.grove.runtime.http;

import io.grove.runtime.files.FileContent;
import io.grove.runtime.files.FileService;
import io.grove.runtime.files.VersionInfo;
import io.grove.runtime.ingest.ContentTooLargeException;
import io.grove.runtime.manifest.FilePaths;
import io.grove.runtime.manifest.HybridClock;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLConnection;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/files}: put, get (with ranges), list, history, restore and delete files. {@code {path}} may contain
 * {@code /}; a last segment written literally as {@code history} or {@code restore} names those endpoints (encode a
 * character, e.g. {@code histor%79}, to address a file of that name). See docs/api.md.
 */
final class FilesService implements HttpService {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    private static final Pattern VERSION = Pattern.compile("[0-9a-f]{64}");
    private static final int MAX_LIST = 1000;

    private final FileService files;
    private final long maxBody;

    FilesService(FileService files, long maxBody) {
        this.files = files;
        this.maxBody = maxBody;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .get("/*", this::get)
                .put("/*", this::put)
                .post("/*", this::post)
                .delete("/*", this::delete);
    }

    /**
     * A version as the API shows it.
     *
     * @param path      the file's path
     * @param version   the version id
     * @param size      bytes
     * @param mtime     modification time (ISO-8601)
     * @param mediaType media type
     * @param changedAt when the change was made (from its clock, ISO-8601)
     * @param author    the cell that made it
     * @param parent    the version it replaced
     * @param deleted   whether it records a deletion
     * @param chunks    number of chunks
     */
    record VersionView(String path, String version, long size, String mtime, String mediaType, String changedAt,
                       String author, Optional<String> parent, boolean deleted, int chunks) {
        static VersionView of(VersionInfo v) {
            return new VersionView(v.path(), v.id(), v.size(), Instant.ofEpochMilli(v.mtime()).toString(), v.mediaType(),
                    Instant.ofEpochMilli(HybridClock.millis(v.hlc())).toString(), v.author(), v.parent(), v.tombstone(),
                    v.chunkCount());
        }
    }

    /** The body of a successful put. */
    record PutView(VersionView version, long newBytes) {
    }

    /** A page of a listing. */
    record ListView(List<VersionView> files, Optional<String> next) {
    }

    /** A history, with whether concurrent versions exist. */
    record HistoryView(String path, boolean conflict, List<VersionView> versions) {
    }

    private void put(ServerRequest req, ServerResponse res) throws IOException {
        Target target = target(req);
        if (target.action() != Action.CONTENT) {
            throw new ProblemException(Problem.of(405, "method-not-allowed", "Method not allowed",
                    "PUT stores file content; " + target.action().name().toLowerCase() + " is read with GET or POST"));
        }
        long mtime = req.headers().first(HeaderNames.create("X-Grove-Mtime"))
                .map(v -> parseLong(v, "X-Grove-Mtime")).orElseGet(System::currentTimeMillis);
        String mediaType = mediaType(req, target.path());
        FileService.Stored stored;
        try {
            stored = files.put(target.path(), req.content().inputStream(),
                    new FileService.PutOptions(mtime, mediaType, maxBody));
        } catch (ContentTooLargeException e) {
            throw new ProblemException(Problem.of(413, "too-large", "Content too large",
                    "the body is larger than api.max-body (" + e.limit() + " bytes); nothing was stored"));
        }
        res.header(HeaderNames.LOCATION, "/api/v1/files/" + encodePath(target.path()));
        Responses.json(res, 201, new PutView(VersionView.of(stored.version()), stored.newBytes()));
    }

    private void get(ServerRequest req, ServerResponse res) throws IOException {
        Target target = target(req);
        if (target.action() == Action.HISTORY) {
            List<VersionView> versions = files.history(target.path()).stream().map(VersionView::of).toList();
            Responses.json(res, 200, new HistoryView(target.path(), files.inConflict(target.path()), versions));
            return;
        }
        if (target.action() == Action.RESTORE) {
            throw new ProblemException(Problem.of(405, "method-not-allowed", "Method not allowed", "restore is a POST"));
        }
        FileContent content = files.open(target.path(), version(req));
        if (content.version().tombstone()) {
            throw ProblemException.notFound("deleted", "version " + content.version().id() + " records the deletion of "
                    + target.path() + "; it has no content");
        }
        long size = content.version().size();
        String etag = "\"" + content.version().id() + "\"";
        res.header(HeaderNames.ETAG, etag);
        res.header(HeaderNames.ACCEPT_RANGES, "bytes");
        res.header(HeaderNames.CONTENT_TYPE, content.version().mediaType());
        res.header(HeaderNames.LAST_MODIFIED, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(Instant.ofEpochMilli(content.version().mtime()).atZone(java.time.ZoneOffset.UTC)));
        if (req.headers().first(HeaderNames.IF_NONE_MATCH).map(etag::equals).orElse(false)) {
            res.status(Status.NOT_MODIFIED_304).send();
            return;
        }
        long from = 0;
        long to = size;
        Optional<String> range = req.headers().first(HeaderNames.RANGE);
        boolean ifRangeOk = req.headers().first(HeaderNames.IF_RANGE).map(etag::equals).orElse(true);
        if (range.isPresent() && ifRangeOk) {
            Matcher m = RANGE.matcher(range.get().trim());
            if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
                if (m.group(1).isEmpty()) {
                    long suffix = parseLong(m.group(2), "Range");
                    from = Math.max(0, size - suffix);
                } else {
                    from = parseLong(m.group(1), "Range");
                    to = m.group(2).isEmpty() ? size : Math.min(size, parseLong(m.group(2), "Range") + 1);
                }
                if (from >= size || from >= to) {
                    res.header(HeaderNames.CONTENT_RANGE, "bytes */" + size);
                    throw new ProblemException(Problem.of(416, "range-not-satisfiable", "Range not satisfiable",
                            "the range " + range.get() + " lies outside the file's " + size + " bytes"));
                }
                res.status(Status.PARTIAL_CONTENT_206);
                res.header(HeaderNames.CONTENT_RANGE, "bytes " + from + "-" + (to - 1) + "/" + size);
            }
        }
        try (FileService.ContentStream stream = files.read(content, from, to)) {
            res.header(HeaderNames.CONTENT_LENGTH, Long.toString(to - from));
            try (OutputStream out = res.outputStream()) {
                stream.writeTo(out);
            }
        }
    }

    private void post(ServerRequest req, ServerResponse res) throws IOException {
        Target target = target(req);
        if (target.action() != Action.RESTORE) {
            throw new ProblemException(Problem.of(405, "method-not-allowed", "Method not allowed",
                    "POST is only for .../{path}/restore?version=V"));
        }
        String version = version(req).orElseThrow(() ->
                ProblemException.badRequest("missing-version", "restore needs ?version=<version id> (see the history)"));
        VersionInfo restored = files.restore(target.path(), version);
        Responses.json(res, 201, new PutView(VersionView.of(restored), 0));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        Target target = target(req);
        if (target.action() != Action.CONTENT) {
            throw new ProblemException(Problem.of(405, "method-not-allowed", "Method not allowed",
                    "DELETE removes a file: DELETE /api/v1/files/{path}"));
        }
        Responses.json(res, 200, VersionView.of(files.delete(target.path())));
    }

    private void list(ServerRequest req, ServerResponse res) {
        String prefix = req.query().first("prefix").orElse("");
        String after = req.query().first("after").orElse("");
        int limit = req.query().first("limit").map(v -> (int) parseLong(v, "limit")).orElse(MAX_LIST);
        if (limit < 1 || limit > MAX_LIST) {
            throw ProblemException.badRequest("invalid-limit", "limit must be between 1 and " + MAX_LIST);
        }
        boolean deleted = req.query().first("deleted").map(Boolean::parseBoolean).orElse(false);
        List<VersionView> page;
        try {
            page = files.list(prefix, after, limit, deleted).stream().map(VersionView::of).toList();
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-prefix", "prefix: " + e.getMessage());
        }
        Optional<String> next = page.size() == limit ? Optional.of(page.get(page.size() - 1).path()) : Optional.empty();
        Responses.json(res, 200, new ListView(page, next));
    }

    private enum Action { CONTENT, HISTORY, RESTORE }

    private record Target(String path, Action action) {
    }

    /** The file path from the raw request path, with the action suffix recognised before decoding. */
    private static Target target(ServerRequest req) {
        String raw = req.path().rawPath();
        String prefix = "/api/v1/files/";
        if (!raw.startsWith(prefix) || raw.length() == prefix.length()) {
            throw ProblemException.badRequest("invalid-path", "the request names no file path");
        }
        String rest = raw.substring(prefix.length());
        Action action = Action.CONTENT;
        if (rest.endsWith("/history")) {
            action = Action.HISTORY;
            rest = rest.substring(0, rest.length() - "/history".length());
        } else if (rest.endsWith("/restore")) {
            action = Action.RESTORE;
            rest = rest.substring(0, rest.length() - "/restore".length());
        }
        StringBuilder path = new StringBuilder();
        for (String segment : rest.split("/", -1)) {
            if (!path.isEmpty()) {
                path.append('/');
            }
            try {
                path.append(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("invalid-path", "the path is not valid percent-encoding");
            }
        }
        try {
            return new Target(FilePaths.check(path.toString()), action);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-path", "path: " + e.getMessage());
        }
    }

    private static Optional<String> version(ServerRequest req) {
        Optional<String> version = req.query().first("version").asOptional();
        version.ifPresent(v -> {
            if (!VERSION.matcher(v).matches()) {
                throw ProblemException.badRequest("invalid-version", "version must be 64 lowercase hex characters");
            }
        });
        return version;
    }

    private static String mediaType(ServerRequest req, String path) {
        Optional<String> given = req.headers().first(HeaderNames.CONTENT_TYPE)
                .filter(t -> !t.isBlank() && !t.startsWith("application/octet-stream") && !t.startsWith("application/x-www-form-urlencoded"));
        if (given.isPresent()) {
            String type = given.get().trim();
            if (type.length() > 200 || type.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
                throw ProblemException.badRequest("invalid-media-type", "Content-Type is not a valid media type");
            }
            return type;
        }
        String guessed = URLConnection.guessContentTypeFromName(path.substring(path.lastIndexOf('/') + 1));
        return guessed == null ? "application/octet-stream" : guessed;
    }

    private static long parseLong(String value, String field) {
        try {
            long n = Long.parseLong(value.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("invalid-" + field.toLowerCase(), field + " must be a non-negative whole number");
        }
    }

    static String encodePath(String path) {
        StringBuilder out = new StringBuilder();
        for (String segment : path.split("/")) {
            if (!out.isEmpty()) {
                out.append('/');
            }
            out.append(java.net.URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return out.toString();
    }
}
