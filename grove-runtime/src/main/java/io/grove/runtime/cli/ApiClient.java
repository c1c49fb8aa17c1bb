package io.grove.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.runtime.cell.CellFolder;
import io.grove.runtime.cell.ServeInfo;
import io.grove.runtime.json.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The CLI's one HTTP client for a cell's REST API: finds the cell (an explicit URL, else the address a serving
 * cell recorded in its folder), authenticates with the folder's {@code api.token}, and turns problem details
 * into one-line errors.
 *
 * <p>Built on {@link HttpURLConnection}, not {@code java.net.http.HttpClient}: a command makes one or a few
 * requests, and the HttpClient's start-up (its classes, selector thread and reactive plumbing) cost about 0.6 s of
 * every command's 1.6 s on this machine's JVM (docs/benchmarks.md "Session 6").
 */
final class ApiClient {
    static {
        // HttpURLConnection would send a POST again after a failed read of the answer: never repeat a put.
        System.setProperty("sun.net.http.retryPost", "false");
    }

    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    /**
     * How long a query ({@link #get}) waits for the next bytes of the cell's answer (a socket read timeout): a cell
     * that accepted the connection but hangs (a stalled disk, a stopped process) must not hang {@code grove ls} or
     * {@code grove status} for ever. Queries answer in milliseconds; long operations (puts, downloads, verify) are
     * not bounded by it.
     */
    static final Duration QUERY_TIMEOUT = Duration.ofSeconds(60);
    private static final int STREAM_CHUNK = 64 * 1024;

    private final String baseUrl;
    private final String token;
    private final Optional<String> localToken;
    private final Duration queryTimeout;

    private ApiClient(String baseUrl, String token, Optional<String> localToken, Duration queryTimeout) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
        this.localToken = localToken;
        this.queryTimeout = queryTimeout;
    }

    /** A client of the cell at {@code baseUrl} whose queries wait at most {@code queryTimeout} (for tests). */
    static ApiClient at(String baseUrl, String token, Duration queryTimeout) {
        return new ApiClient(baseUrl, token, Optional.empty(), queryTimeout);
    }

    /** A client for the cell at {@code baseUrl} that may also ask it for local puts with {@code localToken}. */
    static ApiClient at(String baseUrl, String token, String localToken, Duration queryTimeout) {
        return new ApiClient(baseUrl, token, Optional.of(localToken), queryTimeout);
    }

    /** Finds the cell: {@code --url} / {@code $GROVE_URL}, else the folder's {@code serve.json}. */
    static ApiClient connect(CellFolder folder, Optional<String> url) {
        Optional<String> explicit = url.or(() -> Optional.ofNullable(System.getenv("GROVE_URL"))).filter(u -> !u.isBlank());
        String token = Optional.ofNullable(System.getenv("GROVE_TOKEN")).filter(t -> !t.isBlank())
                .orElseGet(folder::apiToken);
        if (explicit.isPresent()) {
            return new ApiClient(explicit.get(), token, Optional.empty(), QUERY_TIMEOUT);
        }
        ServeInfo serving = folder.serving().orElseThrow(() -> new CliException("no cell is serving from " + folder.dir()
                + "; start one with 'grove serve --dir " + folder.dir() + "' or pass --url"));
        return new ApiClient(serving.apiUrl(), token, Optional.ofNullable(serving.localToken()), QUERY_TIMEOUT);
    }

    /** Opens a body to send; called once, when the request is sent. */
    @FunctionalInterface
    interface Body {
        InputStream open() throws IOException;
    }

    /**
     * {@code GET path}, expecting JSON back within {@link #QUERY_TIMEOUT}; a problem, or no answer in time, becomes
     * a {@link CliException}.
     */
    JsonNode get(String path) {
        return json(exchange("GET", path, Map.of(), -1, null, queryTimeout));
    }

    /** {@code method path} without a body (POST, PUT, DELETE), expecting JSON back. */
    JsonNode send(String method, String path) {
        return json(exchange(method, path, Map.of(), 0, InputStream::nullInputStream));
    }

    /** Sends {@code body} as JSON with {@code method} to {@code path}, expecting JSON back. */
    JsonNode json(String method, String path, Object body) {
        byte[] bytes;
        try {
            bytes = Json.mapper().writeValueAsBytes(body);
        } catch (IOException e) {
            throw new CliException("cannot write the request: " + e.getMessage());
        }
        return json(exchange(method, path, Map.of("Content-Type", "application/json"), bytes.length,
                () -> new java.io.ByteArrayInputStream(bytes)));
    }

    /**
     * Sends the bytes {@code body} opens ({@code length} of them, or -1 for an unknown length, sent chunked) with
     * {@code method} to {@code path}, expecting JSON back.
     */
    JsonNode upload(String method, String path, Map<String, String> headers, long length, Body body) {
        return json(exchange(method, path, headers, length, body));
    }

    /**
     * A streamed answer.
     *
     * @param length its {@code Content-Length}, or -1
     * @param body   its bytes, for the caller to read and close
     */
    record Download(long length, InputStream body) {
    }

    /** {@code GET path}, streamed; a problem becomes a {@link CliException}. */
    Download download(String path) {
        HttpURLConnection connection = exchange("GET", path, Map.of(), -1, null);
        try {
            return new Download(connection.getContentLengthLong(), connection.getInputStream());
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /**
     * Asks the cell to read {@code source} (a file or folder on this machine) itself and store it as {@code as}
     * ({@code POST /api/v1/local}), following its progress on {@code progress}. Empty when the cell cannot do it: it
     * was found by URL (no local token), runs elsewhere or as a user that cannot read the source, or predates local
     * puts; the caller then sends the bytes. A failure once the cell has started reading is a {@link CliException}.
     */
    Optional<JsonNode> putLocal(Path source, String as, Progress progress) {
        if (localToken.isEmpty()) {
            return Optional.empty();
        }
        HttpURLConnection connection = open("POST", "/api/v1/local?source=" + query(source.toString()) + "&as=" + query(as),
                Map.of("X-Grove-Local-Token", localToken.get(), "Accept", "application/x-ndjson"));
        int status = write(connection, 0, InputStream::nullInputStream);
        if (status == 403 || status == 404) {
            drain(connection);
            return Optional.empty();
        }
        if (status >= 400) {
            throw problem(connection, status);
        }
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                JsonNode event = Json.mapper().readTree(line);
                if (event.has("total")) {
                    progress.total(event.get("total").asLong());
                } else if (event.has("read")) {
                    progress.reached(event.get("read").asLong());
                } else if (event.has("result")) {
                    progress.done();
                    return Optional.of(event.get("result"));
                } else if (event.has("problem")) {
                    JsonNode p = event.get("problem");
                    throw new CliException(p.path("detail").asText(p.path("title").asText("the cell failed")));
                }
            }
        } catch (IOException e) {
            throw new CliException("the cell's answer broke off before the put was done (" + e.getMessage()
                    + "); did the cell stop? Its log says why, and nothing it did not acknowledge is stored");
        }
        throw new CliException("the cell ended its answer before the put was done");
    }

    /** Sends a request (with a body when {@code body} is not null) and checks its status. */
    private HttpURLConnection exchange(String method, String path, Map<String, String> headers, long length, Body body) {
        return exchange(method, path, headers, length, body, Duration.ZERO);
    }

    /** {@link #exchange}, each wait for the cell's answer bounded by {@code readTimeout} (zero: not bounded). */
    private HttpURLConnection exchange(String method, String path, Map<String, String> headers, long length, Body body,
                                       Duration readTimeout) {
        HttpURLConnection connection = open(method, path, headers);
        connection.setReadTimeout((int) readTimeout.toMillis());
        int status = body == null ? status(connection) : write(connection, length, body);
        if (status >= 400) {
            throw problem(connection, status);
        }
        return connection;
    }

    private HttpURLConnection open(String method, String path, Map<String, String> headers) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(baseUrl + path).toURL().openConnection();
            connection.setRequestMethod(method);
            connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
            connection.setUseCaches(false);
            connection.setInstanceFollowRedirects(false);
            connection.setRequestProperty("Authorization", "Bearer " + token);
            headers.forEach(connection::setRequestProperty);
            return connection;
        } catch (IOException | IllegalArgumentException e) {
            throw new CliException("cannot talk to the cell at " + baseUrl + ": " + e.getMessage());
        }
    }

    /** Writes the body and returns the status; a cell that answers early (413, 401) is heard, not a broken pipe. */
    private int write(HttpURLConnection connection, long length, Body body) {
        connection.setDoOutput(true);
        if (length >= 0) {
            connection.setFixedLengthStreamingMode(length);
        } else {
            connection.setChunkedStreamingMode(STREAM_CHUNK);
        }
        IOException sending = null;
        try (InputStream in = body.open(); OutputStream out = connection.getOutputStream()) {
            in.transferTo(out);
        } catch (ConnectException e) {
            throw unreachable();
        } catch (IOException e) {
            sending = e;
        }
        try {
            return connection.getResponseCode();
        } catch (IOException e) {
            throw failed(sending != null ? sending : e);
        }
    }

    private int status(HttpURLConnection connection) {
        try {
            return connection.getResponseCode();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    private JsonNode json(HttpURLConnection connection) {
        try (InputStream body = connection.getInputStream()) {
            return Json.mapper().readTree(body);
        } catch (SocketTimeoutException e) {
            throw silent();
        } catch (IOException e) {
            throw new CliException("the cell's answer could not be read: " + e.getMessage());
        }
    }

    private static void drain(HttpURLConnection connection) {
        try (InputStream body = connection.getErrorStream()) {
            if (body != null) {
                body.transferTo(OutputStream.nullOutputStream());
            }
        } catch (IOException ignored) {
            // the connection is not reused then; nothing else depends on it
        }
    }

    private CliException failed(IOException e) {
        if (e instanceof ConnectException) {
            return unreachable();
        }
        if (e instanceof SocketTimeoutException) {
            return silent();
        }
        return new CliException("talking to the cell at " + baseUrl + " failed: " + e.getMessage());
    }

    private CliException silent() {
        return new CliException("the cell at " + baseUrl + " accepted the request but did not answer within "
                + queryTimeout.toSeconds() + " s");
    }

    private CliException unreachable() {
        return new CliException("cannot reach the cell at " + baseUrl + " (is 'grove serve' running?)");
    }

    private static CliException problem(HttpURLConnection connection, int status) {
        try (InputStream body = connection.getErrorStream()) {
            if (body == null) {
                return new CliException("the cell answered HTTP " + status);
            }
            JsonNode problem = Json.mapper().readTree(body.readNBytes(64 * 1024));
            String detail = problem.path("detail").asText(problem.path("title").asText(""));
            return new CliException(detail.isEmpty() ? "the cell answered HTTP " + status : detail);
        } catch (IOException e) {
            return new CliException("the cell answered HTTP " + status);
        }
    }

    /** A file path as a URL path: each segment percent-encoded, reserved last segments escaped. */
    static String filePath(String path) {
        StringBuilder out = new StringBuilder();
        String[] segments = path.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                out.append('/');
            }
            String encoded = URLEncoder.encode(segments[i], StandardCharsets.UTF_8).replace("+", "%20");
            if (i == segments.length - 1 && (encoded.equals("history") || encoded.equals("restore"))) {
                // The API reads a literal last segment "history"/"restore" as an action; escape one letter.
                encoded = encoded.substring(0, encoded.length() - 1) + "%" + Integer.toHexString(encoded.charAt(encoded.length() - 1));
            }
            out.append(encoded);
        }
        return out.toString();
    }

    static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
