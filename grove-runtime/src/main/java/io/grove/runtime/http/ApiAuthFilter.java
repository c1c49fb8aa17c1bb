package io.grove.runtime.http;

import io.grove.runtime.cell.CellFolder;
import io.grove.runtime.web.SessionService;
import io.grove.runtime.web.Sessions;
import io.grove.runtime.web.WebAccess;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.Optional;
import java.util.Set;

/**
 * Authenticates every {@code /api/} request except the public ones (health, the dashboard's session state, setup
 * and login), in one of two ways:
 * <ul>
 *     <li>{@code Authorization: Bearer <api.token>} — the CLI and scripts; compared in constant time, never logged;</li>
 *     <li>the dashboard's session cookie, plus its CSRF token in {@code X-CSRF-Token} on every request that is not
 *     {@code GET}/{@code HEAD}/{@code OPTIONS} (403 without it).</li>
 * </ul>
 */
final class ApiAuthFilter implements Filter {
    private static final Set<String> PUBLIC = Set.of("/api/v1/health", "/api/v1/session", "/api/v1/session/",
            "/api/v1/session/setup", "/api/v1/session/login");
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private final String token;
    private final WebAccess web;

    ApiAuthFilter(String token, WebAccess web) {
        this.token = token;
        this.web = web;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        if (!path.startsWith("/api/") || PUBLIC.contains(path)) {
            chain.proceed();
            return;
        }
        Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
        if (header.isPresent()) {
            String value = header.get();
            if (!value.regionMatches(true, 0, "Bearer ", 0, 7) || !CellFolder.secretEquals(token, value.substring(7).trim())) {
                deny(res, "the bearer token is not this cell's API token (see api.token in the cell folder)");
                return;
            }
            chain.proceed();
            return;
        }
        Optional<Sessions.Session> session = SessionService.session(web, req);
        if (session.isEmpty()) {
            deny(res, "this request needs an 'Authorization: Bearer <token>' header (the token is in the cell folder's "
                    + "api.token) or a dashboard session (log in at /)");
            return;
        }
        if (!SAFE_METHODS.contains(req.prologue().method().text())) {
            Optional<String> csrf = req.headers().first(HeaderNames.create("X-CSRF-Token"));
            if (csrf.isEmpty() || !session.get().csrfMatches(csrf.get())) {
                Responses.problem(res, Problem.of(403, "csrf-token", "Forbidden",
                        "X-CSRF-Token: missing or not this session's token; reload the dashboard"));
                return;
            }
        }
        chain.proceed();
    }

    private static void deny(RoutingResponse res, String detail) {
        res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"grove\"");
        Responses.problem(res, Problem.of(401, "unauthorized", "Unauthorized", detail));
    }
}
