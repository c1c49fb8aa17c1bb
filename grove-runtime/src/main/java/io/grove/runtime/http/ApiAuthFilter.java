package io.grove.runtime.http;

import io.grove.runtime.cell.CellFolder;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.Optional;
import java.util.Set;

/**
 * Requires {@code Authorization: Bearer <api.token>} on every {@code /api/} request except the public ones
 * (health). The token is compared in constant time and never logged.
 */
final class ApiAuthFilter implements Filter {
    private static final Set<String> PUBLIC = Set.of("/api/v1/health");
    private final String token;

    ApiAuthFilter(String token) {
        this.token = token;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        if (!path.startsWith("/api/") || PUBLIC.contains(path)) {
            chain.proceed();
            return;
        }
        Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
        if (header.isEmpty()) {
            deny(res, "this request needs an 'Authorization: Bearer <token>' header; the token is in the cell folder's api.token");
            return;
        }
        String value = header.get();
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7) || !CellFolder.secretEquals(token, value.substring(7).trim())) {
            deny(res, "the bearer token is not this cell's API token (see api.token in the cell folder)");
            return;
        }
        chain.proceed();
    }

    private static void deny(RoutingResponse res, String detail) {
        res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"grove\"");
        Responses.problem(res, Problem.of(401, "unauthorized", "Unauthorized", detail));
    }
}
