package io.grove.runtime.http;

import io.grove.api.CellId;
import io.grove.api.store.ChunkStore;
import io.grove.runtime.crypto.CorruptChunkException;
import io.grove.runtime.events.EventBus;
import io.grove.runtime.files.CorruptManifestException;
import io.grove.runtime.files.FileNotFoundProblem;
import io.grove.runtime.files.FileService;
import io.grove.runtime.files.MissingChunkException;
import io.grove.runtime.gc.GarbageCollector;
import io.grove.runtime.manifest.InvalidPathException;
import io.grove.runtime.peer.PeerHandler;
import io.grove.runtime.peers.Network;
import io.grove.runtime.peers.PeersView;
import io.grove.runtime.replication.PlacementView;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.grove.runtime.plugin.PluginRegistry;
import io.grove.runtime.replication.ReplicationSettings;
import io.grove.runtime.stats.CountingStreams;
import io.grove.runtime.stats.TransferMeter;
import io.grove.runtime.verify.Verifier;
import io.grove.runtime.watch.WatchedFolders;
import io.grove.runtime.web.HostFilter;
import io.grove.runtime.web.SessionService;
import io.grove.runtime.web.WebAccess;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.staticcontent.StaticContentService;
import io.helidon.webserver.websocket.WsRouting;

import java.net.URLConnection;
import java.time.Clock;
import java.util.Optional;
import java.util.function.IntSupplier;

/** The routes of the API and dashboard socket, and of the peer socket. Tests reuse these on their own servers. */
public final class ApiRouting {
    private static final System.Logger LOG = System.getLogger(ApiRouting.class.getName());
    private static final String DASHBOARD = "io/grove/dashboard/web";

    private ApiRouting() {
    }

    /** The services a cell exposes on its API socket. */
    public record Services(CellId cellId, String apiToken, PluginRegistry plugins, FileService files, ChunkStore store,
                           long maxBody) {
    }

    /** The fleet a cell exposes on its API socket ({@code /api/v1/fleet}, {@code /api/v1/peers}). */
    public record Fleet(Network network) {
    }

    /**
     * What the dashboard's Settings and Stats need besides the fleet: the watched folders ({@code /api/v1/watch}) and
     * this cell's own replication settings (their overrides show in {@code /api/v1/fleet/parameters}).
     */
    public record Dashboard(WatchedFolders watched, ReplicationSettings local) {
    }

    /**
     * Local puts ({@code POST /api/v1/local}): the cell's folder (never read for a put) and the token a caller on this
     * machine proves it can read that folder with (the {@code localToken} of {@code serve.json}).
     */
    public record Local(java.nio.file.Path cellDir, String token) {
    }

    /** The maintenance operations a cell exposes on its API socket: verification and garbage collection. */
    public record Maintenance(Verifier verifier, GarbageCollector collector) {
    }

    /** Configures the API socket without the maintenance endpoints ({@code /api/v1/verify}, {@code /api/v1/gc}). */
    public static void api(HttpRouting.Builder routing, Services services, WebAccess web) {
        api(routing, services, Optional.empty(), web, Optional.empty());
    }

    /**
     * Configures the API socket: REST under {@code /api/v1} (bearer token or dashboard session), the dashboard at
     * {@code /}, every request checked against the allowed {@code Host} names (docs/dashboard.md).
     */
    public static void api(HttpRouting.Builder routing, Services services, Maintenance maintenance, WebAccess web) {
        api(routing, services, Optional.of(maintenance), web, Optional.empty());
    }

    /** Configures the API socket with maintenance and fleet endpoints ({@code /api/v1/fleet}, {@code /peers} …). */
    public static void api(HttpRouting.Builder routing, Services services, Maintenance maintenance, WebAccess web,
                           Fleet fleet) {
        api(routing, services, Optional.of(maintenance), web, Optional.of(fleet), Optional.empty(), Optional.empty());
    }

    /**
     * Configures the API socket with every endpoint a running cell has: maintenance, fleet, and the dashboard's
     * settings ({@code /api/v1/watch}, {@code /api/v1/fleet/parameters}), throughput ({@code /api/v1/stats/throughput})
     * and local puts ({@code /api/v1/local}).
     */
    public static void api(HttpRouting.Builder routing, Services services, Maintenance maintenance, WebAccess web,
                           Fleet fleet, Dashboard dashboard, Local local) {
        api(routing, services, Optional.of(maintenance), web, Optional.of(fleet), Optional.of(dashboard), Optional.of(local));
    }

    private static void api(HttpRouting.Builder routing, Services services, Optional<Maintenance> maintenance,
                            WebAccess web, Optional<Fleet> fleet) {
        api(routing, services, maintenance, web, fleet, Optional.empty(), Optional.empty());
    }

    private static void api(HttpRouting.Builder routing, Services services, Optional<Maintenance> maintenance,
                            WebAccess web, Optional<Fleet> fleet, Optional<Dashboard> dashboard,
                            Optional<Local> local) {
        routing.addFilter((chain, req, res) -> {
            // The dashboard and API never need to be framed, sniffed or to leak their URLs.
            res.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
            res.header(HeaderNames.create("X-Frame-Options"), "DENY");
            res.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
            res.header(HeaderNames.create("Content-Security-Policy"),
                    "default-src 'self'; connect-src 'self'; img-src 'self' data: blob:; frame-ancestors 'none'");
            chain.proceed();
        });
        routing.addFilter(new HostFilter(web.hosts()));
        routing.addFilter(new ApiAuthFilter(services.apiToken(), web));
        routing.register("/api/v1/session", new SessionService(web));
        fleet.ifPresent(f -> {
            TransferMeter meter = f.network().meter();
            routing.addFilter((chain, req, res) -> {
                if (isTransfer(req.path().path())) {
                    // Uploads are what a PUT or POST carries in; downloads what a GET sends out (not the JSON answers).
                    if (io.helidon.http.Method.GET.equals(req.prologue().method())) {
                        res.streamFilter(out -> CountingStreams.out(out, meter, TransferMeter.Kind.DOWNLOADED));
                    } else {
                        req.streamFilter(in -> CountingStreams.in(in, meter, TransferMeter.Kind.UPLOADED));
                    }
                }
                chain.proceed();
            });
            routing.register("/api/v1/stats/throughput", new ThroughputService(meter));
            dashboard.ifPresent(d -> {
                routing.register("/api/v1/fleet/parameters",
                        new FleetParametersService(f.network().fleet(), d.local()));
                routing.register("/api/v1/watch", new WatchApiService(d.watched()));
            });
        });
        routing.register("/api/v1/health", new HealthService(services.cellId()));
        routing.register("/api/v1/plugins", new PluginsService(services.plugins()));
        routing.register("/api/v1/files", new FilesService(services.files(), services.maxBody()));
        routing.register("/api/v1/archive", new ArchiveService(services.files(), services.maxBody()));
        local.ifPresent(l -> routing.register("/api/v1/local",
                new LocalPutService(services.files(), l.cellDir(), l.token(), services.maxBody(),
                        fleet.map(f -> f.network().meter()))));
        routing.register("/api/v1/stats", new StatsService(services.files(), services.store()));
        maintenance.ifPresent(m -> {
            routing.register("/api/v1/verify", new VerifyService(m.verifier()));
            routing.register("/api/v1/gc", new GcService(m.collector()));
        });
        fleet.ifPresent(f -> {
            FleetApiService service = new FleetApiService(f.network().fleet(), new PeersView(f.network()));
            routing.register("/api/v1/fleet", service.fleetRoutes());
            routing.register("/api/v1/peers", service.peerRoutes());
            PlacementService placement = new PlacementService(
                    new PlacementView(f.network().replicator(), services.cellId()), f.network().replicator());
            routing.register("/api/v1/placement", placement.placement());
            routing.register("/api/v1/sync", placement.sync());
            routing.register("/api/v1/bounty", placement.bounty());
            // The HTTP side of /api/v1/events explains refused upgrades; it reads the port from each request.
            routing.register(EventsService.PATH, new EventsService(f.network().events(), web, services.apiToken(),
                    () -> -1, Clock.systemUTC()).fallback());
            ShareApiService sharing = new ShareApiService(f.network().shares(), f.network().chat(),
                    new PeersView(f.network()), Clock.systemUTC());
            routing.register("/api/v1/shares", sharing.shares());
            routing.register("/api/v1/feed", sharing.feed());
            routing.register("/api/v1/chat", sharing.chat());
        });
        routing.register("/api/v1/qr", new QrService());
        routing.any("/api/*", (req, res) -> Responses.problem(res, Problem.of(404, "not-found", "Not found",
                "no API endpoint " + req.prologue().method().text() + " " + req.path().path() + "; see docs/api.md")));
        // Helidon 4.2.0 closes the JarFile it reads a dashboard file from (helidon-io/helidon#9908, fixed after 4.2.0);
        // with the JDK's shared cache of jar: connections, a file read at the same moment (the page loads grove.css
        // and app.js together) then fails with "zip file closed" and a 500. Uncached, each read has its own JarFile.
        URLConnection.setDefaultUseCaches("jar", false);
        routing.register("/", StaticContentService.builder(DASHBOARD, ApiRouting.class.getClassLoader())
                .welcomeFileName("index.html").build());
        errors(routing);
    }

    /** File contents in and out of the cell through its API (not listings or other JSON). */
    private static boolean isTransfer(String path) {
        return path.startsWith("/api/v1/files/") && path.length() > "/api/v1/files/".length()
                || path.startsWith("/api/v1/archive")
                || path.startsWith("/api/v1/feed/") && path.endsWith("/content");
    }

    /**
     * The WebSocket of the API socket: {@code /api/v1/events}, the cell's live events (docs/api.md). Checks Host,
     * credentials and Origin itself: an upgrade is answered before the HTTP filters run.
     *
     * @param apiPort the API socket's port once it listens
     */
    public static WsRouting.Builder events(Services services, WebAccess web, EventBus bus, IntSupplier apiPort) {
        EventsService events = new EventsService(bus, web, services.apiToken(), apiPort, Clock.systemUTC());
        return WsRouting.builder().endpoint(EventsService.PATH, events::listener);
    }

    /** Configures the peer socket without the peer protocol: every request gets a 404 problem. */
    public static void peer(HttpRouting.Builder routing) {
        peerFallback(routing);
    }

    /** Configures the peer socket: the peer protocol ({@code POST /peer/v1/{operation}}, docs/protocol.md). */
    public static void peer(HttpRouting.Builder routing, PeerHandler handler) {
        routing.register(new PeerService(handler));
        peerFallback(routing);
    }

    private static void peerFallback(HttpRouting.Builder routing) {
        routing.any((req, res) -> Responses.problem(res, Problem.of(404, "unknown-peer-operation", "Not found",
                "this cell does not serve " + req.path().path() + " on its peer socket; see docs/protocol.md")));
        errors(routing);
    }

    private static void damaged(ServerRequest req, ServerResponse res, String what) {
        LOG.log(System.Logger.Level.ERROR, req.path().path() + ": " + what);
        if (!res.isSent()) {
            Responses.problem(res, Problem.of(500, "damaged-data", "Stored data is damaged",
                    what + "; nothing damaged is served. Run 'grove verify' to see what is affected"));
        }
    }

    private static void errors(HttpRouting.Builder routing) {
        routing.error(ProblemException.class, (req, res, e) -> Responses.problem(res, e.problem()));
        // Helidon's own answers (a 304 for a cached dashboard file, a 404 for a missing one) keep their status.
        routing.error(HttpException.class, (req, res, e) -> {
            if (e.status().code() == Status.NOT_MODIFIED_304.code()) {
                res.status(Status.NOT_MODIFIED_304).send();
                return;
            }
            Responses.problem(res, Problem.of(e.status().code(), e.status().code() == 404 ? "not-found" : "http-error",
                    e.status().reasonPhrase(), "no such page or endpoint: " + req.path().path()));
        });
        routing.error(FileNotFoundProblem.class, (req, res, e) ->
                Responses.problem(res, Problem.of(404, "file-not-found", "Not found", e.getMessage())));
        routing.error(InvalidPathException.class, (req, res, e) ->
                Responses.problem(res, Problem.of(400, "invalid-path", "Bad request", "path: " + e.getMessage())));
        routing.error(MissingChunkException.class, (req, res, e) -> damaged(req, res, e.getMessage()));
        routing.error(CorruptChunkException.class, (req, res, e) -> damaged(req, res, e.getMessage()));
        routing.error(CorruptManifestException.class, (req, res, e) -> damaged(req, res, e.getMessage()));
        routing.error(Exception.class, (req, res, e) -> {
            LOG.log(System.Logger.Level.ERROR, "request " + req.prologue().method().text() + " " + req.path().path()
                    + " failed", e);
            if (!res.isSent()) {
                Responses.problem(res, Problem.of(500, "internal", "Internal error",
                        "the cell failed to handle this request; its log has the details"));
            }
        });
        // Without this, Helidon answers an Error (out of memory, most likely) with its message as plain text.
        // The request is abandoned and its memory released as the error unwinds; the cell goes on serving.
        routing.error(Error.class, (req, res, e) -> {
            LOG.log(System.Logger.Level.ERROR, "request " + req.prologue().method().text() + " " + req.path().path()
                    + " failed", e);
            if (!res.isSent()) {
                Responses.problem(res, Problem.internal(e, "handling this request"));
            }
        });
    }
}
