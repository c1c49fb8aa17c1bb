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
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String baseUrl;
    private final String token;

    private ApiClient(String baseUrl, String token) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
    }

    /** Finds the cell: {@code --url} / {@code $GROVE_URL}, else the folder's {@code serve.json}. */
    static ApiClient connect(CellFolder folder, Optional<String> url) {
        Optional<String> explicit = url.or(() -> Optional.ofNullable(System.getenv("GROVE_URL"))).filter(u -> !u.isBlank());
        String token = Optional.ofNullable(System.getenv("GROVE_TOKEN")).filter(t -> !t.isBlank())
                .orElseGet(folder::apiToken);
        if (explicit.isPresent()) {
            return new ApiClient(explicit.get(), token);
        }
        ServeInfo serving = folder.serving().orElseThrow(() -> new CliException("no cell is serving from " + folder.dir()
                + "; start one with 'grove serve --dir " + folder.dir() + "' or pass --url"));
        return new ApiClient(serving.apiUrl(), token);
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
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException e) {
            throw new CliException("cannot reach the cell at " + baseUrl + " (is 'grove serve' running?)");
        } catch (IOException e) {
            throw new CliException("talking to the cell at " + baseUrl + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
        if (response.statusCode() >= 400) {
            throw problem(response);
        }
        return response;
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
