package io.grove.runtime.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The regular files of a folder on this machine, read by the cell itself ({@code POST /api/v1/local}): walked once
 * without following links (links, devices and other non-regular files are skipped, as {@code grove put} skips
 * them), in name order, each opened only when its turn comes and closed at the next.
 */
public final class FolderEntries implements ArchiveEntries {
    private record Found(Path file, String name, long size, long mtime) {
    }

    private final List<Found> files;
    private final int skipped;
    private final long totalBytes;
    private int next;
    private InputStream open;

    private FolderEntries(List<Found> files, int skipped) {
        this.files = files;
        this.skipped = skipped;
        this.totalBytes = files.stream().mapToLong(Found::size).sum();
    }

    /**
     * Walks {@code folder}.
     *
     * @throws ArchiveException when it holds more than {@code maxFiles} regular files
     * @throws IOException      when a folder cannot be listed (an {@link java.nio.file.AccessDeniedException} among them)
     */
    public static FolderEntries walk(Path folder, int maxFiles) throws IOException {
        List<Found> found = new ArrayList<>();
        int[] skipped = {0};
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!attrs.isRegularFile()) {
                    skipped[0]++;
                    return FileVisitResult.CONTINUE;
                }
                if (!Files.isReadable(file)) { // found now, before anything is stored, rather than when its turn comes
                    throw new AccessDeniedException(file.toString());
                }
                if (found.size() >= maxFiles) {
                    throw new ArchiveException("the folder holds more than " + maxFiles + " files");
                }
                found.add(new Found(file, name(folder, file), attrs.size(), attrs.lastModifiedTime().toMillis()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                throw e;
            }
        });
        found.sort(Comparator.comparing(Found::name));
        return new FolderEntries(List.copyOf(found), skipped[0]);
    }

    /** The name of a file below the folder: '/'-separated whatever the platform (as in an archive). */
    public static String name(Path folder, Path file) {
        StringBuilder name = new StringBuilder();
        for (Path part : folder.relativize(file)) {
            if (!name.isEmpty()) {
                name.append('/');
            }
            name.append(part);
        }
        return name.toString();
    }

    /** Regular files found. */
    public int count() {
        return files.size();
    }

    /** Their bytes, as the walk saw them. */
    public long totalBytes() {
        return totalBytes;
    }

    @Override
    public Entry next() throws IOException {
        close();
        if (next == files.size()) {
            return null;
        }
        Found f = files.get(next++);
        // Not through a link that replaced the file since the walk.
        open = Files.newInputStream(f.file(), LinkOption.NOFOLLOW_LINKS);
        return new Entry(f.name(), f.mtime(), f.size(), open);
    }

    @Override
    public int skipped() {
        return skipped;
    }

    @Override
    public void close() throws IOException {
        if (open != null) {
            InputStream done = open;
            open = null;
            done.close();
        }
    }
}
