package io.grove.runtime;

import io.grove.api.CellId;
import io.grove.api.store.ChunkStore;
import io.grove.runtime.cell.CellFolder;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.cell.ServeInfo;
import io.grove.runtime.config.ConfigException;
import io.grove.runtime.config.ConfigNode;
import io.grove.runtime.config.GroveConfig;
import io.grove.runtime.replication.ReplicationSettings;
import io.grove.runtime.watch.FolderWatcher;
import io.grove.runtime.watch.WatchedFolders;
import io.grove.runtime.web.WebAccess;
import io.grove.runtime.files.Storage;
import io.grove.runtime.http.ApiRouting;
import io.grove.runtime.fleet.RosterBook;
import io.grove.runtime.peer.PeerStack;
import io.grove.runtime.events.EventBus;
import io.grove.runtime.peers.Network;
import io.grove.runtime.plugin.PluginInstances;
import io.grove.runtime.plugin.PluginKind;
import io.grove.runtime.plugin.PluginLoader;
import io.grove.runtime.plugin.PluginRegistry;
import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.WebServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardSocketOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running Grove cell: its folder, keys, plugins and the two sockets (API + dashboard, peer). Start one with
 * {@link #start}; {@link #close()} stops it and closes plugin instances in reverse order.
 */
public final class Cell implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Cell.class.getName());
    /** The name of the peer socket. */
    public static final String PEER_SOCKET = "peer";
    /**
     * The receive buffer asked for on both listening sockets (and so on every connection they accept); the kernel
     * caps it at {@code net.core.rmem_max}. Helidon 4.2.0 sets 4 KiB when nothing is asked for (its issue #10801,
     * fixed in 4.3.2), which turns the kernel's buffer auto-tuning off and holds every upload to a receive window
     * of a few KiB: 4 KiB per read and per segment, the sender stalled on the window most of the time. Asking for
     * any size also keeps auto-tuning off, so ask for a window that fills a fast link.
     */
    static final int LISTENER_RECEIVE_BUFFER = 4 * 1024 * 1024;

    private final CellFolder folder;
    private final CellSettings settings;
    private final CellKeys keys;
    private final PluginRegistry plugins;
    private final PluginInstances instances;
    private final Storage storage;
    private final FolderWatcher watcher;
    private final Network network;
    private final WebServer server;

    private Cell(CellFolder folder, CellSettings settings, CellKeys keys, PluginRegistry plugins,
                 PluginInstances instances, Storage storage, FolderWatcher watcher, Network network, WebServer server) {
        this.folder = folder;
        this.settings = settings;
        this.keys = keys;
        this.plugins = plugins;
        this.instances = instances;
        this.storage = storage;
        this.watcher = watcher;
        this.network = network;
        this.server = server;
    }

    /**
     * Initialises the folder if needed, loads configuration, keys and plugins, and starts both sockets.
     *
     * @param folder       the cell folder
     * @param overrides    {@code --set} assignments
     * @param environment  the process environment (for {@code GROVE_*} variables)
     * @param distribution the unpacked distribution this cell runs from, if any (plugins, config template)
     * @throws CellStartException with a message for the user when anything is missing, invalid or in use
     */
    public static Cell start(CellFolder folder, Map<String, String> overrides, Map<String, String> environment,
                             Optional<Path> distribution) {
        PluginInstances instances = null;
        Storage storage = null;
        FolderWatcher watcher = null;
        Network network = null;
        try {
            List<String> created = folder.init(distribution.map(d -> d.resolve("conf").resolve("grove.yaml")));
            if (!created.isEmpty()) {
                LOG.log(System.Logger.Level.INFO, "initialised cell folder {0}", folder.dir());
            }
            GroveConfig config = GroveConfig.load(folder.dir(), overrides, environment);
            CellSettings settings = CellSettings.from(config, distribution);
            WebAccess web = webAccess(folder, config);
            if (!settings.apiIsLoopback() && !web.passwordSet()) {
                throw new CellStartException("refusing to bind the dashboard and API to " + settings.apiBind()
                        + ": set a dashboard password first ('grove password'), or keep api.bind on a loopback "
                        + "address (127.0.0.1)");
            }
            CellKeys keys = folder.keys();
            String token = folder.apiToken();
            PluginRegistry plugins = PluginLoader.load(settings.pluginsDir(), settings.pluginsClasspath(),
                    settings.pluginsFailOnError());
            instances = PluginInstances.start(plugins, config, keys.cellId(), Clock.systemUTC(),
                    settings.pluginsFailOnError());
            if (instances.running(PluginKind.STORE, ChunkStore.class).isEmpty()) {
                throw new CellStartException("no chunk store is running: configure one under 'stores' "
                        + "(the default is stores.local.type=filesystem, from the store-filesystem plugin) "
                        + "and check the plugin list above for errors");
            }
            ChunkStore store = instances.running(PluginKind.STORE, ChunkStore.class).get(0);
            storage = Storage.open(folder.database(), store, keys, config.root(), Clock.systemUTC());
            watcher = watcher(config, environment, storage, settings);
            WatchedFolders watched = new WatchedFolders(storage.database(), watcher,
                    java.util.Set.copyOf(config.node("watch").list("folders")), folder.dir(), Clock.systemUTC());
            watched.restore();
            watcher.start();
            ApiRouting.Dashboard dashboard = new ApiRouting.Dashboard(watched, ReplicationSettings.from(config.root()));
            ApiRouting.Services services = new ApiRouting.Services(keys.cellId(), token, plugins, storage.files(), store,
                    settings.maxApiBody());
            ApiRouting.Maintenance maintenance = new ApiRouting.Maintenance(storage.verifier(), storage.collector());
            ApiRouting.Local local = new ApiRouting.Local(folder.dir(), localToken());
            // The roster decides who may talk to this cell: before it joins or creates a fleet, nobody may.
            EventBus events = new EventBus(Clock.systemUTC());
            network = Network.create(keys, settings.label(), storage.database(), store, instances, config.root(),
                    events, Clock.systemUTC());
            PeerStack peer = network.stack();
            storage.files().fetchMissingFrom(network.remoteChunks()::fetch);
            Network wired = network;
            wired.replicator().eager().ifPresent(storage.files()::onNewChunk);
            storage.files().onCommit(versions -> {
                wired.replicator().syncSoon();
                for (var v : versions.size() > 20 ? versions.subList(0, 20) : versions) {
                    events.publish("file.version", java.util.Map.of("path", v.path(), "version", v.id(),
                            "size", v.size(), "deleted", v.tombstone()));
                }
                if (versions.size() > 20) {
                    events.publish("file.versions", java.util.Map.of("count", versions.size()));
                }
            });
            Network finalNetwork = network;
            AtomicInteger apiPort = new AtomicInteger(-1);
            WebServer server = withReceiveBuffer(WebServer.builder())
                    .shutdownHook(false)
                    .host(settings.apiBind())
                    .port(settings.apiPort())
                    .maxPayloadSize(settings.maxApiBody())
                    .routing(r -> ApiRouting.api(r, services, maintenance, web, new ApiRouting.Fleet(finalNetwork), dashboard,
                            local))
                    .addRouting(ApiRouting.events(services, web, events, apiPort::get))
                    .putSocket(PEER_SOCKET, s -> withReceiveBuffer(s).host(settings.peerBind()).port(settings.peerPort())
                            .maxPayloadSize(io.grove.api.transport.PeerRequest.MAX_BODY_BYTES)
                            .routing(r -> ApiRouting.peer(r, peer.handler())))
                    .build();
            start(server, settings);
            apiPort.set(server.port());
            network.start(settings.peerBind(), server.port(PEER_SOCKET));
            Cell cell = new Cell(folder, settings, keys, plugins, instances, storage, watcher, network, server);
            folder.recordServing(new ServeInfo(ProcessHandle.current().pid(), cell.apiUrl(), cell.peerPort(),
                    keys.cellId().value(), Instant.now().toString(), local.token()));
            return cell;
        } catch (IOException e) {
            closeQuietly(network, watcher, storage, instances);
            throw new CellStartException("cannot use cell folder " + folder.dir() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(network, watcher, storage, instances);
            throw e;
        }
    }

    /** A listener with {@link #LISTENER_RECEIVE_BUFFER} asked for on its socket. */
    static <B extends ListenerConfig.BuilderBase<B, ?>> B withReceiveBuffer(B listener) {
        return listener.putListenerSocketOption(StandardSocketOptions.SO_RCVBUF, LISTENER_RECEIVE_BUFFER);
    }

    /** A new secret for local puts (recorded in serve.json only). */
    private static String localToken() {
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    private static void start(WebServer server, CellSettings settings) {
        checkFree(settings.apiBind(), settings.apiPort(), "api.port (--port)");
        checkFree(settings.peerBind(), settings.peerPort(), "peer.port (--peer-port)");
        try {
            server.start();
            if (!server.isRunning()) {
                throw new CellStartException("cannot listen on " + settings.apiBind() + ":" + settings.apiPort() + " or "
                        + settings.peerBind() + ":" + settings.peerPort() + " (see the log above); choose other ports "
                        + "with --port and --peer-port");
            }
        } catch (UncheckedIOException | IllegalStateException e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof BindException)) {
                cause = cause.getCause();
            }
            if (cause instanceof BindException) {
                throw new CellStartException("cannot listen on " + settings.apiBind() + ":" + settings.apiPort()
                        + " or " + settings.peerBind() + ":" + settings.peerPort() + ": " + cause.getMessage()
                        + " (is another cell running? choose other ports with --port and --peer-port)", e);
            }
            throw e;
        }
    }

    /**
     * The watcher of the folders named by {@code watch.folders} under {@code watch.home} (default {@code $GROVE_HOME},
     * else {@code ~/GroveHome}; none by default) and of those added in the dashboard's Settings; not started yet.
     */
    private static FolderWatcher watcher(GroveConfig config, Map<String, String> environment, Storage storage,
                                         CellSettings settings) throws IOException {
        ConfigNode watch = config.node("watch");
        List<String> folders = watch.list("folders");
        Path home = watch.path("home").filter(p -> !watch.string("home", "").isBlank())
                .or(() -> Optional.ofNullable(environment.get("GROVE_HOME")).filter(h -> !h.isBlank()).map(Path::of))
                .orElse(CellFolder.userHome(environment).resolve("GroveHome"));
        FolderWatcher watcher;
        try {
            watcher = new FolderWatcher(home, folders, storage.files(), watch.duration("debounce", Duration.ofSeconds(2)),
                    settings.maxApiBody());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("configuration key 'watch.folders': " + e.getMessage());
        }
        return watcher;
    }

    /** The dashboard's password, sessions and allowed Host names ({@code api.hosts}). */
    private static WebAccess webAccess(CellFolder folder, GroveConfig config) {
        try {
            return WebAccess.of(folder.dir(), config.root().list("api.hosts"), Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("configuration key 'api.hosts': " + e.getMessage());
        }
    }

    /** Fails early, with the key to change, when a fixed port is taken (Helidon only logs it). */
    private static void checkFree(String host, int port, String key) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new CellStartException("cannot listen on " + host + ":" + port + ": " + e.getMessage()
                    + " (is another cell running? choose another port with " + key + ")", e);
        }
    }

    public CellId id() {
        return keys.cellId();
    }

    public CellFolder folder() {
        return folder;
    }

    public CellSettings settings() {
        return settings;
    }

    public PluginRegistry plugins() {
        return plugins;
    }

    public PluginInstances instances() {
        return instances;
    }

    public Storage storage() {
        return storage;
    }

    /** This cell's view of its fleet's roster (also what its peer socket checks senders against). */
    public RosterBook roster() {
        return network.roster();
    }

    /** The cell's live events (the dashboard's {@code /api/v1/events}). */
    public EventBus events() {
        return network.events();
    }

    /** This cell's side of the fleet: transports, gossip, fleet operations. */
    public Network network() {
        return network;
    }

    /** The port the API socket listens on. */
    public int apiPort() {
        return server.port();
    }

    /** The port the peer socket listens on. */
    public int peerPort() {
        return server.port(PEER_SOCKET);
    }

    /** The base URL of the REST API and dashboard. */
    public String apiUrl() {
        String host = settings.apiBind().contains(":") ? "[" + settings.apiBind() + "]" : settings.apiBind();
        return "http://" + host + ":" + apiPort();
    }

    /** Stops both sockets, then closes plugin instances in reverse order. */
    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
        network.close();
        server.stop();
        storage.close();
        instances.close();
        try {
            folder.clearServing();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot remove " + CellFolder.SERVE_FILE + ": " + e.getMessage());
        }
        LOG.log(System.Logger.Level.INFO, "cell {0} stopped", keys.cellId().shortForm());
    }

    private static void closeQuietly(Network network, FolderWatcher watcher, Storage storage, PluginInstances instances) {
        if (network != null) {
            network.close();
        }
        if (watcher != null) {
            watcher.close();
        }
        if (storage != null) {
            storage.close();
        }
        if (instances != null) {
            instances.close();
        }
    }
}
