package io.grove.runtime.db;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the SQLite driver extracts its native library: a folder next to the database (in a cell, inside the cell's
 * own 0700 folder) instead of the shared temporary folder. The driver extracts a fresh copy (~1 MiB, and a
 * {@code .lck} file) at every JVM start and deletes it only at a clean exit, so every killed cell left its copy in
 * {@code /tmp} for good; here the next start removes what a killed run left behind. Decided once per JVM, before
 * the driver loads its library; a {@code -Dorg.sqlite.tmpdir} the user set wins.
 */
final class SqliteNative {
    /** The driver's system property for the extraction folder. */
    static final String PROPERTY = "org.sqlite.tmpdir";
    private static final System.Logger LOG = System.getLogger(SqliteNative.class.getName());
    private static boolean decided;

    private SqliteNative() {
    }

    /** Extracts into {@code folder} (created if needed, emptied of earlier copies), unless already decided. */
    static synchronized void extractInto(Path folder) {
        if (decided) {
            return;
        }
        decided = true;
        if (System.getProperty(PROPERTY) != null) {
            return;
        }
        try {
            Files.createDirectories(folder);
            // Copies of killed runs. A copy still loaded by a running process may go too: a mapped library stays
            // valid after its file is removed.
            try (DirectoryStream<Path> left = Files.newDirectoryStream(folder, "sqlite-*")) {
                for (Path file : left) {
                    Files.deleteIfExists(file);
                }
            }
            System.setProperty(PROPERTY, folder.toAbsolutePath().toString());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot use " + folder + " for SQLite's native library ("
                    + e.getMessage() + "); it goes to the temporary folder");
        }
    }
}
