package io.grove.runtime.files;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The regular files of a tar stream (ustar, GNU or PAX), names without a leading {@code ./}. */
public final class TarEntries implements ArchiveEntries {
    private final TarArchiveInputStream tar;
    private int skipped;

    public TarEntries(InputStream tar) {
        this.tar = new TarArchiveInputStream(tar, StandardCharsets.UTF_8.name());
    }

    @Override
    public Entry next() throws IOException {
        for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
            if (!entry.isFile()) {
                skipped++;
                continue;
            }
            String name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
            return new Entry(name, entry.getModTime().getTime(), entry.getSize(), tar);
        }
        return null;
    }

    @Override
    public int skipped() {
        return skipped;
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }
}
