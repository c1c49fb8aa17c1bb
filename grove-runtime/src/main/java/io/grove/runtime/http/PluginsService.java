package io.grove.runtime.http;

import io.grove.runtime.plugin.LoadedPlugin;
import io.grove.runtime.plugin.PluginRegistry;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.List;

/** {@code GET /api/v1/plugins}: every plugin location, loaded or not, and every configured instance. */
final class PluginsService implements HttpService {
    private final PluginRegistry registry;

    /**
     * One plugin as the API shows it.
     *
     * @param name      from its descriptor (or its file name when the descriptor could not be read)
     * @param version   from its descriptor
     * @param kind      what it provides: {@code store}, {@code transport}, {@code chat}, several joined by
     *                  commas, or {@code unknown} when it was never loaded
     * @param state     {@code active}, {@code loaded}, {@code refused} or {@code failed}
     * @param reason    why it was refused or failed; empty otherwise
     * @param location  where it was loaded from
     * @param instances ids of its running instances
     */
    record PluginView(String name, String version, String kind, String state, String reason, String location,
                      List<String> instances) {
    }

    PluginsService(PluginRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list);
    }

    private void list(ServerRequest req, ServerResponse res) {
        List<PluginView> views = registry.plugins().stream().map(PluginsService::view).toList();
        Responses.json(res, 200, views);
    }

    private static PluginView view(LoadedPlugin p) {
        String kind = p.kinds().isEmpty() ? "unknown" : String.join(",", p.kinds().stream().sorted().toList());
        return new PluginView(p.name(), p.version(), kind, p.state().label(), p.reason(), p.location().toString(),
                p.instances());
    }
}
