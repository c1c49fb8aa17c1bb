package io.grove.runtime.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * The regular files of a folder on this machine, read by the cell itself ({@code POST /api/v1/local}), without
 * following links (links, devices and other non-regular files are skipped, as {@code grove put} skips them).
 *
 * <p>Two passes over the folder's metadata, neither holding the whole file list (a folder may hold up to a million
 * files; the cell's heap is small): {@link #walk} counts the files and their bytes and checks each is readable,
 * before anything is stored; {@link #next()} then goes depth first, each folder's entries in name order, holding
 * only the listings of the folders it is inside. Each file is opened only when its turn comes and closed at the next.
 */
public final class FolderEntries extends LocalFileEntries {
    /** A folder entry as listed: its path and attributes, read once, without following a link. */
    private record Listed(Path path, BasicFileAttributes attributes) {
    }

    private final Path root;
    private final int count;
    private final long totalBytes;
    private final Deque<Iterator<Listed>> folders = new ArrayDeque<>();

    private FolderEntries(Path root, int count, long totalBytes) throws IOException {
        this.root = root;
        this.count = count;
        this.totalBytes = totalBytes;
        folders.push(list(root));
    }

    /**
     * Checks {@code folder}: counts its regular files and their bytes, and that each can be read.
     *
     * @throws ArchiveException when it holds more than {@code maxFiles} regular files
     * @throws IOException      when a folder cannot be listed or a file cannot be read (an
     *                          {@link AccessDeniedException} then)
     */
    public static FolderEntries walk(Path folder, int maxFiles) throws IOException {
        int[] files = {0};
        long[] bytes = {0};
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!attrs.isRegularFile()) {
                    return FileVisitResult.CONTINUE;
                }
                if (!Files.isReadable(file)) { // found now, before anything is stored, rather than when its turn comes
                    throw new AccessDeniedException(file.toString());
                }
                if (++files[0] > maxFiles) {
                    throw new ArchiveException("the folder holds more than " + maxFiles + " files");
                }
                bytes[0] += attrs.size();
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                throw e;
            }
        });
        return new FolderEntries(folder, files[0], bytes[0]);
    }

    /** A folder's entries in name order. */
    private static Iterator<Listed> list(Path folder) throws IOException {
        List<Listed> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
            for (Path p : stream) {
                entries.add(new Listed(p, Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)));
            }
        }
        entries.sort(Comparator.comparing(e -> e.path().getFileName().toString()));
        return entries.iterator();
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

    /** Regular files the check found. */
    public int count() {
        return count;
    }

    /** Their bytes, as the check saw them. */
    public long totalBytes() {
        return totalBytes;
    }

    @Override
    public Entry next() throws IOException {
        close();
        while (!folders.isEmpty()) {
            Iterator<Listed> here = folders.peek();
            if (!here.hasNext()) {
                folders.pop();
                continue;
            }
            Listed e = here.next();
            BasicFileAttributes attrs = e.attributes();
            if (attrs.isDirectory()) {
                folders.push(list(e.path()));
            } else if (attrs.isRegularFile()) {
                return open(name(root, e.path()), e.path(), attrs.lastModifiedTime().toMillis(), attrs.size());
            } else {
                skip();
            }
        }
        return null;
    }

}
