package io.grove.runtime.peers;

import io.grove.api.store.ChunkStore;
import io.grove.api.transport.Transport;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.audit.AuditBook;
import io.grove.runtime.audit.AuditOperation;
import io.grove.runtime.audit.AuditPolicy;
import io.grove.runtime.bounty.BountyOperation;
import io.grove.runtime.bounty.Ledger;
import io.grove.runtime.chat.Chat;
import io.grove.runtime.config.ConfigException;
import io.grove.runtime.config.ConfigNode;
import io.grove.runtime.db.Database;
import io.grove.runtime.events.EventBus;
import io.grove.runtime.fleet.InviteBook;
import io.grove.runtime.fleet.RosterBook;
import io.grove.runtime.fleet.SignedRoster;
import io.grove.runtime.peer.PeerClient;
import io.grove.runtime.peer.PeerOperation;
import io.grove.runtime.peer.PeerStack;
import io.grove.runtime.peer.PeerTransportHost;
import io.grove.runtime.peer.RosterSource;
import io.grove.runtime.peer.SqliteManifestStore;
import io.grove.runtime.plugin.PluginInstances;
import io.grove.runtime.plugin.PluginKind;
import io.grove.runtime.replication.EagerPush;
import io.grove.runtime.replication.Placement;
import io.grove.runtime.replication.RemoteChunks;
import io.grove.runtime.replication.ReplicationOperations;
import io.grove.runtime.replication.ReplicationSettings;
import io.grove.runtime.replication.Replicator;
import io.grove.runtime.routes.PeerPresence;
import io.grove.runtime.routes.RouteBook;
import io.grove.runtime.routes.RouteSettings;
import io.grove.runtime.share.Shares;
import io.grove.runtime.stats.MeteredTransport;
import io.grove.runtime.stats.TransferMeter;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A cell's side of the fleet, wired: the roster and invites, the peer protocol with the fleet's operations, the
 * running transports, roster gossip and the {@link FleetService}. Created before the sockets start ({@link #stack()}
 * serves the peer socket); {@link #start} runs once the peer port is known.
 */
public final class Network implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Network.class.getName());

    private final RosterBook roster;
    private final PeerStack stack;
    private final Map<String, Transport> transports;
    private final Peers peers;
    private final RosterGossip gossip;
    private final FleetService fleet;
    private final Replicator replicator;
    private final EventBus events;
    private final RemoteChunks remoteChunks;
    private final AtomicReference<List<String>> ownRoutes;
    private final List<String> advertise;
    private final Shares shares;
    private final Chat chat;
    private final TransferMeter meter;
    private final PeerPresence presence;

    private Network(RosterBook roster, PeerStack stack, Map<String, Transport> transports, Peers peers,
                    RosterGossip gossip, FleetService fleet, Replicator replicator, EventBus events,
                    AtomicReference<List<String>> ownRoutes, List<String> advertise, Shares shares, Chat chat,
                    TransferMeter meter, PeerPresence presence) {
        this.roster = roster;
        this.stack = stack;
        this.transports = transports;
        this.peers = peers;
        this.gossip = gossip;
        this.fleet = fleet;
        this.replicator = replicator;
        this.events = events;
        this.remoteChunks = new RemoteChunks(replicator.placement(), roster, peers, replicator.store());
        this.ownRoutes = ownRoutes;
        this.advertise = advertise;
        this.shares = shares;
        this.chat = chat;
        this.meter = meter;
        this.presence = presence;
    }

    /**
     * Wires the fleet for a cell.
     *
     * @param config the configuration root ({@code peer.advertise}, {@code fleet.gossip-interval},
     *               {@code chat.retry-interval},
     *               {@code peer.timeout}, {@code events.presence-interval})
     */
    public static Network create(CellKeys keys, String label, Database db, ChunkStore store,
                                 PluginInstances instances, ConfigNode config, EventBus events, Clock clock) {
        RosterBook roster = new RosterBook(db, keys, clock);
        InviteBook invites = new InviteBook(db, roster, keys, clock);
        RosterSource rosterSource = () -> roster.current().map(SignedRoster::encode);
        AtomicReference<RosterGossip> gossipRef = new AtomicReference<>();
        AtomicReference<List<String>> ownRoutes = new AtomicReference<>(List.of());
        Placement placement = new Placement(db, keys.cellId(), clock);
        List<PeerOperation> extra = new ArrayList<>(FleetOperations.of(roster, invites, () -> {
            RosterGossip g = gossipRef.get();
            if (g != null) {
                g.spreadNow();
            }
        }));
        extra.add(ReplicationOperations.release(placement));
        AuditBook audits = new AuditBook(db, AuditPolicy.DEFAULT.withInterval(
                config.duration("audit.interval").orElse(AuditPolicy.DEFAULT.interval())));
        Ledger ledger = new Ledger(db, keys);
        extra.add(new AuditOperation(store));
        extra.add(new BountyOperation(ledger, clock));
        AtomicReference<Peers> peersRef = new AtomicReference<>();
        Shares shares = new Shares(db, keys, roster, store, peersRef::get, events, clock);
        Chat chat = new Chat(db, keys, roster, peersRef::get, events, clock,
                config.duration("chat.retry-interval").orElse(Duration.ofSeconds(10)));
        extra.addAll(shares.operations());
        extra.add(chat.operation());
        PeerStack stack = PeerStack.of(keys, roster, rosterSource, store, new SqliteManifestStore(db, clock), clock,
                (sender, hello) -> {
                    RosterGossip g = gossipRef.get();
                    return g == null ? ownRoutes.get() : g.heard(sender, hello);
                },
                placement::held, extra);
        TransferMeter meter = new TransferMeter(clock);
        stack.handler().meter(meter);
        Map<String, Transport> transports = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (PluginInstances.Instance instance : instances.all()) {
            if (instance.kind() == PluginKind.TRANSPORT && instance.running()
                    && instance.instance() instanceof Transport transport) {
                transports.put(instance.id(), transport);
                types.put(instance.id(), instance.type());
            }
        }
        Duration timeout = config.duration("peer.timeout").orElse(Duration.ofSeconds(30));
        PeerClient client = new PeerClient(stack.signer(), id -> Optional.ofNullable(transports.get(id))
                .map(t -> (Transport) new MeteredTransport(t, meter)), timeout);
        RouteBook routes = new RouteBook(db, client, transports, roster, keys.cellId(), clock,
                RouteSettings.from(config.node("routes")));
        Peers peers = new Peers(keys.cellId(), transports, types, client, ownRoutes::get, routes);
        peersRef.set(peers);
        Duration interval = config.duration("fleet.gossip-interval").orElse(Duration.ofSeconds(30));
        if (interval.compareTo(Duration.ofMillis(100)) < 0 || interval.compareTo(Duration.ofDays(1)) > 0) {
            throw new ConfigException(
                    "configuration key 'fleet.gossip-interval' must be between 100ms and 1d");
        }
        RosterGossip gossip = new RosterGossip(roster, peers, clock, interval, events);
        gossipRef.set(gossip);
        FleetService fleet = new FleetService(keys, label, roster, invites, peers, gossip, clock);
        Replicator replicator = new Replicator(placement, roster, peers, store, db, ReplicationSettings.from(config),
                audits, ledger, events, clock);
        PeerPresence presence;
        try {
            presence = new PeerPresence(roster, routes, events,
                    config.duration("events.presence-interval").orElse(Duration.ofSeconds(2)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("configuration key 'events.presence-interval': " + e.getMessage());
        }
        replicator.eagerPush(EagerPush.Settings.from(config));
        return new Network(roster, stack, transports, peers, gossip, fleet, replicator, events, ownRoutes,
                config.list("peer.advertise"), shares, chat, meter, presence);
    }

    /** The peer protocol, for the peer socket. */
    public PeerStack stack() {
        return stack;
    }

    public RosterBook roster() {
        return roster;
    }

    public Peers peers() {
        return peers;
    }

    public FleetService fleet() {
        return fleet;
    }

    /** Fetches chunks this cell lacks from the fleet (for reads). */
    public RemoteChunks remoteChunks() {
        return remoteChunks;
    }

    /** The cell's live events. */
    public EventBus events() {
        return events;
    }

    /** Read grants, made and received (docs/sharing.md). */
    public Shares shares() {
        return shares;
    }

    /** Chat with the other cells of the fleet. */
    public Chat chat() {
        return chat;
    }

    /** Bytes this cell moved over the last hour (the dashboard's throughput chart). */
    public TransferMeter meter() {
        return meter;
    }

    /** The opp sync loop and placement of this cell's data. */
    public Replicator replicator() {
        return replicator;
    }

    /**
     * Starts the transports and the gossip once the peer socket listens.
     *
     * @param peerBind the peer socket's bind address
     * @param peerPort the port it listens on
     */
    public void start(String peerBind, int peerPort) {
        List<String> routes = AdvertisedRoutes.of(advertise, peerBind, peerPort);
        ownRoutes.set(routes);
        PeerTransportHost host = new PeerTransportHost(peers.self(), () -> peerPort,
                Peers.fromRoster(roster::member), stack.handler(), peers.routes()::discovered, peers.routes()::lost);
        for (Map.Entry<String, Transport> t : transports.entrySet()) {
            try {
                t.getValue().start(host);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "transport " + t.getKey() + " failed to start", e);
            }
        }
        gossip.start();
        peers.routes().start();
        replicator.start();
        chat.start();
        presence.start();
        LOG.log(System.Logger.Level.INFO, "peer routes advertised: {0}; transports: {1}", routes, transports.keySet());
    }

    @Override
    public void close() {
        presence.close();
        chat.close();
        replicator.close();
        gossip.close();
        peers.routes().close();
    }
}
