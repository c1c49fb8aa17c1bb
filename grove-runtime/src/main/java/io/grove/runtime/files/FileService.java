package io.grove.runtime.files;

import io.grove.api.CellId;
import io.grove.api.store.ChunkBatch;
import io.grove.api.store.ChunkStore;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.ingest.Destination;
import io.grove.runtime.ingest.Ingest;
import io.grove.runtime.ingest.Packer;
import io.grove.runtime.manifest.ChunkEntry;
import io.grove.runtime.manifest.FileKeys;
import io.grove.runtime.manifest.FilePaths;
import io.grove.runtime.manifest.HybridClock;
import io.grove.runtime.manifest.Manifest;
import io.grove.runtime.manifest.ManifestCodec;
import io.grove.runtime.manifest.ManifestException;
import io.grove.runtime.manifest.SealedManifest;

import javax.crypto.AEADBadTagException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URLConnection;
import java.util.ArrayList;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The storage core's operations on files: put, read, list, history, restore, delete. A version becomes visible
 * only when its chunks are durable and its sealed manifest is committed to the index, in that order; a crash at
 * any point leaves the previous state and, at worst, unreferenced chunks for the collector.
 */
public final class FileService {
    private static final System.Logger LOG = System.getLogger(FileService.class.getName());
    private final FileIndex index;
    private final ChunkStore store;
    private final CellKeys keys;
    private final FileKeys fileKeys;
    private final Ingest ingest;
    private final HybridClock hlc;
    private final Clock clock;
    private final ContentWriter writer;
    private final ExecutorService workers;
    private final IngestGate gate;
    private final int packBelow;
    private volatile java.util.function.Consumer<List<VersionInfo>> listener = versions -> { };
    private volatile NewChunks newChunks = NewChunks.NONE;
    // SQLite has one writer at a time; taking the turn here (instead of upgrading a read transaction inside SQLite,
    // which fails with SQLITE_BUSY under contention) also makes "read the current version, write its successor" atomic.
    private final ReentrantLock commitLock = new ReentrantLock();

    public FileService(FileIndex index, ChunkStore store, CellKeys keys, Ingest ingest, ExecutorService workers,
                       Clock clock, IngestGate gate) {
        this(index, store, keys, ingest, workers, clock, gate, Packer.DEFAULT_BELOW);
    }

    /**
     * @param packBelow sealed chunks of archives smaller than this go into packs; 0 turns packing off
     */
    public FileService(FileIndex index, ChunkStore store, CellKeys keys, Ingest ingest, ExecutorService workers,
                       Clock clock, IngestGate gate, int packBelow) {
        this.packBelow = packBelow;
        this.index = index;
        this.store = store;
        this.keys = keys;
        this.fileKeys = new FileKeys(keys.masterKey());
        this.ingest = ingest;
        this.clock = clock;
        this.hlc = new HybridClock(clock, index.maxHlc());
        this.writer = new ContentWriter(store, workers);
        this.workers = workers;
        this.gate = gate;
    }

    /** What a put needs besides the content. */
    public record PutOptions(long mtime, String mediaType, long maxBytes) {
    }

    /** Stores {@code content} as the new current version of {@code path}. */
    public Stored put(String path, InputStream content, PutOptions options) throws IOException {
        FilePaths.check(path);
        try (IngestGate.Pass pass = gate.enter(); ChunkBatch batch = store.batch()) {
            Ingest.Ingested ingested = ingest.start(content, staged(path, Destination.of(batch)), options.maxBytes()).await();
            batch.commit();
            VersionInfo version = commit(path, ingested.chunks(), ingested.size(), options.mtime(),
                    options.mediaType(), false);
            return new Stored(version, ingested.newBytes());
        }
    }

    /**
     * A stored version and how many bytes of new chunks it added.
     *
     * @param version  the new version
     * @param newBytes bytes of chunks the store did not hold before
     */
    public record Stored(VersionInfo version, long newBytes) {
    }

    /** One file of an archive, read and handed to the pipeline. */
    private record ArchivedFile(String path, long mtime, String mediaType, Ingest.Pending pending) {
    }

    /** A new version to commit: what {@link #commitAll} needs of each file. */
    private record NewVersion(String path, List<ChunkEntry> chunks, long size, long mtime, String mediaType) {
    }

    /**
     * Stores every regular file of a tar archive under {@code prefix}. Files are committed in groups (at most
     * {@code groupFiles} files or {@code groupBytes} bytes): each group's chunks are made durable together and its
     * versions committed in one transaction, so thousands of small files cost a few flushes, not thousands. Chunks
     * smaller than {@code ingest.pack-below} go into shared packs ({@link Packer}, docs/storage.md "Packs"). A group
     * commits while the next is read, strictly in order. A failure part-way keeps the groups already committed and
     * nothing of the rest.
     */
    public ArchiveResult putArchive(String prefix, InputStream tar, long maxBytes, int maxFiles) throws IOException {
        try (TarEntries entries = new TarEntries(tar)) {
            return putArchive(prefix, entries, maxBytes, maxFiles);
        }
    }

    /**
     * Stores every file {@code entries} yields under {@code prefix}, as {@link #putArchive(String, InputStream, long,
     * int)} does for a tar stream.
     */
    public ArchiveResult putArchive(String prefix, ArchiveEntries entries, long maxBytes, int maxFiles)
            throws IOException {
        if (!prefix.isEmpty()) {
            FilePaths.check(prefix);
        }
        List<Stored> stored = new ArrayList<>();
        long total = 0;
        int files = 0;
        try (IngestGate.Pass pass = gate.enter()) {
            List<ArchivedFile> group = new ArrayList<>();
            long groupBytes = 0;
            ChunkBatch batch = store.batch();
            Packer packer = packer(batch);
            // The previous group commits (fsync, seal manifests, SQL) on its own thread while this one reads the
            // next: reading a group and committing one take about as long, so overlapping them nearly halves the
            // time of many small files. At most one group commits at a time, in archive order.
            FutureTask<List<Stored>> committing = null;
            try {
                for (ArchiveEntries.Entry entry = entries.next(); entry != null; entry = entries.next()) {
                    if (files >= maxFiles) {
                        throw new ArchiveException("the archive holds more than " + maxFiles + " files");
                    }
                    String path = prefix.isEmpty() ? entry.name() : prefix + "/" + entry.name();
                    try {
                        FilePaths.check(path);
                    } catch (IllegalArgumentException e) {
                        throw new ArchiveException("archive entry '" + entry.name() + "': " + e.getMessage());
                    }
                    // Bounded by the bytes read, not by what the archive announced.
                    Ingest.Pending pending = ingest.start(entry.content(), entry.size(), packer, maxBytes - total);
                    files++;
                    total += pending.bytes();
                    groupBytes += pending.bytes();
                    group.add(new ArchivedFile(path, entry.mtime(), mediaTypeOf(path), pending));
                    if (group.size() >= GROUP_FILES || groupBytes >= GROUP_BYTES) {
                        if (committing != null) {
                            stored.addAll(finish(committing));
                        }
                        committing = commitInBackground(group, batch, packer);
                        group = new ArrayList<>();
                        batch = store.batch();
                        packer = packer(batch);
                        groupBytes = 0;
                    }
                }
                if (committing != null) {
                    stored.addAll(finish(committing));
                    committing = null;
                }
                stored.addAll(commitGroup(group, batch, packer));
            } finally {
                if (committing != null) {
                    settle(committing);
                }
                for (ArchivedFile f : group) {
                    f.pending().settle();
                }
                batch.close();
            }
        }
        return new ArchiveResult(stored, entries.skipped());
    }

    /** Commits a full group on a thread of its own; the task closes the group's batch whatever happens. */
    private FutureTask<List<Stored>> commitInBackground(List<ArchivedFile> group, ChunkBatch batch, Packer packer) {
        FutureTask<List<Stored>> task = new FutureTask<>(() -> {
            try {
                return commitGroup(group, batch, packer);
            } finally {
                for (ArchivedFile f : group) {
                    f.pending().settle();
                }
                batch.close();
            }
        });
        Thread.ofPlatform().daemon().name("grove-archive-commit").start(task);
        return task;
    }

    private static List<Stored> finish(FutureTask<List<Stored>> committing) throws IOException {
        try {
            return committing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while committing an archive");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** Waits for a group's commit to end, ignoring its outcome: the archive is failing already. */
    private static void settle(FutureTask<List<Stored>> committing) {
        try {
            committing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException ignored) {
            // the archive's own failure is the one reported
        }
    }

    private static final int GROUP_FILES = 2000;
    private static final long GROUP_BYTES = 256L << 20;

    /**
     * What an archive put stored.
     *
     * @param stored  the new versions, in archive order
     * @param skipped entries that are not regular files (folders, links, devices)
     */
    public record ArchiveResult(List<Stored> stored, int skipped) {
    }
    private Packer packer(ChunkBatch batch) {
        return new Packer(batch, index::packedBlobs, Packer.DEFAULT_TARGET, packBelow);
    }

    private List<Stored> commitGroup(List<ArchivedFile> group, ChunkBatch batch, Packer packer) throws IOException {
        if (group.isEmpty()) {
            return List.of();
        }
        for (ArchivedFile f : group) {
            f.pending().join();
        }
        packer.flush();
        List<Ingest.Ingested> ingested = new ArrayList<>(group.size());
        for (ArchivedFile f : group) {
            ingested.add(f.pending().await());
        }
        batch.commit();
        List<NewVersion> versions = new ArrayList<>(group.size());
        for (int i = 0; i < group.size(); i++) {
            ArchivedFile f = group.get(i);
            Ingest.Ingested in = ingested.get(i);
            versions.add(new NewVersion(f.path(), in.chunks(), in.size(), f.mtime(), f.mediaType()));
        }
        List<VersionInfo> committed = commitAll(versions, false, packer.drainWritten());
        List<Stored> result = new ArrayList<>(group.size());
        for (int i = 0; i < committed.size(); i++) {
            result.add(new Stored(committed.get(i), ingested.get(i).newBytes()));
        }
        group.clear();
        return result;
    }

    /** The media type a file name suggests, or {@code application/octet-stream}. */
    public static String mediaTypeOf(String path) {
        String guessed = URLConnection.guessContentTypeFromName(path.substring(path.lastIndexOf('/') + 1));
        return guessed == null ? "application/octet-stream" : guessed;
    }

    /** Records a deletion: a tombstone version; the history stays. */
    public VersionInfo delete(String path) {
        FilePaths.check(path);
        VersionInfo current = index.current(path).orElseThrow(() -> new FileNotFoundProblem("no file at " + path));
        if (current.tombstone()) {
            throw new FileNotFoundProblem(path + " is already deleted");
        }
        return commit(path, List.of(), 0, clock.millis(), current.mediaType(), true);
    }

    /**
     * Records the deletion of each path that has a current version that is not a deletion already, all in one
     * commit (a folder of thousands of files removed at once costs one transaction, not thousands); the others are
     * passed over. Returns the tombstones, in the order of {@code paths}.
     */
    public List<VersionInfo> deleteAll(List<String> paths) {
        List<NewVersion> tombstones = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String path : paths) {
            FilePaths.check(path);
            if (!seen.add(path)) {
                continue;
            }
            Optional<VersionInfo> current = index.current(path);
            if (current.isPresent() && !current.get().tombstone()) {
                tombstones.add(new NewVersion(path, List.of(), 0, clock.millis(), current.get().mediaType()));
            }
        }
        return tombstones.isEmpty() ? List.of() : commitAll(tombstones, true, List.of());
    }

    /** Makes an earlier version current again, as a new version with the same content (no data is copied). */
    public VersionInfo restore(String path, String versionId) throws IOException {
        FileContent old = open(path, Optional.of(versionId));
        if (old.version().tombstone()) {
            throw new FileNotFoundProblem("version " + versionId + " of " + path + " is a deletion; restore an earlier one");
        }
        try (IngestGate.Pass pass = gate.enter()) {
            for (ChunkEntry c : old.manifest().chunks()) {
                if (!store.has(c.id())) {
                    throw new MissingChunkException(c.id());
                }
            }
            Manifest m = old.manifest();
            return commit(path, m.chunks(), m.size(), m.mtime(), m.mediaType(), false);
        }
    }

    /** Opens the current version of a path, or a given one. */
    public FileContent open(String path, Optional<String> versionId) {
        FilePaths.check(path);
        VersionInfo version = versionId.map(id -> index.version(id).filter(v -> v.path().equals(path))
                        .orElseThrow(() -> new FileNotFoundProblem("no version " + id + " of " + path)))
                .orElseGet(() -> index.current(path).orElseThrow(() -> new FileNotFoundProblem("no file at " + path)));
        if (versionId.isEmpty() && version.tombstone()) {
            throw new FileNotFoundProblem(path + " was deleted; its history is still available");
        }
        return new FileContent(version, openManifest(version));
    }

    /** Opens the manifest of a version this cell can read. */
    public Manifest openManifest(VersionInfo version) {
        SealedManifest sealed = index.manifest(version.id()).orElseThrow(() ->
                new IllegalStateException("version " + version.id() + " has no manifest"));
        try {
            byte[] fileKey = fileKeys.unwrap(ManifestCodec.wrappedFileKey(sealed));
            return ManifestCodec.open(sealed, fileKey, this::signingKey);
        } catch (ManifestException | AEADBadTagException e) {
            throw new CorruptManifestException(version.id(), e.getMessage());
        }
    }

    /**
     * Starts reading bytes {@code [from, to)} of an opened version, verifying every chunk; the first chunk is
     * checked before this returns, so a missing or corrupt start fails here, before anything is sent.
     */
    public ContentStream read(FileContent content, long from, long to) throws IOException {
        ContentWriter.Stream stream = writer.open(content.manifest(), from, to);
        return new ContentStream() {
            @Override
            public void writeTo(OutputStream out) throws IOException {
                stream.writeTo(out);
            }

            @Override
            public void close() {
                stream.close();
            }
        };
    }

    /** A range of content ready to be written. */
    public interface ContentStream extends AutoCloseable {
        void writeTo(OutputStream out) throws IOException;

        @Override
        void close();
    }

    /**
     * Reads, verifies and decrypts one chunk of a manifest (used by verification).
     *
     * @throws MissingChunkException when the store does not hold it
     * @throws io.grove.runtime.crypto.CorruptChunkException when it does not hash to its id or decrypt with its key
     */
    /**
     * Lets reads of file content fetch chunks this cell lacks, or holds damaged, from {@code source} (the fleet).
     * {@link #readChunk} — what {@code grove verify} uses — stays local: it reports what this cell holds.
     */
    public void fetchMissingFrom(ChunkSource source) {
        writer.fetchMissingFrom(source);
    }

    public byte[] readChunk(ChunkEntry entry) throws IOException {
        return writer.open(entry);
    }

    /** The current version of a path, deleted or not, if it was ever stored. */
    public Optional<VersionInfo> currentVersion(String path) {
        return index.current(FilePaths.check(path));
    }

    public List<VersionInfo> history(String path) {
        FilePaths.check(path);
        List<VersionInfo> history = index.history(path);
        if (history.isEmpty()) {
            throw new FileNotFoundProblem("no file at " + path);
        }
        return history;
    }

    public List<VersionInfo> list(String prefix, String after, int limit, boolean includeDeleted) {
        return index.list(FilePaths.checkPrefix(prefix), after, limit, includeDeleted);
    }

    /** Whether a path has concurrent versions (more than one head). */
    public boolean inConflict(String path) {
        return index.heads(path).size() > 1;
    }

    public FileIndex.Stats stats() {
        return index.stats();
    }

    Optional<byte[]> signingKey(CellId cell) {
        return cell.equals(keys.cellId()) ? Optional.of(keys.signingPublicKey()) : Optional.empty();
    }

    private VersionInfo commit(String path, List<ChunkEntry> chunks, long size, long mtime, String mediaType,
                               boolean tombstone) {
        return commitAll(List.of(new NewVersion(path, chunks, size, mtime, mediaType)), tombstone, List.of()).get(0);
    }

    /**
     * Seals and commits new versions in one transaction; each becomes the current version of its path. Parents
     * and file keys are read first, the manifests are signed and sealed on the workers in parallel, and the rows
     * go in as batches: a group of thousands of small files costs a few statements, not thousands.
     */
    private List<VersionInfo> commitAll(List<NewVersion> versions, boolean tombstone, List<Packer.WrittenPack> packs) {
        commitLock.lock();
        try {
            Map<String, FileIndex.Head> heads = index.heads(versions.stream().map(NewVersion::path).distinct().toList());
            // A path marked after a revoked grant gets a fresh key, which the revoked recipient never receives.
            Set<String> rekey = index.rekeyMarked(versions.stream().map(NewVersion::path).distinct().toList());
            Map<String, byte[]> fileKeysByPath = new HashMap<>();
            Map<String, byte[]> wrappedByPath = new HashMap<>();
            Map<String, Future<FileIndex.NewRow>> latest = new HashMap<>();
            List<Future<FileIndex.NewRow>> sealing = new ArrayList<>(versions.size());
            for (NewVersion v : versions) {
                FileIndex.Head head = heads.get(v.path());
                byte[] wrapped = wrappedByPath.computeIfAbsent(v.path(), p -> {
                    boolean keep = head != null && !rekey.contains(p);
                    byte[] key = keep ? unwrap(head.wrappedKey(), p) : FileKeys.newKey();
                    fileKeysByPath.put(p, key);
                    return keep ? head.wrappedKey() : fileKeys.wrap(key);
                });
                byte[] fileKey = fileKeysByPath.get(v.path());
                // A path twice in one group (rare): the later version's parent is the earlier one, so wait for it.
                Future<FileIndex.NewRow> earlier = latest.get(v.path());
                Optional<String> parent = earlier != null ? Optional.of(await(earlier).id())
                        : head == null ? Optional.empty() : head.current();
                Manifest manifest = new Manifest(v.path(), v.size(), v.mtime(), v.mediaType(), v.chunks(), parent,
                        tombstone, hlc.now(), keys.cellId());
                // The id (a SHA-256 of the sealed bytes) is computed here too, on the workers, not on the commit thread.
                Future<FileIndex.NewRow> sealed = workers.submit(() ->
                        new FileIndex.NewRow(ManifestCodec.seal(manifest, keys, fileKey, wrapped), manifest, wrapped));
                sealing.add(sealed);
                latest.put(v.path(), sealed);
            }
            List<FileIndex.NewRow> rows = new ArrayList<>(sealing.size());
            for (Future<FileIndex.NewRow> f : sealing) {
                rows.add(await(f));
            }
            long now = clock.millis();
            index.inTransaction(h -> {
                index.insertPacks(h, packs, now);
                index.insertAll(h, rows, now);
                index.clearRekey(h, rekey);
                return null;
            });
            List<VersionInfo> committed = rows.stream()
                    .map(r -> FileIndex.info(r.id(), r.manifest(), now)).toList();
            committed(committed);
            return committed;
        } finally {
            commitLock.unlock();
        }
    }

    /** Tells the listener about committed versions; a failing listener never fails the commit. */
    private void committed(List<VersionInfo> versions) {
        try {
            listener.accept(versions);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a listener of new versions failed", e);
        }
    }

    /**
     * Hears every committed batch of versions (replication starts a sync round soon; the dashboard's live events);
     * called after the commit, under the commit lock, so it must return quickly.
     */
    public void onCommit(java.util.function.Consumer<List<VersionInfo>> listener) {
        this.listener = listener;
    }

    /**
     * Hears each new chunk a put stages, before its version commits (replication pushes it at once); called on an
     * ingest worker, so it must return quickly. Archives' chunks are not reported: their groups commit soon anyway.
     */
    public void onNewChunk(NewChunks listener) {
        this.newChunks = listener;
    }

    /** {@code destination}, telling {@link #newChunks} about each chunk it stores anew; a failing listener is logged. */
    private Destination staged(String path, Destination destination) {
        return sealed -> {
            Destination.Placed placed = destination.place(sealed);
            if (placed.isNew()) {
                try {
                    newChunks.staged(path, sealed.id(), sealed.ciphertext());
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "a listener of new chunks failed", e);
                }
            }
            return placed;
        };
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sealing manifests", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private byte[] unwrap(byte[] wrapped, String path) {
        try {
            return fileKeys.unwrap(wrapped);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("the file key of " + path + " does not unwrap with this cell's master key", e);
        }
    }
}
