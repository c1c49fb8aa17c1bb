package io.grove.runtime.watch;

import io.grove.runtime.files.FileNotFoundProblem;
import io.grove.runtime.files.FileService;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 */
public final class FolderWatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FolderWatcher.class.getName());

    private final Path home;
    private final List<String> folders;
    private final FileService files;
    private final Duration debounce;
    private final long maxBytes;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("grove-watch").factory());
    private final Map<Path, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();
    private final List<DirectoryWatcher> watchers = new ArrayList<>();

    public FolderWatcher(Path home, List<String> folders, FileService files, Duration debounce, long maxBytes) {
        this.home = home.toAbsolutePath().normalize();
        this.folders = List.copyOf(folders);
        this.files = files;
        this.debounce = debounce;
        this.maxBytes = maxBytes;
        for (String folder : folders) {
            FilePaths.check(folder);
        }
    }

    /** Scans the folders once, then watches them. */
    public void start() throws IOException {
        for (String folder : folders) {
            Path dir = home.resolve(folder);
            if (!Files.isDirectory(dir)) {
                LOG.log(System.Logger.Level.WARNING, "watched folder {0} does not exist; skipped", dir);
                continue;
            }
            DirectoryWatcher watcher = DirectoryWatcher.builder().path(dir).fileHashing(false)
                    .listener(this::onEvent).build();
            watchers.add(watcher);
            watcher.watchAsync(Executors.newVirtualThreadPerTaskExecutor());
            scheduler.execute(() -> catchUp(folder, dir));
        }
    }

    private void onEvent(DirectoryChangeEvent event) {
        Path path = event.path();
        if (path == null || event.eventType() == DirectoryChangeEvent.EventType.OVERFLOW) {
            folders.forEach(f -> scheduler.execute(() -> catchUp(f, home.resolve(f))));
            return;
        }
        if (event.isDirectory()) {
            if (event.eventType() == DirectoryChangeEvent.EventType.CREATE) {
                scheduler.execute(() -> scanNew(path));
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
        try {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                tombstone(file);
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
            ingest(file, size, mtime);
        } catch (NoSuchFileException e) {
            tombstone(file);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not store " + file + ": " + e.getMessage());
        }
    }

    private void ingest(Path file, long size, long mtime) throws IOException {
        String path = groovePath(file);
        var current = files.currentVersion(path);
        if (current.isPresent() && !current.get().tombstone() && current.get().size() == size && current.get().mtime() == mtime) {
            return;
        }
        try (InputStream in = Files.newInputStream(file)) {
            FileService.Stored stored = files.put(path, in, new FileService.PutOptions(mtime, FileService.mediaTypeOf(path), maxBytes));
            LOG.log(System.Logger.Level.INFO, "stored {0} ({1} bytes) from the watched folder", path, stored.version().size());
        }
    }

    private void tombstone(Path file) {
        String path = groovePath(file);
        try {
            files.delete(path);
            LOG.log(System.Logger.Level.INFO, "{0} was deleted from the watched folder", path);
        } catch (FileNotFoundProblem e) {
            // never stored, or already deleted
        }
    }

    /** Catches up with changes made while the cell was not watching. */
    private void catchUp(String folder, Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .forEach(p -> schedule(p.toAbsolutePath().normalize(), -1, -1));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not scan " + dir + ": " + e.getMessage());
            return;
        }
        String after = "";
        for (int page = 0; page < 10_000; page++) {
            List<VersionInfo> stored = files.list(folder + "/", after, 1000, false);
            for (VersionInfo v : stored) {
                Path local = home.resolve(v.path());
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

    private String groovePath(Path file) {
        StringBuilder path = new StringBuilder();
        for (Path part : home.relativize(file)) {
            if (!path.isEmpty()) {
                path.append('/');
            }
            path.append(part);
        }
        return FilePaths.check(path.toString());
    }

    @Override
    public void close() {
        for (DirectoryWatcher watcher : watchers) {
            try {
                watcher.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing a folder watcher failed: " + e.getMessage());
            }
        }
        scheduler.shutdownNow();
    }
}
