package io.grove.runtime.share;

import io.grove.api.CellId;
import io.grove.api.ChunkId;
import io.grove.api.store.ChunkStore;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.crypto.ChunkOpener;
import io.grove.runtime.crypto.RecipientBox;
import io.grove.runtime.db.Database;
import io.grove.runtime.events.EventBus;
import io.grove.runtime.files.FileIndex;
import io.grove.runtime.files.VersionInfo;
import io.grove.runtime.fleet.Member;
import io.grove.runtime.fleet.RosterBook;
import io.grove.runtime.json.Json;
import io.grove.runtime.manifest.ChunkEntry;
import io.grove.runtime.manifest.FileKeys;
import io.grove.runtime.manifest.Manifest;
import io.grove.runtime.manifest.ManifestCodec;
import io.grove.runtime.manifest.ManifestException;
import io.grove.runtime.manifest.SealedManifest;
import io.grove.runtime.peer.PeerCallException;
import io.grove.runtime.peer.PeerOperation;
import io.grove.runtime.peer.PeerRejection;
import io.grove.runtime.peer.PeerReply;
import io.grove.api.transport.PeerRequest;
import io.grove.runtime.peer.VerifiedRequest;
import io.grove.runtime.peers.Peers;

import javax.crypto.AEADBadTagException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Read grants, both sides. The owner creates, lists and revokes grants and serves the covered manifest and chunks
 * to the recipient only while the grant is valid; the recipient verifies and keeps the grants pushed to it (its
 * Feed) and reads shared files from the owner. docs/sharing.md describes the flow and what revocation takes back.
 */
public final class Shares {
    private static final System.Logger LOG = System.getLogger(Shares.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    /** The longest grant lifetime. */
    public static final Duration MAX_TTL = Duration.ofDays(3650);
    private final Map<String, Known> lastOpened = new java.util.concurrent.ConcurrentHashMap<>();
    /** A manifest reply carries the sealed manifest in base64: bounded by the peer body limit. */
    private static final long MAX_MANIFEST_REPLY = PeerRequest.MAX_BODY_BYTES;

    private final Database db;
    private final CellKeys keys;
    private final RosterBook roster;
    private final FileIndex index;
    private final FileKeys fileKeys;
    private final ChunkStore store;
    private final Supplier<Peers> peers;
    private final EventBus events;
    private final Clock clock;

    public Shares(Database db, CellKeys keys, RosterBook roster, ChunkStore store, Supplier<Peers> peers,
                  EventBus events, Clock clock) {
        this.db = db;
        this.keys = keys;
        this.roster = roster;
        this.index = new FileIndex(db);
        this.fileKeys = new FileKeys(keys.masterKey());
        this.store = store;
        this.peers = peers;
        this.events = events;
        this.clock = clock;
    }

    /**
     * A grant as this cell keeps it.
     *
     * @param grant     the grant
     * @param outgoing  whether this cell made it
     * @param revokedAt when it was revoked (epoch ms), 0 if it stands
     */
    public record Kept(Grant grant, boolean outgoing, long revokedAt) {
        /** Whether it may be used at {@code now}. */
        public boolean valid(long now) {
            return revokedAt == 0 && !grant.expired(now);
        }
    }

    // ---- owner side ----

    /**
     * Grants {@code recipient} read access to the current version of {@code path} ({@code latest}: and to later
     * ones), pushes the grant to it, and keeps it. Nothing is kept when the push fails.
     *
     * @throws ShareRefusedException when the recipient is not in the roster, the path has no readable version, or
     *                               the ttl is out of range
     * @throws IOException           when the recipient cannot be reached or refuses the grant
     */
    public Kept share(String path, CellId recipient, boolean latest, Optional<Duration> ttl) throws IOException {
        Member member = roster.member(recipient).filter(m -> !m.id().equals(keys.cellId()))
                .orElseThrow(() -> new ShareRefusedException("cell " + recipient.shortForm()
                        + " is not a member or friend of this fleet"));
        ttl.ifPresent(t -> {
            if (t.compareTo(Duration.ofMinutes(1)) < 0 || t.compareTo(MAX_TTL) > 0) {
                throw new ShareRefusedException("a grant lasts from 1 minute to 3650 days");
            }
        });
        VersionInfo version = index.current(path).filter(v -> !v.tombstone())
                .orElseThrow(() -> new ShareRefusedException("no file at " + path));
        long now = clock.millis();
        String id = Grant.newId(RANDOM);
        byte[] fileKey = fileKey(version);
        byte[] box;
        try {
            box = RecipientBox.seal(member.agreementKey(), fileKey, Grant.context(id, keys.cellId(), recipient));
        } finally {
            Arrays.fill(fileKey, (byte) 0);
        }
        Grant grant = new Grant(id, keys.cellId(), recipient, path, version.id(), latest, now,
                ttl.map(t -> now + t.toMillis()).orElse(0L), box);
        SignedGrant signed = SignedGrant.sign(grant, keys);
        insert(signed, true);
        try {
            Peers p = peers.get();
            p.call(recipient, route -> p.client().call(route, "share.grant", signed.encode(), 4096));
        } catch (IOException | RuntimeException e) {
            db.jdbi().useHandle(h -> h.execute("DELETE FROM grants WHERE grant_id = ?", id));
            throw e;
        }
        LOG.log(System.Logger.Level.INFO, "shared {0} with {1} (grant {2})", path, recipient.shortForm(), id);
        return new Kept(grant, true, 0);
    }

    /**
     * Revokes a grant this cell made: tombstones it, stops serving it, marks its path so that the next version gets
     * a new file key, and tells the recipient (best effort: the owner refuses the grant either way).
     *
     * @return whether the recipient acknowledged the revocation now
     */
    public boolean revoke(String id) {
        Kept kept = find(id).filter(Kept::outgoing)
                .orElseThrow(() -> new ShareNotFoundException("no grant " + id + " made by this cell"));
        if (kept.revokedAt() == 0) {
            long now = clock.millis();
            db.jdbi().useTransaction(h -> {
                h.execute("UPDATE grants SET revoked_at = ? WHERE grant_id = ? AND revoked_at = 0", now, id);
                h.execute("INSERT OR REPLACE INTO rekey_paths (path, marked_at) VALUES (?, ?)", kept.grant().path(), now);
            });
            LOG.log(System.Logger.Level.INFO, "revoked grant {0} of {1}", id, kept.grant().path());
        }
        try {
            Peers p = peers.get();
            byte[] body = Json.mapper().writeValueAsBytes(new ShareMessages.GrantRef(id));
            p.call(kept.grant().recipient(), route -> p.client().call(route, "share.revoke", body, 4096));
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "the recipient of grant {0} was not told of its revocation: {1}", id,
                    e.getMessage());
            return false;
        }
    }

    /** Grants this cell made, newest first (at most {@code limit}). */
    public List<Kept> outgoing(int limit) {
        return list("out", limit);
    }

    // ---- recipient side ----

    /** The Feed: grants received that still stand, newest first (at most {@code limit}). */
    public List<Kept> feed(int limit) {
        long now = clock.millis();
        return list("in", limit).stream().filter(k -> k.valid(now)).toList();
    }

    /** A shared file opened on the recipient: the version the grant covers now and its verified manifest. */
    public record Opened(Grant grant, String versionId, Manifest manifest) {
    }

    /**
     * Asks the owner for the version a received grant covers now and opens its manifest.
     *
     * @throws ShareNotFoundException when no standing grant has that id
     * @throws IOException            when the owner cannot be reached or refuses (revoked, expired)
     */
    public Opened open(String id) throws IOException {
        Kept kept = find(id).filter(k -> !k.outgoing()).filter(k -> k.valid(clock.millis()))
                .orElseThrow(() -> new ShareNotFoundException("no grant " + id + " in this cell's feed"));
        Grant grant = kept.grant();
        Peers p = peers.get();
        byte[] ask = Json.mapper().writeValueAsBytes(new ShareMessages.GrantRef(id));
        byte[] reply;
        try {
            reply = p.call(grant.creator(), route -> p.client().call(route, "share.manifest", ask, MAX_MANIFEST_REPLY));
        } catch (PeerCallException e) {
            throw e; // the owner answered and refused (revoked, expired): no other cell may override it
        } catch (IOException e) {
            return openFromHolders(grant, e);
        }
        ShareMessages.ManifestReply answer;
        SealedManifest sealed;
        byte[] key;
        try {
            answer = Json.mapper().readValue(reply, ShareMessages.ManifestReply.class);
            sealed = new SealedManifest(B64D.decode(answer.manifest()));
            key = B64D.decode(answer.key());
        } catch (IOException | IllegalArgumentException e) {
            throw new ShareRefusedException("the owner's share.manifest answer is malformed");
        }
        if (!sealed.id().hex().equals(answer.version()) || (!grant.latest() && !answer.version().equals(grant.versionId()))) {
            throw new ShareRefusedException("the owner answered with another version than the grant covers");
        }
        byte[] context = Grant.context(id, grant.creator(), grant.recipient());
        byte[] fileKey = null;
        try {
            fileKey = RecipientBox.open(keys.agreementPublicKey(), keys::agree,
                    grant.latest() ? key : grant.wrappedKey(), context);
            Manifest manifest = ManifestCodec.open(sealed, fileKey, cell -> roster.member(cell).map(Member::signingKey));
            if (!manifest.path().equals(grant.path()) || manifest.tombstone()) {
                throw new ShareRefusedException("the shared file " + grant.path() + " was deleted by its owner");
            }
            lastOpened.put(id, new Known(answer.version(), grant.latest() ? key : grant.wrappedKey()));
            return new Opened(grant, answer.version(), manifest);
        } catch (AEADBadTagException | ManifestException e) {
            throw new ShareRefusedException("the shared file does not open with the grant's key: " + e.getMessage());
        } finally {
            if (fileKey != null) {
                Arrays.fill(fileKey, (byte) 0);
            }
        }
    }

    /** Fetches, verifies and decrypts every chunk of an opened shared file from its owner, in order, into {@code out}. */
    public void write(Opened opened, OutputStream out) throws IOException {
        Peers p = peers.get();
        for (ChunkEntry entry : opened.manifest().chunks()) {
            byte[] ask = Json.mapper().writeValueAsBytes(new ShareMessages.ChunkAsk(opened.grant().id(), entry.id().hex()));
            byte[] sealed;
            try {
                sealed = p.call(opened.grant().creator(),
                        route -> p.client().call(route, "share.chunk", ask, ChunkStore.MAX_CHUNK_BYTES));
            } catch (PeerCallException e) {
                throw e;
            } catch (IOException e) {
                sealed = fromHolders(opened.grant(), entry.id());
            }
            out.write(ChunkOpener.open(entry.id(), entry.key(), sealed));
        }
    }

    /**
     * The version and key box a received grant was last opened with (a "latest" grant follows the owner); what a
     * read falls back to when the owner is offline. In memory: after a restart the grant's own version and key.
     */
    private record Known(String versionId, byte[] keyBox) {
    }

    /**
     * Opens a shared file while its owner is unreachable: the sealed manifest of the newest version this cell knows
     * the grant to cover, from any other cell that holds it (replicas hold the owner's sealed manifests). The bytes
     * are checked against the version id, the manifest against the owner's signature, and only the key the grant
     * (or the owner's last answer) gave this cell opens it — a holder learns nothing and can forge nothing.
     */
    private Opened openFromHolders(Grant grant, IOException ownerFailure) throws IOException {
        Known known = lastOpened.getOrDefault(grant.id(), new Known(grant.versionId(), grant.wrappedKey()));
        Peers p = peers.get();
        Optional<byte[]> blob = Optional.empty();
        for (CellId cell : holdersToAsk(grant)) {
            try {
                blob = p.call(cell, route -> p.client().pullManifest(route, known.versionId()));
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "manifest {0} not from {1}: {2}", known.versionId(), cell.shortForm(), e);
            }
            if (blob.isPresent()) {
                break;
            }
        }
        if (blob.isEmpty()) {
            throw new IOException("the owner " + grant.creator().shortForm() + " cannot be reached ("
                    + ownerFailure.getMessage() + ") and no other cell holds the shared version", ownerFailure);
        }
        SealedManifest sealed = new SealedManifest(blob.get());
        if (!sealed.id().hex().equals(known.versionId())) {
            throw new ShareRefusedException("a holder answered with another manifest than the grant covers");
        }
        byte[] fileKey = null;
        try {
            fileKey = RecipientBox.open(keys.agreementPublicKey(), keys::agree, known.keyBox(),
                    Grant.context(grant.id(), grant.creator(), grant.recipient()));
            Manifest manifest = ManifestCodec.open(sealed, fileKey, cell -> roster.member(cell).map(Member::signingKey));
            if (!manifest.path().equals(grant.path()) || manifest.tombstone() || !manifest.author().equals(grant.creator())) {
                throw new ShareRefusedException("the held manifest is not the shared file");
            }
            LOG.log(System.Logger.Level.INFO, "owner {0} unreachable; reading grant {1} from other holders",
                    grant.creator().shortForm(), grant.id());
            return new Opened(grant, known.versionId(), manifest);
        } catch (AEADBadTagException | ManifestException e) {
            throw new ShareRefusedException("the held manifest does not open with the grant's key: " + e.getMessage());
        } finally {
            if (fileKey != null) {
                Arrays.fill(fileKey, (byte) 0);
            }
        }
    }

    /** A chunk of a shared file from any other cell that holds it, checked against its id as it streams. */
    private byte[] fromHolders(Grant grant, ChunkId id) throws IOException {
        Peers p = peers.get();
        for (CellId cell : holdersToAsk(grant)) {
            try {
                Optional<byte[]> bytes = p.call(cell, route -> {
                    Optional<io.grove.runtime.peer.VerifiedResponse> response = p.client().chunk(route, id);
                    if (response.isEmpty()) {
                        return Optional.<byte[]>empty();
                    }
                    try (io.grove.runtime.peer.VerifiedResponse r = response.get()) {
                        return Optional.of(r.bytes());
                    }
                });
                if (bytes.isPresent()) {
                    return bytes.get();
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "chunk {0} not from {1}: {2}", id.hex(), cell.shortForm(), e);
            }
        }
        throw new IOException("no reachable cell holds chunk " + id.hex() + " of the shared file");
    }

    /** The members to ask for a shared file's bytes when its owner is away: everyone but the owner and this cell. */
    private List<CellId> holdersToAsk(Grant grant) {
        return roster.current().map(r -> r.roster().members().stream().map(Member::id)
                        .filter(c -> !c.equals(grant.creator()) && !c.equals(keys.cellId())).limit(16).toList())
                .orElse(List.of());
    }

    /** The peer operations of sharing: {@code share.grant}, {@code share.revoke}, {@code share.manifest}, {@code share.chunk}. */
    public List<PeerOperation> operations() {
        return List.of(
                new Op("share.grant", SignedGrant.MAX_BYTES, this::receive),
                new Op("share.revoke", 1024, this::revoked),
                new Op("share.manifest", 1024, this::serveManifest),
                new Op("share.chunk", 1024, this::serveChunk));
    }

    // ---- peer operations ----

    /** Verifies a grant pushed to this cell and adds it to the Feed. */
    private PeerReply receive(VerifiedRequest request) throws IOException {
        byte[] body = request.bytes();
        CellId sender = request.sender().id();
        try {
            SignedGrant signed = SignedGrant.decode(body);
            Grant g = signed.grant();
            if (!g.recipient().equals(keys.cellId())) {
                throw new GrantException("the grant is addressed to " + g.recipient().shortForm() + ", not this cell");
            }
            if (!g.creator().equals(sender)) {
                throw new GrantException("the grant was made by " + g.creator().shortForm() + " but pushed by "
                        + sender.shortForm());
            }
            Member creator = roster.member(g.creator())
                    .orElseThrow(() -> new GrantException("the grant's creator is not in the roster"));
            if (!signed.verifies(creator.signingKey())) {
                throw new GrantException("the grant's signature does not verify under its creator's key");
            }
            if (g.expired(clock.millis())) {
                throw new GrantException("the grant has expired");
            }
            Optional<Kept> known = find(g.id());
            if (known.isPresent()) {
                if (known.get().revokedAt() != 0 || known.get().outgoing() || !known.get().grant().equals(g)) {
                    throw new GrantException("grant " + g.id() + " was revoked or is already known otherwise");
                }
                return PeerReply.json(Map.of("grant", g.id(), "stored", false));
            }
            byte[] key = RecipientBox.open(keys.agreementPublicKey(), keys::agree, g.wrappedKey(),
                    Grant.context(g.id(), g.creator(), g.recipient()));
            Arrays.fill(key, (byte) 0);
            insert(signed, false);
            events.publish("share.received", Map.of("grant", g.id(), "from", g.creator().value(), "path", g.path()));
            LOG.log(System.Logger.Level.INFO, "received grant {0} for {1} from {2}", g.id(), g.path(),
                    g.creator().shortForm());
            return PeerReply.json(Map.of("grant", g.id(), "stored", true));
        } catch (GrantException | AEADBadTagException e) {
            String why = e instanceof AEADBadTagException ? "the grant's key does not open for this cell" : e.getMessage();
            LOG.log(System.Logger.Level.WARNING, "refused a grant from {0}: {1}", sender.shortForm(), why);
            return PeerReply.problem(403, "grant-refused", why);
        }
    }

    /** Tombstones a received grant when its creator revokes it. */
    private PeerReply revoked(VerifiedRequest request) throws IOException {
        String id = read(request, ShareMessages.GrantRef.class).grant();
        Optional<Kept> kept = find(id).filter(k -> !k.outgoing());
        if (kept.isEmpty() || !kept.get().grant().creator().equals(request.sender().id())) {
            LOG.log(System.Logger.Level.WARNING, "refused share.revoke of grant {0} from {1}: not a grant it made to us",
                    id, request.sender().id().shortForm());
            return PeerReply.problem(404, "grant-not-found", "no grant " + id + " from you");
        }
        int changed = db.jdbi().withHandle(h -> h.execute(
                "UPDATE grants SET revoked_at = ? WHERE grant_id = ? AND revoked_at = 0", clock.millis(), id));
        if (changed > 0) {
            events.publish("share.revoked", Map.of("grant", id, "from", request.sender().id().value(),
                    "path", kept.get().grant().path()));
        }
        return PeerReply.json(Map.of("grant", id, "revoked", true));
    }

    private PeerReply serveManifest(VerifiedRequest request) throws IOException {
        String id = read(request, ShareMessages.GrantRef.class).grant();
        Optional<Grant> grant = servable(request, id);
        if (grant.isEmpty()) {
            return refused();
        }
        Optional<VersionInfo> version = covered(grant.get());
        if (version.isEmpty()) {
            return PeerReply.problem(404, "file-not-found", "the shared file was deleted");
        }
        SealedManifest sealed = index.manifest(version.get().id()).orElseThrow();
        byte[] fileKey = fileKey(version.get());
        try {
            byte[] box = RecipientBox.seal(request.sender().agreementKey(), fileKey,
                    Grant.context(id, keys.cellId(), request.sender().id()));
            return PeerReply.json(new ShareMessages.ManifestReply(version.get().id(), B64.encodeToString(sealed.bytes()),
                    B64.encodeToString(box)));
        } finally {
            Arrays.fill(fileKey, (byte) 0);
        }
    }

    private PeerReply serveChunk(VerifiedRequest request) throws IOException {
        ShareMessages.ChunkAsk ask = read(request, ShareMessages.ChunkAsk.class);
        Optional<Grant> grant = servable(request, ask.grant());
        if (grant.isEmpty()) {
            return refused();
        }
        ChunkId id = ChunkId.of(ask.id());
        Optional<VersionInfo> version = covered(grant.get());
        boolean inFile = version.isPresent() && index.inTransaction(h -> h.createQuery(
                        "SELECT 1 FROM version_chunks WHERE version_id = ? AND chunk_id = ? LIMIT 1")
                .bind(0, version.get().id()).bind(1, id.hex()).mapTo(Integer.class).findOne().isPresent());
        if (!inFile) {
            LOG.log(System.Logger.Level.WARNING, "refused share.chunk {0} to {1}: not part of the file grant {2} covers",
                    id.hex(), request.sender().id().shortForm(), ask.grant());
            return refused();
        }
        OptionalLong size = store.size(id);
        Optional<InputStream> data = size.isPresent() ? store.get(id) : Optional.empty();
        if (data.isEmpty() || size.getAsLong() > ChunkStore.MAX_CHUNK_BYTES) {
            if (data.isPresent()) {
                data.get().close();
            }
            return PeerReply.problem(404, "chunk-not-found", "this cell does not hold chunk " + id.hex());
        }
        return new PeerReply(200, size.getAsLong(), id.hex(), data.get());
    }

    /** One answer for every refusal, so that a probing recipient learns nothing about grants it does not hold. */
    private static PeerReply refused() {
        return PeerReply.problem(403, "grant-refused", "no standing grant of this cell covers that for you");
    }

    /** The grant {@code id} if this cell made it for the sender and it still stands; refusals are logged. */
    private Optional<Grant> servable(VerifiedRequest request, String id) {
        Optional<Kept> kept = find(id).filter(Kept::outgoing);
        CellId sender = request.sender().id();
        String why = kept.isEmpty() ? "no such grant"
                : !kept.get().grant().recipient().equals(sender) ? "granted to another cell"
                : kept.get().revokedAt() != 0 ? "revoked"
                : kept.get().grant().expired(clock.millis()) ? "expired" : "";
        if (!why.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "refused {0} of grant {1} to {2}: {3}", request.operation(), id,
                    sender.shortForm(), why);
            return Optional.empty();
        }
        return Optional.of(kept.get().grant());
    }

    /** The version a grant covers now: the fixed one, or the current one of its path. */
    private Optional<VersionInfo> covered(Grant grant) {
        return (grant.latest() ? index.current(grant.path()) : index.version(grant.versionId())
                .filter(v -> v.path().equals(grant.path())))
                .filter(v -> !v.tombstone());
    }

    private byte[] fileKey(VersionInfo version) {
        SealedManifest sealed = index.manifest(version.id()).orElseThrow(() ->
                new IllegalStateException("version " + version.id() + " has no manifest"));
        try {
            return fileKeys.unwrap(ManifestCodec.wrappedFileKey(sealed));
        } catch (AEADBadTagException | ManifestException e) {
            throw new ShareRefusedException("the file key of " + version.path() + " is not this cell's to share");
        }
    }

    private void insert(SignedGrant signed, boolean outgoing) {
        Grant g = signed.grant();
        db.jdbi().useHandle(h -> h.createUpdate("""
                        INSERT INTO grants (grant_id, direction, creator, recipient, path, version_id, latest, expires_at,
                                            created_at, revoked_at, signed)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)""")
                .bind(0, g.id()).bind(1, outgoing ? "out" : "in").bind(2, g.creator().value())
                .bind(3, g.recipient().value()).bind(4, g.path()).bind(5, g.versionId()).bind(6, g.latest() ? 1 : 0)
                .bind(7, g.expiresAt()).bind(8, g.createdAt()).bind(9, signed.encode()).execute());
    }

    /** A grant this cell keeps, made or received. */
    public Optional<Kept> find(String id) {
        if (id == null || !id.matches("[0-9a-f]{32}")) {
            return Optional.empty();
        }
        return db.jdbi().withHandle(h -> h.createQuery("SELECT direction, revoked_at, signed FROM grants WHERE grant_id = ?")
                .bind(0, id)
                .map((rs, ctx) -> new Kept(SignedGrant.decode(rs.getBytes("signed")).grant(),
                        "out".equals(rs.getString("direction")), rs.getLong("revoked_at")))
                .findOne());
    }

    private List<Kept> list(String direction, int limit) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT revoked_at, signed FROM grants WHERE direction = ?
                        ORDER BY created_at DESC, grant_id LIMIT ?""")
                .bind(0, direction).bind(1, Math.max(1, Math.min(limit, 1000)))
                .map((rs, ctx) -> new Kept(SignedGrant.decode(rs.getBytes("signed")).grant(), "out".equals(direction),
                        rs.getLong("revoked_at")))
                .list());
    }

    /** A grant for the REST API and the dashboard: never the wrapped key. */
    public static Map<String, Object> view(Kept kept, long now) {
        Grant g = kept.grant();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", g.id());
        out.put("path", g.path());
        out.put("from", g.creator().value());
        out.put("to", g.recipient().value());
        out.put("version", g.versionId());
        out.put("latest", g.latest());
        out.put("scope", Grant.SCOPE);
        out.put("createdAt", java.time.Instant.ofEpochMilli(g.createdAt()).toString());
        out.put("expiresAt", g.expiresAt() == 0 ? null : java.time.Instant.ofEpochMilli(g.expiresAt()).toString());
        out.put("status", kept.revokedAt() != 0 ? "revoked" : g.expired(now) ? "expired" : "active");
        return out;
    }

    private static <T> T read(VerifiedRequest request, Class<T> type) throws IOException {
        byte[] body = request.bytes();
        try {
            return Json.mapper().readValue(body, type);
        } catch (IOException | RuntimeException e) {
            throw new PeerRejection(PeerRejection.Code.MALFORMED, request.operation() + " body is not a valid "
                    + type.getSimpleName() + " message");
        }
    }

    /** A peer operation of this package. */
    record Op(String name, long maxBodyBytes, Handler handler) implements PeerOperation {
        @Override
        public PeerReply handle(VerifiedRequest request) throws IOException {
            return handler.handle(request);
        }
    }

    /** The behaviour of an {@link Op}. */
    @FunctionalInterface
    interface Handler {
        PeerReply handle(VerifiedRequest request) throws IOException;
    }
}
