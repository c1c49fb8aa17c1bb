package io.grove.store.filesystem;

import io.grove.api.ChunkId;
import io.grove.api.store.ChunkBatch;
import io.grove.api.store.ChunkCursor;
import io.grove.api.store.ChunkPage;
import io.grove.api.store.ChunkStore;
import io.grove.api.store.StoreStats;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link ChunkStore} keeping each chunk as one file, {@code <root>/ab/abcdef…}, fanned out over 256 folders
 * named by the first two hex characters so that no folder grows too large to list.
 *
 * <p>A put writes a temporary file ({@code .tmp-…}, never a valid chunk name) in the chunk's folder, flushes it,
 * renames it atomically to the chunk's name and flushes the folder, so a crash leaves either the whole chunk or
 * a temporary file, which the next {@link #open} removes. Only one store may have a folder open at a time (a
 * lock file enforces it): the chunk and byte counts are kept in memory and would drift if two wrote.
 *
 * <p>A {@link #batch()} writes its temporary files without flushing them and, on commit, flushes them all at
 * once, then renames them and flushes each folder touched once: many flushes in flight let the disk and the
 * kernel group them, which on an SSD costs a fraction of flushing one file after the other.
 *
 * <p>Chunks of {@link DirectWrites#MIN_BYTES} and more are written with direct I/O where the file system allows
 * it ({@link DirectWrites}), smaller ones through the page cache.
 */
public final class FilesystemChunkStore implements ChunkStore {
    static final String TEMP_PREFIX = ".tmp-";
    static final String LOCK_FILE = ".lock";
    private static final int PREFIXES = 256;
    private static final int BUFFER_BYTES = 64 * 1024;
    /** Enough for the puts a cell runs at once; beyond it buffers are allocated and dropped rather than kept. */
    private static final int POOLED_BUFFERS = 32;
    private static final int LOCK_STRIPES = 64;
    /**
     * Flushes a batch commit keeps in flight. Measured on an NVMe disk: about 125 µs per file amortised with 32 in
     * flight against 1.1 ms one after the other; more in flight gained nothing there.
     */
    static final int SYNC_CONCURRENCY = 32;

    private final Path root;
    private final boolean fsync;
    private final FileStore fileStore;
    private final FileChannel lockChannel;
    private final FileAttribute<?>[] folderAttributes;
    /** Serialise the check-then-rename of a put with other puts and deletes of the same id. */
    private final ReentrantLock[] stripes = new ReentrantLock[LOCK_STRIPES];
    private final BlockingQueue<ByteBuffer> buffers = new ArrayBlockingQueue<>(POOLED_BUFFERS);
    /** 1 for each prefix folder known to exist durably. */
    private final AtomicIntegerArray readyFolders = new AtomicIntegerArray(PREFIXES);
    private final ReentrantLock folderLock = new ReentrantLock();
    private final AtomicLong chunks = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    /** Empty where the file system refuses direct I/O. */
    private final Optional<DirectWrites> direct;

    private FilesystemChunkStore(Path root, boolean fsync, boolean directWrites, FileChannel lockChannel,
                                 FileAttribute<?>[] folderAttributes) throws IOException {
        this.root = root;
        this.fsync = fsync;
        this.lockChannel = lockChannel;
        this.folderAttributes = folderAttributes;
        this.fileStore = Files.getFileStore(root);
        this.direct = directWrites ? DirectWrites.probe(root) : Optional.empty();
        for (int i = 0; i < LOCK_STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /**
     * Opens the store in {@code root}, creating the folder if needed, removing temporary files a crash left
     * behind and counting the chunks present.
     *
     * @param fsync whether puts and deletes flush to the disk before returning; {@code false} trades durability
     *              for speed and is only for tests and benchmarks on data that may be lost
     * @throws IOException if the folder cannot be created or read, or another store has it open
     */
    public static FilesystemChunkStore open(Path root, boolean fsync) throws IOException {
        return open(root, fsync, true);
    }

    /**
     * As {@link #open(Path, boolean)}, choosing whether large chunks are written with direct I/O where the file
     * system allows it ({@link DirectWrites}); {@code false} writes every chunk through the page cache.
     */
    public static FilesystemChunkStore open(Path root, boolean fsync, boolean directWrites) throws IOException {
        FileAttribute<?>[] folderAttributes = ownerOnly(root, "rwx------");
        Files.createDirectories(root, folderAttributes);
        FileChannel lockChannel = FileChannel.open(root.resolve(LOCK_FILE),
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), ownerOnly(root, "rw-------"));
        try {
            lock(root, lockChannel);
            FilesystemChunkStore store = new FilesystemChunkStore(root, fsync, directWrites, lockChannel,
                    folderAttributes);
            store.recover();
            return store;
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
    }

    /** The folder the chunks are kept in. */
    public Path root() {
        return root;
    }

    @Override
    public boolean put(ChunkId id, InputStream data, long length) throws IOException {
        if (length < 0 || length > MAX_CHUNK_BYTES) {
            throw new IllegalArgumentException("chunk length must be between 0 and " + MAX_CHUNK_BYTES + ": " + length);
        }
        Path target = file(id);
        if (Files.exists(target)) {
            return false; // checked again under the lock; this only saves reading and writing a chunk we hold
        }
        Path folder = ensureFolder(id.prefix());
        // createTempFile makes the file readable by the owner only where POSIX permissions exist.
        Path temp = Files.createTempFile(folder, TEMP_PREFIX, "");
        try {
            write(temp, data, length, fsync);
            return commit(id, temp, target, length);
        } catch (IOException | RuntimeException | Error e) {
            discard(temp, e);
            throw e;
        }
    }

    /** Deletes a temporary file after a failure, keeping any cleanup error with the failure. */
    private static void discard(Path temp, Throwable failure) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException cleanup) {
            failure.addSuppressed(cleanup);
        }
    }

    /**
     * A batch whose puts write unflushed temporary files, made durable and visible together by
     * {@link ChunkBatch#commit()}.
     */
    @Override
    public ChunkBatch batch() {
        return new Batch();
    }

    @Override
    public Optional<InputStream> get(ChunkId id) throws IOException {
        try {
            return Optional.of(new BufferedInputStream(Files.newInputStream(file(id))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean has(ChunkId id) {
        return Files.isRegularFile(file(id), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public OptionalLong size(ChunkId id) throws IOException {
        try {
            return OptionalLong.of(Files.size(file(id)));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public boolean delete(ChunkId id) throws IOException {
        Path file = file(id);
        ReentrantLock lock = stripe(id);
        lock.lock();
        try {
            long size;
            try {
                size = Files.size(file);
                Files.delete(file);
            } catch (NoSuchFileException e) {
                return false;
            }
            chunks.decrementAndGet();
            bytes.addAndGet(-size);
            syncFolder(file.getParent());
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ChunkPage list(ChunkCursor cursor, int limit) throws IOException {
        ChunkPage.checkLimit(limit);
        // One id beyond the limit tells whether another page follows, so the last page never points past the end.
        List<ChunkId> ids = new ArrayList<>(Math.min(limit + 1, 4096));
        int first = cursor.after().map(id -> Integer.parseInt(id.prefix(), 16)).orElse(0);
        for (int p = first; p < PREFIXES && ids.size() <= limit; p++) {
            List<ChunkId> inFolder = new ArrayList<>();
            String prefix = prefix(p);
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(root.resolve(prefix))) {
                for (Path entry : entries) {
                    String name = entry.getFileName().toString();
                    if (isChunkName(name, prefix)) {
                        ChunkId id = ChunkId.of(name);
                        if (cursor.precedes(id)) {
                            inFolder.add(id);
                        }
                    }
                }
            } catch (NoSuchFileException | NotDirectoryException e) {
                continue; // no chunk with this prefix was ever stored
            }
            inFolder.sort(null);
            ids.addAll(inFolder.subList(0, Math.min(inFolder.size(), limit + 1 - ids.size())));
        }
        if (ids.size() <= limit) {
            return new ChunkPage(ids, Optional.empty());
        }
        List<ChunkId> page = ids.subList(0, limit);
        return new ChunkPage(page, Optional.of(ChunkCursor.after(page.getLast())));
    }

    @Override
    public StoreStats stats() throws IOException {
        return new StoreStats(chunks.get(), bytes.get(), fileStore.getUsableSpace(), fileStore.getTotalSpace());
    }

    /** Releases the folder for the next store to open; there is nothing else to flush. */
    @Override
    public void close() throws IOException {
        lockChannel.close();
    }

    @Override
    public String toString() {
        return "FilesystemChunkStore[" + root + (fsync ? "" : ", fsync off")
                + (direct.isPresent() ? ", direct writes" : "") + "]";
    }

    /** Chunks are ciphertext, but their sizes and the folder's contents are still nobody else's business. */
    private static FileAttribute<?>[] ownerOnly(Path root, String permissions) {
        if (!root.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[]{
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))};
    }

    private static void lock(Path root, FileChannel lockChannel) throws IOException {
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new IOException("chunk store " + root + " is already open; stop the other Grove process using"
                    + " this cell, or configure another path");
        }
    }

    /** Removes temporary files of puts a crash interrupted, and counts what is stored. */
    private void recover() throws IOException {
        for (int p = 0; p < PREFIXES; p++) {
            String prefix = prefix(p);
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(root.resolve(prefix))) {
                readyFolders.set(p, 1);
                for (Path entry : entries) {
                    String name = entry.getFileName().toString();
                    if (name.startsWith(TEMP_PREFIX)) {
                        Files.deleteIfExists(entry);
                    } else if (isChunkName(name, prefix)) {
                        BasicFileAttributes attributes =
                                Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                        if (attributes.isRegularFile()) {
                            chunks.incrementAndGet();
                            bytes.addAndGet(attributes.size());
                        }
                    }
                }
            } catch (NoSuchFileException | NotDirectoryException e) {
                // no chunk with this prefix was ever stored
            }
        }
        // The direct-write probe's file, if a crash came between its creation and removal.
        try (DirectoryStream<Path> probes = Files.newDirectoryStream(root, TEMP_PREFIX + "*")) {
            for (Path probe : probes) {
                Files.deleteIfExists(probe);
            }
        }
        // A run that stopped between creating a prefix folder and flushing the root may have left its entry
        // unflushed; the folders are only counted as ready on that basis.
        syncFolder(root);
    }

    private void write(Path temp, InputStream data, long length, boolean force) throws IOException {
        ByteBuffer buffer = buffers.poll();
        if (buffer == null) {
            buffer = ByteBuffer.allocate(BUFFER_BYTES);
        }
        try {
            if (direct.isPresent() && direct.get().suits(length)) {
                direct.get().write(temp, data, length, force, buffer.array());
            } else {
                writeThroughCache(temp, data, length, force, buffer);
            }
        } finally {
            buffers.offer(buffer.clear());
        }
    }

    private static void writeThroughCache(Path temp, InputStream data, long length, boolean force, ByteBuffer buffer)
            throws IOException {
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            long remaining = length;
            while (remaining > 0) {
                int wanted = (int) Math.min(remaining, BUFFER_BYTES);
                int read = data.readNBytes(buffer.array(), 0, wanted);
                if (read < wanted) {
                    throw new IllegalArgumentException("chunk stream ended after " + (length - remaining + read)
                            + " of " + length + " bytes");
                }
                buffer.clear().limit(read);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                remaining -= read;
            }
            if (force) {
                out.force(true);
            }
        }
    }

    private boolean commit(ChunkId id, Path temp, Path target, long length) throws IOException {
        ReentrantLock lock = stripe(id);
        lock.lock();
        try {
            if (Files.exists(target)) {
                Files.delete(temp);
                return false;
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            chunks.incrementAndGet();
            bytes.addAndGet(length);
            // Until the folder is flushed the rename may be lost on power loss; if this fails the caller sees
            // an IOException although the (complete) chunk is in place, and a retried put returns false.
            syncFolder(target.getParent());
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Creates a prefix folder on first use. A new folder's own entry must reach the disk before a chunk in it
     * counts as stored, so a folder is only marked ready once the root has been flushed.
     */
    private Path ensureFolder(String prefix) throws IOException {
        int p = Integer.parseInt(prefix, 16);
        Path folder = root.resolve(prefix);
        if (readyFolders.get(p) == 0) {
            folderLock.lock();
            try {
                if (readyFolders.get(p) == 0) {
                    try {
                        Files.createDirectory(folder, folderAttributes);
                    } catch (FileAlreadyExistsException e) {
                        // left by an earlier run whose put failed before any chunk was stored in it
                    }
                    syncFolder(root);
                    readyFolders.set(p, 1);
                }
            } finally {
                folderLock.unlock();
            }
        }
        return folder;
    }

    /** Linux (and macOS) persist a rename or unlink only once the folder itself is flushed. */
    private void syncFolder(Path folder) throws IOException {
        if (fsync) {
            try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
                channel.force(true);
            }
        }
    }

    private static void syncFile(Path file) throws IOException {
        // Opened for writing: some systems (Windows) refuse to flush a file opened read-only.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /**
     * Runs {@code task} on every item, at most {@link #SYNC_CONCURRENCY} at once on virtual threads (a blocked
     * flush costs a virtual thread nothing); fails with the first failure once all have ended.
     */
    private static <T> void forEachConcurrently(List<T> items, IoTask<T> task) throws IOException {
        if (items.size() <= 1) {
            for (T item : items) {
                task.run(item);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> lanes = new ArrayList<>();
        IOException failure = null;
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int lane = 0; lane < Math.min(SYNC_CONCURRENCY, items.size()); lane++) {
                lanes.add(executor.submit(() -> {
                    for (int i = next.getAndIncrement(); i < items.size(); i = next.getAndIncrement()) {
                        task.run(items.get(i));
                    }
                    return null;
                }));
            }
            for (Future<?> lane : lanes) {
                try {
                    lane.get();
                } catch (ExecutionException e) {
                    IOException io = e.getCause() instanceof IOException cause ? cause
                            : new IOException("flushing a batch failed: " + e.getCause(), e.getCause());
                    if (failure == null) {
                        failure = io;
                        next.set(items.size()); // the others stop after the item they are on
                    } else {
                        failure.addSuppressed(io);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while flushing a batch of chunks");
        }
        if (failure != null) {
            throw failure;
        }
    }

    @FunctionalInterface
    private interface IoTask<T> {
        void run(T item) throws IOException;
    }

    /** A chunk written to a temporary file by a batch, not yet flushed or renamed. */
    private record Staged(ChunkId id, Path temp, Path target, long length) {
    }

    /**
     * The staging of one {@link #batch()}. Temporary files sit in the chunks' own folders, so the commit's renames
     * never cross a file system and a crash leaves them where {@link #recover()} removes them.
     */
    private final class Batch implements ChunkBatch {
        /** Ids staged or being staged, so a chunk repeated within one ingest is written once and counted once. */
        private final Set<ChunkId> claimed = ConcurrentHashMap.newKeySet();
        private final List<Staged> staged = new ArrayList<>();
        /** Guards {@link #staged} and changes of {@link #state}: a late put (of a failed ingest) must not outlive close. */
        private final ReentrantLock lock = new ReentrantLock();
        private volatile State state = State.OPEN;
        private volatile boolean putFailed;

        @Override
        public boolean put(ChunkId id, InputStream data, long length) throws IOException {
            if (length < 0 || length > MAX_CHUNK_BYTES) {
                throw new IllegalArgumentException("chunk length must be between 0 and " + MAX_CHUNK_BYTES + ": " + length);
            }
            requireOpen();
            Path target = file(id);
            if (Files.exists(target) || !claimed.add(id)) {
                return false; // stored already, or staged by another put of this batch
            }
            Path temp = null;
            try {
                temp = Files.createTempFile(ensureFolder(id.prefix()), TEMP_PREFIX, "");
                write(temp, data, length, false);
                lock.lock();
                try {
                    requireOpen();
                    staged.add(new Staged(id, temp, target, length));
                } finally {
                    lock.unlock();
                }
                return true;
            } catch (IOException | RuntimeException | Error e) {
                // A racing put of the same id already returned false trusting this one, so the batch cannot commit.
                putFailed = true;
                if (temp != null) {
                    discard(temp, e);
                }
                throw e;
            }
        }

        @Override
        public void commit() throws IOException {
            List<Staged> toCommit;
            lock.lock();
            try {
                requireOpen();
                if (putFailed) {
                    throw new IllegalStateException("a put of this batch failed; close it and put the chunks again");
                }
                state = State.COMMITTING;
                toCommit = List.copyOf(staged);
                staged.clear();
            } finally {
                lock.unlock();
            }
            int renamed = 0;
            try {
                if (fsync) {
                    forEachConcurrently(toCommit, chunk -> syncFile(chunk.temp()));
                }
                Set<Path> folders = new TreeSet<>();
                for (Staged chunk : toCommit) {
                    rename(chunk);
                    renamed++;
                    folders.add(chunk.target().getParent());
                }
                // The renames are durable only once their folders are flushed; until then the batch has not committed.
                if (fsync) {
                    forEachConcurrently(List.copyOf(folders), FilesystemChunkStore.this::syncFolder);
                }
                state = State.COMMITTED;
            } catch (IOException | RuntimeException | Error e) {
                state = State.FAILED;
                // Chunks already renamed stay: they are complete, and unreferenced ones are the collector's.
                deleteTemps(toCommit.subList(renamed, toCommit.size()), e);
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            List<Staged> leftover;
            lock.lock();
            try {
                leftover = List.copyOf(staged);
                staged.clear();
                if (state == State.OPEN) {
                    state = State.CLOSED;
                }
            } finally {
                lock.unlock();
            }
            IOException failure = new IOException("cannot remove the temporary files of a discarded batch");
            deleteTemps(leftover, failure);
            if (failure.getSuppressed().length > 0) {
                throw failure;
            }
        }

        /** Moves one flushed chunk into place, unless a put outside the batch stored it meanwhile. */
        private void rename(Staged chunk) throws IOException {
            ReentrantLock stripe = stripe(chunk.id());
            stripe.lock();
            try {
                if (Files.exists(chunk.target())) {
                    Files.delete(chunk.temp());
                    return;
                }
                Files.move(chunk.temp(), chunk.target(), StandardCopyOption.ATOMIC_MOVE);
                chunks.incrementAndGet();
                bytes.addAndGet(chunk.length());
            } finally {
                stripe.unlock();
            }
        }

        private static void deleteTemps(List<Staged> staged, Throwable failures) {
            for (Staged chunk : staged) {
                try {
                    Files.deleteIfExists(chunk.temp());
                } catch (IOException e) {
                    failures.addSuppressed(e);
                }
            }
        }

        private void requireOpen() {
            if (state != State.OPEN) {
                throw new IllegalStateException("this batch is " + state.name().toLowerCase() + "; start a new one");
            }
        }
    }

    private enum State { OPEN, COMMITTING, COMMITTED, FAILED, CLOSED }

    private Path file(ChunkId id) {
        return root.resolve(id.prefix()).resolve(id.hex());
    }

    private ReentrantLock stripe(ChunkId id) {
        return stripes[Math.floorMod(id.hashCode(), LOCK_STRIPES)];
    }

    private static String prefix(int p) {
        return HexFormat.of().toHexDigits((byte) p);
    }

    /** Temporary files, files of other tools and misplaced chunks are not chunks of this store. */
    private static boolean isChunkName(String name, String prefix) {
        return name.startsWith(prefix) && ChunkId.isValid(name);
    }
}
