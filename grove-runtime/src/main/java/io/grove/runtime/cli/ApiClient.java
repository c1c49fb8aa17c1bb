package io.grove.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.runtime.cell.CellFolder;
import io.grove.runtime.cell.ServeInfo;
import io.grove.runtime.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The CLI's one HTTP client for a cell's REST API: finds the cell (an explicit URL, else the address a serving
 * cell recorded in its folder), authenticates with the folder's {@code api.token}, and turns problem details
 * into one-line errors.
 */
final class ApiClient {
    private final HttpClient http;
    private final String baseUrl;
    private final String token;
    private final Optional<String> localToken;

    private ApiClient(String baseUrl, String token, Optional<String> localToken) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
        this.localToken = localToken;
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (this.baseUrl.startsWith("http://")) {
            // Without a context of its own the client loads the default one, which reads and parses every CA
            // certificate of the JDK: a third of a CLI command's start-up, for a cell reached over plain HTTP.
            http.sslContext(plainHttpOnly());
        }
        this.http = http.build();
    }

    /** A TLS context that trusts nobody: never used, as every request goes to an http:// address. */
    private static javax.net.ssl.SSLContext plainHttpOnly() {
        try {
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(new javax.net.ssl.KeyManager[0], new javax.net.ssl.TrustManager[0], null);
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("no TLS context", e);
        }
    }

    /** Finds the cell: {@code --url} / {@code $GROVE_URL}, else the folder's {@code serve.json}. */
    static ApiClient connect(CellFolder folder, Optional<String> url) {
        Optional<String> explicit = url.or(() -> Optional.ofNullable(System.getenv("GROVE_URL"))).filter(u -> !u.isBlank());
        String token = Optional.ofNullable(System.getenv("GROVE_TOKEN")).filter(t -> !t.isBlank())
                .orElseGet(folder::apiToken);
        if (explicit.isPresent()) {
            return new ApiClient(explicit.get(), token, Optional.empty());
        }
        ServeInfo serving = folder.serving().orElseThrow(() -> new CliException("no cell is serving from " + folder.dir()
                + "; start one with 'grove serve --dir " + folder.dir() + "' or pass --url"));
        return new ApiClient(serving.apiUrl(), token, Optional.ofNullable(serving.localToken()));
    }

    /**
     * Asks the cell to read {@code source} (a file or folder on this machine) itself and store it as {@code as}
     * ({@code POST /api/v1/local}), following its progress on {@code progress}. Empty when the cell cannot do it: it
     * was found by URL (no local token), runs elsewhere or as a user that cannot read the source, or predates local
     * puts; the caller then sends the bytes. A failure once the cell has started reading is a {@link CliException}.
     */
    Optional<JsonNode> putLocal(java.nio.file.Path source, String as, Progress progress) {
        if (localToken.isEmpty()) {
            return Optional.empty();
        }
        HttpRequest request = request("/api/v1/local?source=" + query(source.toString()) + "&as=" + query(as))
                .header("X-Grove-Local-Token", localToken.get())
                .header("Accept", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<InputStream> response = exchange(request);
        if (response.statusCode() == 403 || response.statusCode() == 404) {
            try (InputStream ignored = response.body()) {
                return Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        if (response.statusCode() >= 400) {
            throw problem(response);
        }
        try (java.io.BufferedReader lines = new java.io.BufferedReader(
                new java.io.InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                JsonNode event = Json.mapper().readTree(line);
                if (event.has("total")) {
                    progress.total(event.get("total").asLong());
                } else if (event.has("read")) {
                    progress.reached(event.get("read").asLong());
                } else if (event.has("result")) {
                    return Optional.of(event.get("result"));
                } else if (event.has("problem")) {
                    JsonNode p = event.get("problem");
                    throw new CliException(p.path("detail").asText(p.path("title").asText("the cell failed")));
                }
            }
        } catch (IOException e) {
            throw new CliException("the cell's answer could not be read: " + e.getMessage());
        }
        throw new CliException("the cell ended its answer before the put was done");
    }

    /** A request to {@code path} (under the API root) with the token set. */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", "Bearer " + token);
    }

    /** Sends a request expecting JSON back; a problem becomes a {@link CliException}. */
    JsonNode json(HttpRequest request) {
        HttpResponse<InputStream> response = send(request);
        try (InputStream body = response.body()) {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new CliException("the cell's answer could not be read: " + e.getMessage());
        }
    }

    /** Sends {@code body} as JSON with {@code method} to {@code path}, expecting JSON back. */
    JsonNode json(String method, String path, Object body) {
        byte[] bytes;
        try {
            bytes = Json.mapper().writeValueAsBytes(body);
        } catch (IOException e) {
            throw new CliException("cannot write the request: " + e.getMessage());
        }
        return json(request(path).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
    }

    /** Sends a request and checks its status; the caller reads and closes the body. */
    HttpResponse<InputStream> send(HttpRequest request) {
        HttpResponse<InputStream> response = exchange(request);
        if (response.statusCode() >= 400) {
            throw problem(response);
        }
        return response;
    }

    private HttpResponse<InputStream> exchange(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException e) {
            throw new CliException("cannot reach the cell at " + baseUrl + " (is 'grove serve' running?)");
        } catch (IOException e) {
            throw new CliException("talking to the cell at " + baseUrl + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    private static CliException problem(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            JsonNode problem = Json.mapper().readTree(body.readNBytes(64 * 1024));
            String detail = problem.path("detail").asText(problem.path("title").asText(""));
            return new CliException(detail.isEmpty() ? "the cell answered HTTP " + response.statusCode() : detail);
        } catch (IOException e) {
            return new CliException("the cell answered HTTP " + response.statusCode());
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
