package io.grove.runtime.chat;

import io.grove.api.CellId;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.db.Database;
import io.grove.runtime.events.EventBus;
import io.grove.runtime.fleet.Member;
import io.grove.runtime.fleet.RosterBook;
import io.grove.runtime.peer.PeerCallException;
import io.grove.runtime.peer.PeerOperation;
import io.grove.runtime.peer.PeerReply;
import io.grove.runtime.peer.VerifiedRequest;
import io.grove.runtime.peers.Peers;

import javax.crypto.AEADBadTagException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * End-to-end encrypted chat between the cells of a fleet: messages are sealed and signed ({@link ChatEnvelope}),
 * kept in SQLite on both ends, delivered with the {@code chat.message} peer operation, and queued when the peer is
 * away; a retry loop sends the queue in order, stopping at the first failure. The receiver takes each sender's
 * messages in sequence (a gap is refused so the sender resends in order) and ignores exact replays.
 */
public final class Chat implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Chat.class.getName());
    /** Messages sent per peer and retry round. */
    static final int ROUND_BATCH = 100;
    /** Peers retried per round. */
    static final int ROUND_PEERS = 64;

    private final Database db;
    private final CellKeys keys;
    private final RosterBook roster;
    private final Supplier<Peers> peers;
    private final EventBus events;
    private final Clock clock;
    private final Duration retryInterval;
    // Three locks, never nested: numbering a new message, delivering the queue (holds across network calls), and
    // taking in messages (so a cell sending to a peer that sends back at the same moment cannot deadlock).
    private final Object numbering = new Object();
    private final Object delivering = new Object();
    private final Object receiving = new Object();
    private ScheduledExecutorService retry;

    public Chat(Database db, CellKeys keys, RosterBook roster, Supplier<Peers> peers, EventBus events, Clock clock,
                Duration retryInterval) {
        if (retryInterval.compareTo(Duration.ofMillis(100)) < 0 || retryInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("the chat retry interval is between 100ms and 1h");
        }
        this.db = db;
        this.keys = keys;
        this.roster = roster;
        this.peers = peers;
        this.events = events;
        this.clock = clock;
        this.retryInterval = retryInterval;
    }

    /**
     * A message as this cell keeps it.
     *
     * @param id        this cell's order of messages (the {@code since} cursor)
     * @param from      sender
     * @param to        recipient
     * @param seq       the sender's sequence number towards the recipient
     * @param sentAt    the sender's time
     * @param outgoing  whether this cell sent it
     * @param delivered for an outgoing message, whether the recipient acknowledged it
     * @param text      the text
     */
    public record Message(long id, CellId from, CellId to, long seq, Instant sentAt, boolean outgoing, boolean delivered,
                          String text) {
        /** The REST and event form. */
        public Map<String, Object> view() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", id);
            out.put("from", from.value());
            out.put("to", to.value());
            out.put("seq", seq);
            out.put("sentAt", sentAt.toString());
            out.put("outgoing", outgoing);
            out.put("delivered", delivered);
            out.put("text", text);
            return out;
        }
    }

    /** Starts the retry loop. */
    public synchronized void start() {
        if (retry == null) {
            retry = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "grove-chat-retry");
                t.setDaemon(true);
                return t;
            });
            retry.scheduleWithFixedDelay(this::retryRound, retryInterval.toMillis(), retryInterval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void close() {
        if (retry != null) {
            retry.shutdownNow();
            try {
                retry.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            retry = null;
        }
    }

    /**
     * Seals, stores and queues a message to {@code to}, then tries to deliver the queue to it at once.
     *
     * @throws IllegalArgumentException when {@code to} is not another cell of the roster or the text is empty or too long
     */
    public Message send(CellId to, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("text: a message needs some text");
        }
        Member member = roster.member(to).filter(m -> !m.id().equals(keys.cellId()))
                .orElseThrow(() -> new IllegalArgumentException("cell " + to.shortForm() + " is not another cell of this fleet"));
        long id;
        synchronized (numbering) {
            long seq = lastSeq(keys.cellId(), to) + 1;
            long now = clock.millis();
            ChatEnvelope envelope = ChatEnvelope.seal(keys, to, member.agreementKey(), seq, now, text);
            id = insert(envelope, to, true, text);
        }
        deliver(to);
        return message(id).orElseThrow();
    }

    /** The conversation with {@code peer}: messages with an id above {@code since}, oldest first, at most {@code limit}. */
    public List<Message> conversation(CellId peer, long since, int limit) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT * FROM chat_messages WHERE peer = ? AND id > ? ORDER BY id LIMIT ?""")
                .bind(0, peer.value()).bind(1, Math.max(0, since)).bind(2, Math.max(1, Math.min(limit, 1000)))
                .map((rs, ctx) -> new Message(rs.getLong("id"), new CellId(rs.getString("sender")),
                        new CellId(rs.getString("recipient")), rs.getLong("seq"), Instant.ofEpochMilli(rs.getLong("sent_at")),
                        rs.getInt("outgoing") == 1, rs.getLong("delivered_at") != 0, rs.getString("text")))
                .list());
    }

    /** Messages still queued, all peers. */
    public long queued() {
        return db.jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM chat_messages WHERE outgoing = 1 AND delivered_at = 0").mapTo(Long.class).one());
    }

    /** The {@code chat.message} peer operation. */
    public PeerOperation operation() {
        return new PeerOperation() {
            @Override
            public String name() {
                return "chat.message";
            }

            @Override
            public long maxBodyBytes() {
                return ChatEnvelope.MAX_BYTES;
            }

            @Override
            public PeerReply handle(VerifiedRequest request) throws IOException {
                return receive(request.sender(), request.bytes());
            }
        };
    }

    /** One retry round: each peer with a queue, its messages in order, until the first failure. */
    void retryRound() {
        try {
            List<String> waiting = db.jdbi().withHandle(h -> h.createQuery("""
                            SELECT DISTINCT recipient FROM chat_messages WHERE outgoing = 1 AND delivered_at = 0 LIMIT ?""")
                    .bind(0, ROUND_PEERS).mapTo(String.class).list());
            for (String peer : waiting) {
                deliver(new CellId(peer));
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "chat retry round failed", e);
        }
    }

    /** Sends the queue to {@code to} in order, at most {@link #ROUND_BATCH} messages, stopping at the first failure. */
    private void deliver(CellId to) {
        synchronized (delivering) {
            List<Map.Entry<Long, byte[]>> queue = db.jdbi().withHandle(h -> h.createQuery("""
                            SELECT id, envelope FROM chat_messages
                            WHERE outgoing = 1 AND delivered_at = 0 AND recipient = ? ORDER BY seq LIMIT ?""")
                    .bind(0, to.value()).bind(1, ROUND_BATCH)
                    .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getBytes(2))).list());
            if (queue.isEmpty() || roster.member(to).isEmpty()) {
                return;
            }
            Peers p = peers.get();
            for (Map.Entry<Long, byte[]> m : queue) {
                try {
                    p.call(to, route -> p.client().call(route, "chat.message", m.getValue(), 4096));
                    db.jdbi().useHandle(h -> h.execute("UPDATE chat_messages SET delivered_at = ?, attempts = attempts + 1 WHERE id = ?",
                            clock.millis(), m.getKey()));
                    events.publish("chat.delivered", Map.of("id", m.getKey(), "cell", to.value()));
                } catch (IOException | RuntimeException e) {
                    db.jdbi().useHandle(h -> h.execute("UPDATE chat_messages SET attempts = attempts + 1 WHERE id = ?",
                            m.getKey()));
                    String why = e instanceof PeerCallException pe ? pe.status() + " " + pe.problem() : e.toString();
                    LOG.log(System.Logger.Level.DEBUG, "chat to {0} stays queued: {1}", to.shortForm(), why);
                    return;
                }
            }
        }
    }

    /** Verifies, opens and stores a message pushed to this cell. */
    private PeerReply receive(Member sender, byte[] body) {
        ChatEnvelope envelope;
        try {
            envelope = ChatEnvelope.decode(body);
        } catch (IllegalArgumentException e) {
            return refuse(sender, "malformed", 400, "not a chat message: " + e.getMessage());
        }
        if (!envelope.to().equals(keys.cellId())) {
            return refuse(sender, "chat-refused", 403, "the message is addressed to another cell");
        }
        if (!envelope.from().equals(sender.id())) {
            return refuse(sender, "chat-refused", 403, "the message was sent by another cell than the one that pushed it");
        }
        Optional<Member> current = roster.member(sender.id());
        if (current.isEmpty() || !envelope.verifies(current.get().signingKey())) {
            return refuse(sender, "chat-refused", 403, "the message's signature does not verify");
        }
        String text;
        try {
            text = envelope.open(keys, current.get().agreementKey());
        } catch (AEADBadTagException e) {
            return refuse(sender, "chat-refused", 403, "the message does not open");
        }
        synchronized (receiving) {
            long last = lastSeq(envelope.from(), keys.cellId());
            if (envelope.seq() <= last) {
                byte[] kept = db.jdbi().withHandle(h -> h.createQuery(
                                "SELECT envelope FROM chat_messages WHERE sender = ? AND recipient = ? AND seq = ?")
                        .bind(0, envelope.from().value()).bind(1, keys.cellId().value()).bind(2, envelope.seq())
                        .mapTo(byte[].class).one());
                if (Arrays.equals(kept, envelope.encode())) {
                    return PeerReply.json(Map.of("seq", envelope.seq(), "duplicate", true));
                }
                return refuse(sender, "chat-conflict", 409, "message " + envelope.seq() + " was already received with other content");
            }
            if (envelope.seq() != last + 1) {
                return refuse(sender, "chat-gap", 409, "expected message " + (last + 1) + ", got " + envelope.seq());
            }
            long id = insert(envelope, envelope.from(), false, text);
            message(id).ifPresent(m -> events.publish("chat.message", m.view()));
        }
        return PeerReply.json(Map.of("seq", envelope.seq(), "duplicate", false));
    }

    private static PeerReply refuse(Member sender, String kind, int status, String why) {
        LOG.log(System.Logger.Level.WARNING, "refused a chat message from {0}: {1}", sender.id().shortForm(), why);
        return PeerReply.problem(status, kind, why);
    }

    private long lastSeq(CellId from, CellId to) {
        return db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT COALESCE(MAX(seq), 0) FROM chat_messages WHERE sender = ? AND recipient = ?")
                .bind(0, from.value()).bind(1, to.value()).mapTo(Long.class).one());
    }

    private long insert(ChatEnvelope envelope, CellId peer, boolean outgoing, String text) {
        long now = clock.millis();
        long id = db.jdbi().withHandle(h -> h.createUpdate("""
                        INSERT INTO chat_messages (sender, recipient, seq, peer, outgoing, sent_at, delivered_at, text, envelope)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .bind(0, envelope.from().value()).bind(1, envelope.to().value()).bind(2, envelope.seq())
                .bind(3, peer.value()).bind(4, outgoing ? 1 : 0).bind(5, envelope.sentAt())
                .bind(6, outgoing ? 0 : now).bind(7, text).bind(8, envelope.encode())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        return id;
    }

    private Optional<Message> message(long id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT * FROM chat_messages WHERE id = ?").bind(0, id)
                .map((rs, ctx) -> new Message(rs.getLong("id"), new CellId(rs.getString("sender")),
                        new CellId(rs.getString("recipient")), rs.getLong("seq"), Instant.ofEpochMilli(rs.getLong("sent_at")),
                        rs.getInt("outgoing") == 1, rs.getLong("delivered_at") != 0, rs.getString("text")))
                .findOne());
    }
}
