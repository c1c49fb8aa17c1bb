package io.grove.runtime.manifest;

import io.grove.api.CellId;

import java.util.List;
import java.util.Optional;

/**
 * One immutable version of one file: what a sealed manifest holds once opened.
 *
 * @param path      the file's path in the fleet namespace ({@code photos/2024/a.jpg})
 * @param size      its size in bytes (0 for a tombstone)
 * @param mtime     its modification time, epoch milliseconds
 * @param mediaType its media type ({@code image/jpeg})
 * @param chunks    its chunks in order; empty for an empty file or a tombstone
 * @param parent    the version this one replaces, if any
 * @param tombstone whether this version records a deletion
 * @param hlc       hybrid logical clock timestamp of the change
 * @param author    the cell that made the change
 */
public record Manifest(String path, long size, long mtime, String mediaType, List<ChunkEntry> chunks,
                       Optional<String> parent, boolean tombstone, long hlc, CellId author) {
    /** The most chunks one version may have: 64 GiB at the smallest chunk size. */
    public static final int MAX_CHUNKS = 65_536;

    public Manifest {
        FilePaths.check(path);
        chunks = List.copyOf(chunks);
        if (size < 0 || mtime < 0 || hlc <= 0 || mediaType == null || mediaType.isBlank() || parent == null || author == null) {
            throw new IllegalArgumentException("manifest of " + path + " is incomplete");
        }
        if (chunks.size() > MAX_CHUNKS) {
            throw new IllegalArgumentException("manifest of " + path + " has more than " + MAX_CHUNKS + " chunks");
        }
        long sum = 0;
        for (ChunkEntry c : chunks) {
            sum += c.plainLength();
        }
        if (sum != size) {
            throw new IllegalArgumentException("manifest of " + path + " says " + size + " bytes but its chunks hold " + sum);
        }
        if (tombstone && size != 0) {
            throw new IllegalArgumentException("a tombstone has no content");
        }
    }
}
