package io.grove.runtime.http;

import io.grove.api.transport.PeerHttp;
import io.grove.api.transport.PeerRequest;
import io.grove.api.transport.PeerResponse;
import io.grove.runtime.peer.PeerHandler;
import io.grove.runtime.peer.PeerProtocol;
import io.grove.runtime.peer.PeerRejection;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The peer protocol on the peer socket: the server half of the {@link PeerHttp} mapping. It only translates; the
 * {@link PeerHandler} verifies, dispatches and signs, exactly as for requests that arrive through other carriers.
 */
final class PeerService implements HttpService {
    private final PeerHandler handler;

    PeerService(PeerHandler handler) {
        this.handler = handler;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(PeerHttp.PATH_PREFIX + "{operation}", this::handle);
    }

    private void handle(ServerRequest req, ServerResponse res) throws IOException {
        String operation = req.path().pathParameters().get("operation");
        Map<String, List<String>> httpHeaders = new HashMap<>();
        for (Header header : req.headers()) {
            httpHeaders.put(header.name(), header.allValues());
        }
        Map<String, String> headers;
        try {
            headers = PeerHttp.protocolHeaders(httpHeaders);
        } catch (IllegalArgumentException e) {
            send(res, handler.refuse("", new PeerRejection(PeerRejection.Code.MALFORMED, e.getMessage())));
            return;
        }
        String nonce = headers.getOrDefault(PeerProtocol.NONCE, "");
        OptionalLong length = req.headers().contentLength();
        if (length.isEmpty()) {
            send(res, handler.refuse(nonce, new PeerRejection(PeerRejection.Code.MALFORMED,
                    "a peer request needs a Content-Length")));
            return;
        }
        if (length.getAsLong() > PeerRequest.MAX_BODY_BYTES) {
            send(res, handler.refuse(nonce, new PeerRejection(PeerRejection.Code.TOO_LARGE,
                    "bodies are limited to " + PeerRequest.MAX_BODY_BYTES + " bytes")));
            return;
        }
        PeerRequest request;
        try {
            InputStream body = length.getAsLong() == 0 ? InputStream.nullInputStream() : req.content().inputStream();
            request = new PeerRequest(operation, headers, length.getAsLong(), body);
        } catch (IllegalArgumentException e) {
            send(res, handler.refuse(nonce, new PeerRejection(PeerRejection.Code.MALFORMED, "malformed operation name")));
            return;
        }
        send(res, handler.handle(request));
    }

    private static void send(ServerResponse res, PeerResponse response) throws IOException {
        res.status(Status.create(response.status()));
        res.header(HeaderNames.CONTENT_TYPE, PeerHttp.CONTENT_TYPE);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        response.headers().forEach((name, value) -> res.header(HeaderNames.create(name), value));
        res.header(HeaderNames.CONTENT_LENGTH, Long.toString(response.bodyLength()));
        try (response; OutputStream out = res.outputStream()) {
            response.body().transferTo(out);
        }
    }
}
