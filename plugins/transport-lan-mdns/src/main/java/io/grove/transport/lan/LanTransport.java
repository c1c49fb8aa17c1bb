package io.grove.transport.lan;

import io.grove.api.CellId;
import io.grove.api.transport.PeerHttp;
import io.grove.api.transport.PeerRequest;
import io.grove.api.transport.PeerResponse;
import io.grove.api.transport.Route;
import io.grove.api.transport.Transport;
import io.grove.api.transport.TransportHost;

import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Announces this cell as a {@code _grove._tcp} service on the LAN with mDNS/DNS-SD (JmDNS, one responder per
 * bound interface), reports every other Grove cell it hears of to the host as a route, and carries peer requests
 * to them over HTTP/1.1 with {@link PeerHttp}, exactly as the direct transport does. Discovery grants no trust:
 * the runtime decides whether a cell is a member (else it is only "nearby") and verifies every answer.
 *
 * <p>JmDNS runs its own timer and listener threads (the mDNS protocol's timing lives there); they stop on
 * {@link #close()}. Everything else uses the context's executor.
 */
final class LanTransport implements Transport {
    /** The most service instances tracked at once (see {@link LanPeers}). */
    static final int MAX_SERVICES = 256;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final String id;
    private final String configKey;
    private final List<String> interfaces;
    private final boolean advertise;
    private final Duration connectTimeout;
    private final Duration maxTimeout;
    private final ExecutorService executor;
    private final System.Logger log;
    private final LanPeers peers;
    private final List<JmDNS> responders = new CopyOnWriteArrayList<>();
    private final AtomicBoolean full = new AtomicBoolean();
    private volatile CellId self;
    private volatile HttpClient client;

    LanTransport(String id, String configKey, List<String> interfaces, boolean advertise, Duration connectTimeout,
                 Duration maxTimeout, ExecutorService executor, System.Logger log) {
        this.id = id;
        this.configKey = configKey;
        this.interfaces = List.copyOf(interfaces);
        this.advertise = advertise;
        this.connectTimeout = connectTimeout;
        this.maxTimeout = maxTimeout;
        this.executor = executor;
        this.log = log;
        this.peers = new LanPeers(id, MAX_SERVICES, log);
    }

    @Override
    public void start(TransportHost host) throws IOException {
        if (client != null) {
            throw new IllegalStateException("LAN transport " + id + " is already started");
        }
        List<InetAddress> addresses = LanInterfaces.resolve(interfaces, configKey + ".interface");
        self = host.localCell();
        peers.reportTo(host);
        // HTTP/1.1 only, as for direct routes: the peer socket speaks it.
        client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
        if (addresses.isEmpty()) {
            log.log(System.Logger.Level.WARNING, "LAN transport {0}: no network interface is up with multicast; it "
                    + "finds no peers until the cell restarts with one (or set {1}.interface)", id, configKey);
            return;
        }
        int port = host.peerPort();
        boolean announce = advertise && port >= 1 && port <= 65535;
        try {
            for (InetAddress address : addresses) {
                JmDNS responder = JmDNS.create(address, "grove-" + self.shortForm().toLowerCase(Locale.ROOT));
                responders.add(responder);
                responder.addServiceListener(Announcement.SERVICE_TYPE, new Listener(address.getHostAddress()));
                if (announce) {
                    responder.registerService(ServiceInfo.create(Announcement.SERVICE_TYPE, self.value(), port, 0, 0,
                            Announcement.txt(self)));
                }
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw new IOException("LAN transport " + id + " cannot start mDNS on " + addresses + ": " + e.getMessage(), e);
        }
        log.log(System.Logger.Level.INFO, "LAN transport {0} {1} on {2}", id,
                announce ? "announces peer port " + port + " and listens" : "listens without announcing",
                addresses.stream().map(InetAddress::getHostAddress).toList());
    }

    @Override
    public List<Route> routes(CellId peer) {
        return peers.routes(peer);
    }

    @Override
    public PeerResponse exchange(Route route, PeerRequest request, Duration timeout) throws IOException {
        HttpClient http = client;
        if (http == null) {
            throw new IOException("LAN transport " + id + " is not started");
        }
        if (!id.equals(route.transport()) || !"http".equals(route.address().getScheme())) {
            throw new IOException("route " + route.address() + " does not belong to LAN transport " + id);
        }
        Duration bounded = timeout.isNegative() || timeout.isZero() || timeout.compareTo(maxTimeout) > 0 ? maxTimeout : timeout;
        return PeerHttp.exchange(http, route.address(), request, bounded);
    }

    @Override
    public void close() {
        List<JmDNS> open = new ArrayList<>(responders);
        responders.clear();
        // Each responder sends its goodbyes and waits for them (about 2 s): close them side by side.
        List<Future<?>> closing = new ArrayList<>();
        for (JmDNS responder : open) {
            try {
                closing.add(executor.submit(() -> {
                    responder.close();
                    return null;
                }));
            } catch (RejectedExecutionException e) {
                closeQuietly(responder);
            }
        }
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        for (Future<?> future : closing) {
            try {
                future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (TimeoutException e) {
                log.log(System.Logger.Level.WARNING, "LAN transport {0}: an mDNS responder did not stop within {1}",
                        id, CLOSE_WAIT);
                future.cancel(true);
            } catch (Exception e) {
                log.log(System.Logger.Level.WARNING, "LAN transport " + id + ": an mDNS responder failed to stop", e);
            }
        }
        peers.clear();
        HttpClient http = client;
        client = null;
        if (http != null) {
            http.shutdownNow();
        }
    }

    private void closeQuietly(JmDNS responder) {
        try {
            responder.close();
        } catch (IOException | RuntimeException e) {
            log.log(System.Logger.Level.WARNING, "LAN transport " + id + ": an mDNS responder failed to stop", e);
        }
    }

    /** The reaction to one responder's view of {@code _grove._tcp}; JmDNS calls it on its listener thread. */
    private final class Listener implements ServiceListener {
        private final String responder;

        Listener(String responder) {
            this.responder = responder;
        }

        @Override
        public void serviceAdded(ServiceEvent event) {
            // JmDNS resolves an added instance by itself and then calls serviceResolved.
        }

        @Override
        public void serviceResolved(ServiceEvent event) {
            try {
                ServiceInfo info = event.getInfo();
                List<InetAddress> addresses = Arrays.asList(info.getInetAddresses());
                byte[] text = info.getTextBytes();
                if (addresses.isEmpty() || text == null || text.length <= 1) {
                    // Not fully resolved yet (JmDNS reports again when the rest arrives): neither a cell nor a change.
                    return;
                }
                Announcement announcement = Announcement.parse(property(info, Announcement.KEY_ID),
                        property(info, Announcement.KEY_VERSION), info.getPort(), addresses);
                if (announcement.cell().equals(self)) {
                    return;
                }
                if (peers.seen(key(event), announcement)) {
                    full.set(false);
                } else if (full.compareAndSet(false, true)) {
                    log.log(System.Logger.Level.WARNING, "LAN transport {0} tracks {1} announcements already; "
                            + "ignoring more until some go away", id, MAX_SERVICES);
                }
            } catch (IllegalArgumentException e) {
                // An instance that stops being a valid cell stops giving routes.
                peers.gone(key(event));
                log.log(System.Logger.Level.DEBUG, "LAN transport {0} ignores the _grove._tcp instance {1}: {2}", id,
                        Announcement.printable(event.getName()), e.getMessage());
            } catch (RuntimeException e) {
                log.log(System.Logger.Level.WARNING, "LAN transport " + id + " failed to take an announcement", e);
            }
        }

        @Override
        public void serviceRemoved(ServiceEvent event) {
            peers.gone(key(event));
        }

        private String key(ServiceEvent event) {
            return responder + " " + event.getName().toLowerCase(Locale.ROOT);
        }

        private static Optional<String> property(ServiceInfo info, String key) {
            return Optional.ofNullable(info.getPropertyString(key));
        }
    }
}
