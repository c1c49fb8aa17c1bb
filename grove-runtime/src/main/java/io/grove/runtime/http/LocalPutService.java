package io.grove.runtime.http;

import io.grove.runtime.files.ArchiveEntries;
import io.grove.runtime.files.ArchiveException;
import io.grove.runtime.files.FileService;
import io.grove.runtime.files.FolderEntries;
import io.grove.runtime.ingest.ContentTooLargeException;
import io.grove.runtime.json.Json;
import io.grove.runtime.manifest.FilePaths;
import io.grove.runtime.stats.CountingStreams;
import io.grove.runtime.stats.TransferMeter;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * {@code POST /api/v1/local?source=/abs/path&as=PATH}: the cell reads a file, or a folder's files, from this machine
 * itself instead of receiving them over HTTP (what {@code grove put} does when the cell runs on the same machine): no
 * upload, no tar stream to build and parse. Only a caller on this machine that can read the cell's own folder may
 * ask: the request comes over loopback and carries, besides the API token, the {@code localToken} the serving cell
 * wrote to {@code serve.json} (0600 in the cell's 0700 folder), so the cell reads files only for its own user (or
 * root). The cell's own folder is never read this way. docs/api.md "Local puts".
 *
 * <p>With {@code Accept: application/x-ndjson} the answer is a stream of JSON lines: {@code {"total": N}} first,
 * then {@code {"read": n}} as the files are read, and last {@code {"result": …}} (the body a put or an archive put
 * returns) or {@code {"problem": …}} (problem details). Without it, the answer is that body alone, or a problem.
 */
final class LocalPutService implements HttpService {
    private static final System.Logger LOG = System.getLogger(LocalPutService.class.getName());
    static final String TOKEN_HEADER = "X-Grove-Local-Token";
    private static final String NDJSON = "application/x-ndjson";
    private static final long PROGRESS_NANOS = 200_000_000L;

    private final FileService files;
    private final Path cellDir;
    private final byte[] token;
    private final long maxBody;
    private final Optional<TransferMeter> meter;

    /**
     * @param meter where the bytes read count as uploaded (as if they had come over HTTP), for the dashboard
     */
    LocalPutService(FileService files, Path cellDir, String token, long maxBody, Optional<TransferMeter> meter) {
        this.files = files;
        this.cellDir = cellDir;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.maxBody = maxBody;
        this.meter = meter;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::post);
    }

    /** What to store and where. */
    private record Source(Path path, BasicFileAttributes attributes, String as) {
        boolean folder() {
            return attributes.isDirectory();
        }
    }

    /** A put that reports the bytes read so far. */
    @FunctionalInterface
    private interface Run {
        Object run(LongConsumer read) throws IOException;
    }

    private void post(ServerRequest req, ServerResponse res) throws IOException {
        checkCaller(req);
        Source source = source(req);
        long total;
        Run run;
        if (source.folder()) {
            FolderEntries entries = walk(source.path());
            total = entries.totalBytes();
            run = read -> putFolder(entries, source.as(), read);
        } else {
            total = source.attributes().size();
            run = read -> putFile(source, read);
        }
        boolean streamed = req.headers().acceptedTypes().stream()
                .anyMatch(t -> t.mediaType().text().equals(NDJSON));
        if (!streamed) {
            Object result;
            try {
                result = run.run(read -> { });
            } catch (IOException | RuntimeException e) {
                throw logged(translate(e), source, e);
            } catch (Error e) {
                throw failed(source, e);
            }
            Responses.json(res, 201, result);
            return;
        }
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, NDJSON);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        try (OutputStream out = res.outputStream()) {
            line(out, Map.of("total", total));
            long[] last = {System.nanoTime()};
            Map<String, Object> end;
            try {
                end = Map.of("result", run.run(read -> {
                    long now = System.nanoTime();
                    if (now - last[0] >= PROGRESS_NANOS) {
                        last[0] = now;
                        line(out, Map.of("read", read));
                    }
                }));
            } catch (IOException | RuntimeException e) {
                end = Map.of("problem", logged(translate(e), source, e).problem());
            } catch (Error e) {
                // Once the progress lines have started, Helidon can no longer answer an escaping error: it would
                // cut the response and log no cause. The put's own work is undone by the pipeline either way.
                end = Map.of("problem", failed(source, e).problem());
            }
            line(out, end);
        }
    }

    /** Loopback and the serving cell's local token, else 403. */
    private void checkCaller(ServerRequest req) {
        SocketAddress remote = req.remotePeer().address();
        if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null
                || !inet.getAddress().isLoopbackAddress()) {
            throw forbidden("not-local", "local puts are only for callers on this machine (over loopback)");
        }
        byte[] given = req.headers().first(HeaderNames.create(TOKEN_HEADER)).orElse("").getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token)) {
            throw forbidden("not-local", "a local put needs the " + TOKEN_HEADER + " header with the localToken of the "
                    + "cell's serve.json");
        }
    }

    private Source source(ServerRequest req) throws IOException {
        String raw = req.query().first("source").orElseThrow(() ->
                ProblemException.badRequest("invalid-source", "source: the absolute path of a file or folder is required"));
        Path path;
        try {
            path = Path.of(raw);
        } catch (InvalidPathException e) {
            throw ProblemException.badRequest("invalid-source", "source: not a path: " + e.getMessage());
        }
        if (!path.isAbsolute() || !path.normalize().equals(path)) {
            throw ProblemException.badRequest("invalid-source", "source: '" + raw + "' must be an absolute path without "
                    + "'.' or '..' parts");
        }
        BasicFileAttributes attributes = attributes(path);
        if (!attributes.isRegularFile() && !attributes.isDirectory()) {
            throw ProblemException.badRequest("invalid-source", "source: " + path + " is neither a regular file nor a folder");
        }
        Path real;
        Path cell;
        try {
            real = path.toRealPath();
            cell = cellDir.toRealPath();
        } catch (AccessDeniedException e) {
            throw unreadable(path);
        }
        if (real.startsWith(cell) || cell.startsWith(real)) {
            throw forbidden("source-refused", "the cell does not read its own folder (" + cellDir + ") for a local put; "
                    + "send the files instead");
        }
        String as = req.query().first("as").orElse(path.getFileName() == null ? "" : path.getFileName().toString());
        if (as.endsWith("/")) {
            as = as.substring(0, as.length() - 1);
        }
        if (!(attributes.isDirectory() && as.isEmpty())) {
            try {
                FilePaths.check(as);
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("invalid-path", "as: " + e.getMessage());
            }
        }
        return new Source(path, attributes, as);
    }

    private static BasicFileAttributes attributes(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw ProblemException.badRequest("invalid-source", "source: " + path + " does not exist");
        } catch (AccessDeniedException e) {
            throw unreadable(path);
        }
    }

    private static FolderEntries walk(Path folder) throws IOException {
        try {
            return FolderEntries.walk(folder, ArchiveService.MAX_FILES);
        } catch (AccessDeniedException e) {
            throw unreadable(Path.of(e.getFile()));
        } catch (ArchiveException e) {
            throw ProblemException.badRequest("invalid-archive", e.getMessage());
        }
    }

    private Object putFile(Source source, LongConsumer read) throws IOException {
        long mtime = source.attributes().lastModifiedTime().toMillis();
        try (InputStream in = Files.newInputStream(source.path(), LinkOption.NOFOLLOW_LINKS)) {
            FileService.Stored stored = files.put(source.as(), new Counted(read).stream(in),
                    new FileService.PutOptions(mtime, FileService.mediaTypeOf(source.as()), maxBody));
            return new FilesService.PutView(FilesService.VersionView.of(stored.version()), stored.newBytes());
        }
    }

    private Object putFolder(FolderEntries entries, String prefix, LongConsumer read) throws IOException {
        Counted counted = new Counted(read);
        try (entries) {
            ArchiveEntries each = new ArchiveEntries() {
                @Override
                public Entry next() throws IOException {
                    Entry e = entries.next();
                    return e == null ? null : new Entry(e.name(), e.mtime(), e.size(), counted.stream(e.content()));
                }

                @Override
                public int skipped() {
                    return entries.skipped();
                }

                @Override
                public void close() throws IOException {
                    entries.close();
                }
            };
            FileService.ArchiveResult result = files.putArchive(prefix, each, maxBody, ArchiveService.MAX_FILES);
            return ArchiveService.ArchiveView.of(result);
        }
    }

    /**
     * The bytes read so far from one or more streams, each step reported to {@code read}; they also count as uploaded
     * on the cell's transfer meter, as the same bytes sent over HTTP would ({@link CountingStreams}).
     */
    private final class Counted {
        private final LongConsumer read;
        private long count;

        Counted(LongConsumer read) {
            this.read = read;
        }

        InputStream stream(InputStream file) {
            InputStream in = meter.map(m -> CountingStreams.in(file, m, TransferMeter.Kind.UPLOADED)).orElse(file);
            return new FilterInputStream(in) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        count += n;
                        read.accept(count);
                    }
                    return n;
                }
            };
        }
    }

    private static void line(OutputStream out, Object value) {
        try {
            out.write(Json.mapper().writeValueAsBytes(value));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The problem an ingest failure is for the caller. */
    private static ProblemException translate(Exception e) {
        return switch (e) {
            case ProblemException p -> p;
            case ArchiveException a -> ProblemException.badRequest("invalid-archive", a.getMessage()
                    + "; files of earlier groups of the folder may have been stored");
            case ContentTooLargeException t -> new ProblemException(Problem.of(413, "too-large", "Content too large",
                    "the source is larger than api.max-body (" + t.limit() + " bytes)"));
            case AccessDeniedException d -> unreadable(Path.of(d.getFile()));
            case NoSuchFileException n -> ProblemException.badRequest("invalid-source", n.getFile()
                    + " disappeared while it was read");
            case io.grove.runtime.manifest.InvalidPathException p ->
                    ProblemException.badRequest("invalid-path", "path: " + p.getMessage());
            case IOException io -> new ProblemException(Problem.of(500, "internal", "Internal error",
                    "reading or storing the source failed: " + io.getMessage()));
            default -> new ProblemException(Problem.of(500, "internal", "Internal error",
                    "the cell failed to handle this request; its log has the details"));
        };
    }

    /** {@code problem}, after logging its cause when it is the cell's own failure (a 5xx). */
    private static ProblemException logged(ProblemException problem, Source source, Exception cause) {
        if (problem.problem().status() >= 500) {
            LOG.log(System.Logger.Level.ERROR, "local put of " + source.path() + " failed", cause);
        }
        return problem;
    }

    /** {@link Problem#internal} for an {@link Error} in a put, after logging it. */
    private static ProblemException failed(Source source, Error cause) {
        LOG.log(System.Logger.Level.ERROR, "local put of " + source.path() + " failed", cause);
        return new ProblemException(Problem.internal(cause, "while storing " + source.path()));
    }

    private static ProblemException unreadable(Path path) {
        return forbidden("source-unreadable", "the cell cannot read " + path + " (it runs as another user?); "
                + "send the files instead");
    }

    private static ProblemException forbidden(String kind, String detail) {
        return new ProblemException(Problem.of(403, kind, "Forbidden", detail));
    }
}
