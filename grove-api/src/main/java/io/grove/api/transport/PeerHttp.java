package io.grove.api.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How a {@link PeerRequest} and its {@link PeerResponse} travel over HTTP/1.1, in one place for the runtime's peer
 * socket and for every transport that speaks HTTP (direct, LAN, Tailscale): {@code POST /peer/v1/{operation}}
 * with the {@code grove-*} protocol headers and the body; the answer is the status, the {@code grove-*} headers
 * and the body, always with a {@code Content-Length}.
 *
 * <p>It lives in the API, with the JDK's {@link HttpClient} only, because plugins cannot use the runtime's HTTP
 * stack and the mapping must not be written twice. Nothing here signs or verifies: headers pass through as
 * opaque text.
 */
public final class PeerHttp {
    /** The path below which every operation is served. */
    public static final String PATH_PREFIX = "/peer/v1/";
    /** The prefix of every protocol header; others are not carried. */
    public static final String HEADER_PREFIX = "grove-";
    /** The media type of raw bodies. */
    public static final String CONTENT_TYPE = "application/octet-stream";
    /** The most protocol headers carried; a peer that sends more is refused as malformed. */
    public static final int MAX_HEADERS = 16;
    /** The longest protocol header value carried. */
    public static final int MAX_HEADER_LENGTH = 512;

    private PeerHttp() {
    }

    /** The request path of an operation. */
    public static String path(String operation) {
        return PATH_PREFIX + operation;
    }

    /** The operation named by a request path, if it is below {@link #PATH_PREFIX}; not checked further. */
    public static Optional<String> operation(String path) {
        if (path == null || !path.startsWith(PATH_PREFIX) || path.length() == PATH_PREFIX.length()) {
            return Optional.empty();
        }
        return Optional.of(path.substring(PATH_PREFIX.length()));
    }

    /**
     * The protocol headers among HTTP headers: those named {@code grove-*}, lower-cased, first value each.
     *
     * @throws IllegalArgumentException when there are more than {@link #MAX_HEADERS} or one is longer than
     *                                  {@link #MAX_HEADER_LENGTH}, so that nobody buffers unbounded input
     */
    public static Map<String, String> protocolHeaders(Map<String, List<String>> httpHeaders) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, List<String>> header : httpHeaders.entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!name.startsWith(HEADER_PREFIX) || header.getValue().isEmpty()) {
                continue;
            }
            String value = header.getValue().get(0);
            if (out.size() >= MAX_HEADERS || value.length() > MAX_HEADER_LENGTH) {
                throw new IllegalArgumentException("too many or too long grove-* headers");
            }
            out.put(name, value);
        }
        return out;
    }

    /**
     * Sends {@code request} to the peer socket at {@code base} ({@code http://host:port}) and returns the response
     * with its body still streaming; the caller closes it.
     *
     * @param client  an HTTP/1.1 client with a connect timeout
     * @param timeout how long to wait for the response headers
     * @throws IOException when the peer cannot be reached, times out, or answers without a length
     */
    public static PeerResponse exchange(HttpClient client, URI base, PeerRequest request, Duration timeout)
            throws IOException {
        HttpRequest.Builder http = HttpRequest.newBuilder(base.resolve(path(request.operation())))
                .timeout(timeout)
                .header("Content-Type", CONTENT_TYPE);
        request.headers().forEach(http::header);
        // A publisher with a known length makes the client send Content-Length instead of chunking the body.
        InputStream body = request.body();
        HttpRequest.BodyPublisher publisher;
        if (request.bodyLength() == 0) {
            publisher = HttpRequest.BodyPublishers.noBody();
        } else if (body instanceof HeapBody heap && heap.available() == request.bodyLength()) {
            publisher = HttpRequest.BodyPublishers.fromPublisher(heap.unread(), request.bodyLength());
        } else {
            publisher = HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body),
                    request.bodyLength());
        }
        HttpResponse<InputStream> response;
        try {
            response = client.send(http.POST(publisher).build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + base, e);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        try {
            long length = response.headers().firstValueAsLong("content-length").orElse(-1);
            if (length < 0 || length > PeerRequest.MAX_BODY_BYTES) {
                throw new IOException(base + " answered " + request.operation() + " without a valid Content-Length");
            }
            Map<String, String> headers;
            try {
                headers = protocolHeaders(response.headers().map());
            } catch (IllegalArgumentException e) {
                throw new IOException(base + " answered with malformed grove-* headers", e);
            }
            return new PeerResponse(response.statusCode(), headers, length, response.body());
        } catch (IOException | RuntimeException e) {
            response.body().close();
            throw e;
        }
    }
}
