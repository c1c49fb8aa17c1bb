package io.grove.runtime.watch;

import io.grove.runtime.files.FileService;
import io.grove.runtime.files.LocalFileEntries;
import io.grove.runtime.files.VersionInfo;
import io.grove.runtime.manifest.FilePaths;
import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryWatcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Turns every local edit in the watched folders of {@code GROVE_HOME} into a version: a changed file is ingested
 * once it has stopped changing (same size and modification time for the debounce period), a deleted one becomes a
 * tombstone. The Grove path of {@code GROVE_HOME/Documents/a.txt} is {@code Documents/a.txt}.
 *
 * <p>Uses directory-watcher (recursive, native events where the platform has them). At start a full scan catches
 * up with what changed while the cell was stopped; a watched folder that is missing is skipped rather than read as
 * "everything was deleted" (an unmounted disk must not tombstone a library).
 *
 * <p>Settled changes are stored in batches: the files (under 1 MiB each) and deletions that settle within
 * {@link #BATCH_DELAY_MS} of the first of them, up to {@link #BATCH_FILES} files or 64 MiB, are committed together (one
 * commit group, small files packed; one transaction for the deletions), as {@code grove put FOLDER} does, so a folder
 * of thousands of files copied in costs a few commits rather than a commit (and its fsyncs) per file. A batch that
 * fails is retried file by file, so one unreadable file does not hold the others back. Larger files are stored on
 * their own.
 *
 * <p>Folders can also be added and removed while the cell runs ({@link #add}, {@link #remove}; the dashboard's
 * Settings): an added folder has a name (its Grove path prefix) and any directory on this cell's disk. Removing a
 * folder stops watching it and never deletes what was stored from it.
 */
public final class FolderWatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FolderWatcher.class.getName());

    private final Path home;
    private final Map<String, Root> roots = new LinkedHashMap<>();
    private boolean started;
    private boolean closed;
    private final FileService files;
    private final Duration debounce;
    private final long maxBytes;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("grove-watch").factory());
    private final Map<Path, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();
    // Stores what settled, one batch (or large file) at a time, in the order it settled: changes keep settling
    // while a batch is being stored, and a path's versions are committed in the order they were seen.
    private final ExecutorService storer = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("grove-watch-store").factory());

    /** Files at least this large are stored on their own when they settle, not batched. */
    static final long BATCH_BELOW = 1 << 20;
    /** The most files, and bytes, of one batch. */
    static final int BATCH_FILES = 2000;
    private static final long BATCH_BYTES = 64L << 20;
    /** How long a batch waits, from its first settled change, for others that settle with it. */
    static final long BATCH_DELAY_MS = 100;

    /** A settled change waiting for its batch: a file to store (its settled size and time) or a deletion. */
    private record Change(Path file, String path, long size, long mtime, boolean deleted) {
    }

    // Touched only on the scheduler thread, as settle(), enqueue() and drain() run there.
    private final List<Change> batch = new ArrayList<>();
    private long batchBytes;
    private boolean drainScheduled;

    /** One watched folder: its Grove path prefix, its directory, and the watcher once started. */
    private static final class Root {
        final String name;
        final Path dir;
        DirectoryWatcher watcher;

        Root(String name, Path dir) {
            this.name = name;
            this.dir = dir;
        }
    }

    /**
     * @param home    the directory the configured folders are under ({@code watch.home})
     * @param folders the configured folders ({@code watch.folders}), paths relative to {@code home}
     */
    public FolderWatcher(Path home, List<String> folders, FileService files, Duration debounce, long maxBytes) {
        this.home = home.toAbsolutePath().normalize();
        this.files = files;
        this.debounce = debounce;
        this.maxBytes = maxBytes;
        for (String folder : folders) {
            FilePaths.check(folder);
            roots.put(folder, new Root(folder, this.home.resolve(folder)));
        }
    }

    /** The directory the configured folders are under. */
    public Path home() {
        return home;
    }

    /** The watched folders: Grove path prefix to directory. */
    public synchronized Map<String, Path> folders() {
        Map<String, Path> out = new LinkedHashMap<>();
        roots.forEach((name, root) -> out.put(name, root.dir));
        return out;
    }

    /** Scans the folders once, then watches them. */
    public synchronized void start() throws IOException {
        started = true;
        for (Root root : roots.values()) {
            watch(root);
        }
    }

    /**
     * Watches one more folder at once: scans it (every file in it becomes a version under {@code name/}), then
     * follows its changes.
     *
     * @param name the Grove path prefix (a valid Grove path), not already watched
     * @param dir  an existing directory
     * @throws IllegalArgumentException when the name is invalid or taken, or the directory overlaps a watched one
     */
    public synchronized void add(String name, Path dir) throws IOException {
        FilePaths.check(name);
        Path normal = dir.toAbsolutePath().normalize();
        if (closed) {
            throw new IllegalStateException("the folder watcher is closed");
        }
        for (Root root : roots.values()) {
            if (overlaps(root.name, name)) {
                throw new IllegalArgumentException("the name " + name + " overlaps the watched folder " + root.name);
            }
            if (normal.startsWith(root.dir) || root.dir.startsWith(normal)) {
                throw new IllegalArgumentException(normal + " overlaps the watched folder " + root.name + " (" + root.dir + ")");
            }
        }
        Root root = new Root(name, normal);
        roots.put(name, root);
        if (started) {
            watch(root);
        }
    }

    /** Stops watching {@code name}; what was stored from it stays. Returns whether it was watched. */
    public synchronized boolean remove(String name) {
        Root root = roots.remove(name);
        if (root == null) {
            return false;
        }
        closeQuietly(root);
        return true;
    }

    private static boolean overlaps(String a, String b) {
        return a.equals(b) || a.startsWith(b + "/") || b.startsWith(a + "/");
    }

    private void watch(Root root) throws IOException {
        if (!Files.isDirectory(root.dir)) {
            LOG.log(System.Logger.Level.WARNING, "watched folder {0} does not exist; skipped", root.dir);
            return;
        }
        DirectoryWatcher watcher = DirectoryWatcher.builder().path(root.dir).fileHashing(false)
                .listener(this::onEvent).build();
        root.watcher = watcher;
        watcher.watchAsync(Executors.newVirtualThreadPerTaskExecutor());
        scheduler.execute(() -> catchUp(root));
    }

    private void onEvent(DirectoryChangeEvent event) {
        Path path = event.path();
        if (path == null || event.eventType() == DirectoryChangeEvent.EventType.OVERFLOW) {
            List<Root> all;
            synchronized (this) {
                all = List.copyOf(roots.values());
            }
            all.forEach(r -> scheduler.execute(() -> catchUp(r)));
            return;
        }
        if (event.isDirectory()) {
            Path dir = path.toAbsolutePath().normalize();
            if (event.eventType() == DirectoryChangeEvent.EventType.CREATE) {
                scheduler.execute(() -> scanNew(dir));
            } else if (event.eventType() == DirectoryChangeEvent.EventType.DELETE) {
                // The removal events of its files may be lost with the folder's watch (seen under load).
                scheduler.execute(() -> scanGone(dir));
            }
            return;
        }
        schedule(path.toAbsolutePath().normalize(), -1, -1);
    }

    /** Debounces: (re)schedules a look at {@code file} after the quiet period. */
    private void schedule(Path file, long size, long mtime) {
        pending.compute(file, (p, previous) -> {
            if (previous != null) {
                previous.cancel(false);
            }
            return scheduler.schedule(() -> settle(file, size, mtime), debounce.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    /** Ingests the file if it has not changed since the last look, else looks again later. */
    private void settle(Path file, long lastSize, long lastMtime) {
        pending.remove(file);
        if (rootOf(file).isEmpty()) {
            return; // its folder is no longer watched
        }
        try {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                gone(file);
                return;
            }
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            long size = Files.size(file);
            long mtime = Files.getLastModifiedTime(file).toMillis();
            if (size != lastSize || mtime != lastMtime) {
                schedule(file, size, mtime);
                return;
            }
            String path = groovePath(file);
            if (alreadyStored(path, size, mtime)) {
                return;
            }
            if (size >= BATCH_BELOW) {
                drain(); // what settled before it is stored before it
                Change alone = new Change(file, path, size, mtime, false);
                storer.execute(() -> storeAlone(alone));
            } else {
                enqueue(new Change(file, path, size, mtime, false));
            }
        } catch (NoSuchFileException e) {
            gone(file);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not store " + file + ": " + e.getMessage());
        }
    }

    /** A path that no longer exists: a stored file's deletion joins the batch; anything else may be a removed folder. */
    private void gone(Path file) {
        String path = groovePath(file);
        if (files.currentVersion(path).isEmpty()) {
            scanGone(file); // never stored as a file: perhaps a removed folder (see onEvent)
        } else {
            enqueue(new Change(file, path, 0, 0, true));
        }
    }

    /** Whether the current version of {@code path} is this content already (same size and modification time). */
    private boolean alreadyStored(String path, long size, long mtime) {
        var current = files.currentVersion(path);
        return current.isPresent() && !current.get().tombstone() && current.get().size() == size
                && current.get().mtime() == mtime;
    }

    /** Adds a settled change to the batch, which is stored when full or {@link #BATCH_DELAY_MS} after it began. */
    private void enqueue(Change change) {
        batch.add(change);
        batchBytes += change.size();
        if (batch.size() >= BATCH_FILES || batchBytes >= Math.min(BATCH_BYTES, maxBytes)) {
            drain();
        } else if (!drainScheduled) {
            drainScheduled = true;
            scheduler.schedule(this::drain, BATCH_DELAY_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** Hands the batch to the storing thread. */
    private void drain() {
        drainScheduled = false;
        if (batch.isEmpty()) {
            return;
        }
        List<Change> changes = List.copyOf(batch);
        batch.clear();
        batchBytes = 0;
        storer.execute(() -> store(changes));
    }

    /**
     * Stores a batch: its deletions in one commit, then its files as one archive put (a file deleted since it
     * settled is passed over; its deletion settles on its own). If the put fails, each file is stored on its own.
     */
    private void store(List<Change> changes) {
        List<String> deleted = changes.stream().filter(Change::deleted).map(Change::path).toList();
        if (!deleted.isEmpty()) {
            try {
                for (VersionInfo v : files.deleteAll(deleted)) {
                    LOG.log(System.Logger.Level.INFO, "{0} was deleted from the watched folder", v.path());
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "could not record " + deleted.size() + " deletions from the "
                        + "watched folders: " + e.getMessage());
            }
        }
        List<Change> stored = changes.stream().filter(c -> !c.deleted()).toList();
        if (stored.size() == 1) {
            storeAlone(stored.get(0));
        } else if (!stored.isEmpty()) {
            try {
                FileService.ArchiveResult result = files.putArchive("", new BatchEntries(stored), maxBytes, BATCH_FILES);
                for (FileService.Stored s : result.stored()) {
                    LOG.log(System.Logger.Level.DEBUG, "stored {0} ({1} bytes) from the watched folder",
                            s.version().path(), s.version().size());
                }
                LOG.log(System.Logger.Level.INFO, "stored {0} files from the watched folders", result.stored().size());
            } catch (IOException | RuntimeException e) {
                if (isClosed()) {
                    return; // interrupted by close(): the next start's scan catches up
                }
                LOG.log(System.Logger.Level.WARNING, "storing " + stored.size() + " files from the watched folders "
                        + "together failed (" + e.getMessage() + "); storing them one by one");
                stored.forEach(this::storeAlone);
            }
        }
    }

    /** Stores one settled file, unless the index has it already (a batch that failed part-way stored some). */
    private void storeAlone(Change change) {
        try {
            if (alreadyStored(change.path(), change.size(), change.mtime())) {
                return;
            }
            ingest(change.file(), change.path(), change.size(), change.mtime());
        } catch (NoSuchFileException e) {
            // deleted since it settled: its deletion settles on its own
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not store " + change.file() + ": " + e.getMessage());
        }
    }

    private void ingest(Path file, String path, long size, long mtime) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            FileService.Stored stored = files.put(path, in, new FileService.PutOptions(mtime, FileService.mediaTypeOf(path), maxBytes));
            LOG.log(System.Logger.Level.INFO, "stored {0} ({1} bytes) from the watched folder", path, stored.version().size());
        }
    }

    /** The files of a batch, each opened when its turn comes; one deleted since it settled is passed over. */
    private static final class BatchEntries extends LocalFileEntries {
        private final List<Change> changes;
        private int next;

        BatchEntries(List<Change> changes) {
            this.changes = changes;
        }

        @Override
        public Entry next() throws IOException {
            close();
            while (next < changes.size()) {
                Change c = changes.get(next++);
                try {
                    return open(c.path(), c.file(), c.mtime(), c.size());
                } catch (NoSuchFileException e) {
                    skip();
                }
            }
            return null;
        }
    }

    /** Catches up with changes made while the cell was not watching. */
    private void catchUp(Root root) {
        String folder = root.name;
        Path dir = root.dir;
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .forEach(p -> schedule(p.toAbsolutePath().normalize(), -1, -1));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not scan " + dir + ": " + e.getMessage());
            return;
        }
        scheduleGone(folder, dir);
    }

    /** Looks again at every file stored from under {@code dir}, a folder that is gone; each missing one is deleted. */
    private void scanGone(Path dir) {
        if (rootOf(dir).isPresent()) {
            scheduleGone(groovePath(dir), dir);
        }
    }

    /** Schedules a look at each file stored under the Grove path {@code prefix} (from {@code dir}) that is missing. */
    private void scheduleGone(String prefix, Path dir) {
        String after = "";
        for (int page = 0; page < 10_000; page++) {
            List<VersionInfo> stored = files.list(prefix + "/", after, 1000, false);
            for (VersionInfo v : stored) {
                Path local = dir.resolve(v.path().substring(prefix.length() + 1));
                if (!Files.exists(local, LinkOption.NOFOLLOW_LINKS)) {
                    schedule(local, -1, -1);
                }
            }
            if (stored.size() < 1000) {
                break;
            }
            after = stored.get(stored.size() - 1).path();
        }
    }

    private void scanNew(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .forEach(p -> schedule(p.toAbsolutePath().normalize(), -1, -1));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not scan " + dir + ": " + e.getMessage());
        }
    }

    private synchronized Optional<Root> rootOf(Path file) {
        Root best = null;
        for (Root root : roots.values()) {
            if (file.startsWith(root.dir) && !file.equals(root.dir)
                    && (best == null || root.dir.getNameCount() > best.dir.getNameCount())) {
                best = root;
            }
        }
        return Optional.ofNullable(best);
    }

    private String groovePath(Path file) {
        Root root = rootOf(file).orElseThrow(() -> new IllegalArgumentException(file + " is in no watched folder"));
        StringBuilder path = new StringBuilder(root.name);
        for (Path part : root.dir.relativize(file)) {
            if (!path.isEmpty()) {
                path.append('/');
            }
            path.append(part);
        }
        return FilePaths.check(path.toString());
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            roots.values().forEach(FolderWatcher::closeQuietly);
        }
        scheduler.shutdownNow();
        storer.shutdownNow();
    }

    private static void closeQuietly(Root root) {
        if (root.watcher != null) {
            try {
                root.watcher.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing a folder watcher failed: " + e.getMessage());
            }
            root.watcher = null;
        }
    }
}
