package io.grove.runtime.web;

import io.grove.runtime.http.Problem;
import io.grove.runtime.http.Responses;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.Optional;

/**
 * Answers only requests whose {@code Host} names this cell ({@link AllowedHosts}), and refuses state-changing
 * requests whose {@code Origin} is another site: a 421 or 403 problem otherwise. Runs before authentication, for the
 * dashboard's files and the API alike. Refusals are logged at debug level only: any web page can make a browser
 * send them, and the problem body already tells a misconfigured user which setting to change.
 */
public final class HostFilter implements Filter {
    private static final System.Logger LOG = System.getLogger(HostFilter.class.getName());
    private final AllowedHosts hosts;

    public HostFilter(AllowedHosts hosts) {
        this.hosts = hosts;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        int port = req.localPeer().port();
        Optional<String> host = req.headers().first(HeaderNames.HOST);
        if (host.isEmpty() || !hosts.allows(host.get(), port)) {
            LOG.log(System.Logger.Level.DEBUG, "refused a request for an unknown Host from " + req.remotePeer().host());
            Responses.problem(res, Problem.of(421, "unknown-host", "Misdirected request",
                    "this cell does not answer to the Host '" + host.map(HostFilter::printable).orElse("")
                            + "'; open it by its address (http://127.0.0.1:" + port
                            + ") or add the name to api.hosts in grove.yaml"));
            return;
        }
        String method = req.prologue().method().text();
        boolean safe = method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
        Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
        if (!safe && origin.isPresent() && !hosts.allowsOrigin(origin.get(), port)) {
            Responses.problem(res, Problem.of(403, "cross-origin", "Forbidden",
                    "a page of another site ('" + printable(origin.get()) + "') may not change this cell"));
            return;
        }
        chain.proceed();
    }

    private static String printable(String value) {
        String cut = value.length() > 80 ? value.substring(0, 80) + "…" : value;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
