package io.grove.runtime.watch;

import io.grove.runtime.db.Database;
import io.grove.runtime.manifest.FilePaths;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The watched folders a person manages at runtime (dashboard Settings, {@code /api/v1/watch}), kept in SQLite next to
 * the ones {@code watch.folders} configures, which stay read-only here. Adding one starts watching it at once;
 * removing one stops watching it and keeps everything stored from it.
 */
public final class WatchedFolders {
    private static final System.Logger LOG = System.getLogger(WatchedFolders.class.getName());
    /** At most this many folders added at runtime. */
    public static final int MAX_FOLDERS = 64;
    /** The longest directory accepted, in characters. */
    public static final int MAX_DIR_CHARS = 4096;

    private final Database db;
    private final FolderWatcher watcher;
    private final Set<String> configured;
    private final Path cellDir;
    private final Clock clock;

    /** A watched folder: where it comes from ({@code config} or {@code settings}) and whether its directory exists. */
    public record Folder(String name, String dir, String source, boolean exists) {
    }

    /**
     * @param watcher    the cell's folder watcher, already holding the configured folders
     * @param configured the names {@code watch.folders} configures (read-only)
     * @param cellDir    the cell's own folder, never watched (its database and chunks change all the time)
     */
    public WatchedFolders(Database db, FolderWatcher watcher, Set<String> configured, Path cellDir, Clock clock) {
        this.db = db;
        this.watcher = watcher;
        this.configured = Set.copyOf(configured);
        this.cellDir = cellDir.toAbsolutePath().normalize();
        this.clock = clock;
    }

    /** Hands the stored folders to the watcher (before it starts). */
    public void restore() {
        for (Map.Entry<String, String> row : rows()) {
            if (configured.contains(row.getKey())) {
                // grove.yaml now configures this name itself: the configured folder wins, the stored one is dropped.
                LOG.log(System.Logger.Level.WARNING, "watched folder {0} ({1}) added in Settings is now configured by "
                        + "watch.folders; the configured one is watched", row.getKey(), row.getValue());
                db.jdbi().useHandle(h -> h.execute("DELETE FROM watched_folders WHERE name = ?", row.getKey()));
                continue;
            }
            try {
                watcher.add(row.getKey(), Path.of(row.getValue()));
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "watched folder {0} ({1}) skipped: {2}", row.getKey(),
                        row.getValue(), e.getMessage());
            }
        }
    }

    /** Every watched folder, configured ones first. */
    public List<Folder> list() {
        List<Folder> out = new ArrayList<>();
        watcher.folders().forEach((name, dir) -> {
            if (configured.contains(name)) {
                out.add(new Folder(name, dir.toString(), "config", Files.isDirectory(dir)));
            }
        });
        for (Map.Entry<String, String> row : rows()) {
            out.add(new Folder(row.getKey(), row.getValue(), "settings", Files.isDirectory(Path.of(row.getValue()))));
        }
        return out;
    }

    /**
     * Watches {@code dir} from now on, storing its files under {@code name/}.
     *
     * @param name a Grove path (say {@code Camera} or {@code Work/Reports}) no other watched folder overlaps
     * @param dir  an absolute directory, or one relative to {@code watch.home}; it must exist, be readable, and be
     *             neither inside the cell's folder nor contain it
     * @throws IllegalArgumentException with the reason, for the person
     * @throws IllegalStateException    when the name is already watched or the limit is reached
     */
    public synchronized Folder add(String name, String dir) throws IOException {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name is required: the folder's name in Grove, e.g. Camera");
        }
        FilePaths.check(name);
        if (dir == null || dir.isBlank()) {
            throw new IllegalArgumentException("dir is required: a directory on this cell's disk");
        }
        if (dir.length() > MAX_DIR_CHARS || dir.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("dir is at most " + MAX_DIR_CHARS + " characters, without control characters");
        }
        Path path;
        try {
            Path given = Path.of(dir);
            path = (given.isAbsolute() ? given : watcher.home().resolve(given)).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("dir is not a valid path: " + e.getMessage());
        }
        if (!Path.of(dir).isAbsolute() && !path.startsWith(watcher.home())) {
            throw new IllegalArgumentException("a relative dir must stay under watch.home (" + watcher.home() + ")");
        }
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException(path + " is not an existing directory");
        }
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException(path + " is not readable by the cell");
        }
        Path real = path.toRealPath();
        Path realCell = Files.exists(cellDir, LinkOption.NOFOLLOW_LINKS) ? cellDir.toRealPath() : cellDir;
        if (real.startsWith(realCell) || realCell.startsWith(real)) {
            throw new IllegalArgumentException(path + " is or holds the cell's own folder (" + cellDir + "), which is never watched");
        }
        if (watcher.folders().containsKey(name)) {
            throw new IllegalStateException("a folder named " + name + " is already watched");
        }
        if (rows().size() >= MAX_FOLDERS) {
            throw new IllegalStateException("at most " + MAX_FOLDERS + " folders can be added here; remove one first");
        }
        watcher.add(name, path);
        try {
            db.jdbi().useHandle(h -> h.execute("INSERT INTO watched_folders (name, dir, added_at) VALUES (?, ?, ?)",
                    name, path.toString(), clock.millis()));
        } catch (RuntimeException e) {
            watcher.remove(name);
            throw e;
        }
        LOG.log(System.Logger.Level.INFO, "now watching {0} as {1}", path, name);
        return new Folder(name, path.toString(), "settings", true);
    }

    /**
     * Stops watching a folder added here; what was stored from it stays.
     *
     * @return false when no folder of that name was added here
     * @throws IllegalStateException when the folder is configured in {@code grove.yaml}
     */
    public synchronized boolean remove(String name) {
        if (configured.contains(name)) {
            throw new IllegalStateException(name + " is configured by watch.folders; change grove.yaml to stop watching it");
        }
        int deleted = db.jdbi().withHandle(h -> h.execute("DELETE FROM watched_folders WHERE name = ?", name));
        boolean watched = watcher.remove(name);
        if (deleted > 0) {
            LOG.log(System.Logger.Level.INFO, "stopped watching {0}", name);
        }
        return deleted > 0 || watched;
    }

    private List<Map.Entry<String, String>> rows() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT name, dir FROM watched_folders ORDER BY name LIMIT ?")
                .bind(0, MAX_FOLDERS)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2))).list());
    }
}
