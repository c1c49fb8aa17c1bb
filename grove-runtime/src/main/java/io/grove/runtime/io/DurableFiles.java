package io.grove.runtime.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;

/**
 * Durable small-file writes: write a temporary file, fsync it, rename it into place, fsync the folder. A crash at
 * any point leaves either the old file or the new one, never a torn one.
 */
public final class DurableFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    /** Owner read and write only. */
    public static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");
    /** Owner only. */
    public static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");

    private DurableFiles() {
    }

    /** Replaces (or creates) {@code target} with {@code content}, readable by the owner only. */
    public static void writePrivate(Path target, byte[] content) throws IOException {
        write(target, content, true);
    }

    /** Creates {@code target} with {@code content}, readable by the owner only; fails if it exists. */
    public static void createPrivate(Path target, byte[] content) throws IOException {
        write(target, content, false);
    }

    /** Creates a folder (and its parents) that only the owner may enter. */
    public static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (POSIX) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
        } else {
            Files.createDirectories(dir);
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            fsyncDirectory(parent);
        }
    }

    /** Forces a folder's entries (new, renamed or deleted names) to disk. */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems (and all of Windows) cannot open a folder for fsync; their renames are durable anyway.
            if (POSIX) {
                throw e;
            }
        }
    }

    /** Whether the file can be read or written by anyone but its owner. */
    public static boolean isShared(Path file) throws IOException {
        if (!POSIX) {
            return false;
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        return !PRIVATE_FILE.containsAll(perms);
    }

    /** The permissions of a file as {@code 0644}, for messages. */
    public static String mode(Path file) throws IOException {
        if (!POSIX) {
            return "n/a";
        }
        int mode = 0;
        for (PosixFilePermission p : Files.getPosixFilePermissions(file)) {
            mode |= 1 << (8 - p.ordinal());
        }
        return String.format("0%03o", mode);
    }

    private static void write(Path target, byte[] content, boolean replace) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (!replace && Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        Path temp = dir.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        FileAttribute<?>[] attrs = POSIX
                ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(PRIVATE_FILE)}
                : new FileAttribute<?>[0];
        try {
            try (FileChannel channel = FileChannel.open(temp,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attrs)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            if (replace) {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                // A hard link fails if the target exists, which makes "create" atomic even against a racing writer.
                Files.createLink(target, temp);
                Files.delete(temp);
            }
            fsyncDirectory(dir);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
