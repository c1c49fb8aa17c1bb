package io.grove.distribution;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The zip and folder that {@code mvn package} built in this module, and a way to unpack the zip. */
final class BuiltDistribution {
    private BuiltDistribution() {
    }

    /** The version being tested, as the build passes it. */
    static String version() {
        return property("grove.version");
    }

    /** {@code target/grove-<version>.zip}. */
    static Path zip() {
        return existing(Path.of(property("grove.distribution.zip")));
    }

    /** {@code target/grove-<version>/}, the unpacked twin of the zip. */
    static Path folder() {
        return existing(Path.of(property("grove.distribution.dir")));
    }

    /**
     * Unpacks the zip into {@code into}, keeping each entry's Unix mode (so {@code bin/grove} stays executable),
     * and returns the distribution's folder inside it. The JDK's zip file system is used because
     * {@link java.util.zip.ZipEntry} does not expose the Unix mode that the zip stores.
     */
    static Path unpack(Path into) throws IOException {
        Path target = into.toAbsolutePath().normalize();
        try (FileSystem zip = FileSystems.newFileSystem(zip(), Map.of("enablePosixFileAttributes", "true"));
             Stream<Path> walk = Files.walk(zip.getPath("/"))) {
            Path root = zip.getPath("/");
            for (Path entry : walk.toList()) {
                Path file = target.resolve(root.relativize(entry).toString()).normalize();
                if (!file.startsWith(target)) {
                    throw new IOException("zip entry " + entry + " points outside the folder it is unpacked to");
                }
                if (Files.isDirectory(entry)) {
                    Files.createDirectories(file);
                } else {
                    Files.createDirectories(file.getParent());
                    Files.copy(entry, file);
                }
                Files.setPosixFilePermissions(file, Files.getPosixFilePermissions(entry));
            }
        }
        try (Stream<Path> top = Files.list(target)) {
            List<Path> folders = top.toList();
            if (folders.size() != 1 || !Files.isDirectory(folders.get(0))) {
                throw new IOException("the zip should hold one top folder, not " + folders);
            }
            return folders.get(0);
        }
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set; run these tests with 'mvn verify'");
        }
        return value;
    }

    private static Path existing(Path path) {
        if (!Files.exists(path)) {
            throw new IllegalStateException(path + " does not exist; 'mvn package' builds it");
        }
        return path;
    }
}
