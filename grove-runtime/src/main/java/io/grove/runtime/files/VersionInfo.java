package io.grove.runtime.files;

import java.util.Optional;

/**
 * What the index knows of one version, without opening its manifest.
 *
 * @param id         the version id (hex SHA-256 of the sealed manifest)
 * @param path       the file's path
 * @param hlc        hybrid logical clock timestamp
 * @param author     the cell that made it
 * @param parent     the version it replaced
 * @param size       content bytes
 * @param mtime      modification time, epoch milliseconds
 * @param mediaType  media type
 * @param tombstone  whether it records a deletion
 * @param chunkCount number of chunks
 * @param createdAt  when this cell indexed it, epoch milliseconds
 */
public record VersionInfo(String id, String path, long hlc, String author, Optional<String> parent, long size,
                          long mtime, String mediaType, boolean tombstone, int chunkCount, long createdAt) {
}
