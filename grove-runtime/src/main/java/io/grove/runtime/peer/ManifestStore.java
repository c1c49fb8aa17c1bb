package io.grove.runtime.peer;

import io.grove.api.CellId;

import java.io.IOException;
import java.util.Optional;

/**
 * Sealed manifest blobs as peers replicate them: by version id, which is the lower-case hex SHA-256 of the blob.
 * Peers hold them without being able to read them. Implementations are thread-safe.
 */
public interface ManifestStore {
    /** The largest sealed manifest accepted. */
    int MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

    /**
     * Stores a blob that hashes to {@code versionId} (the caller has checked it), received from {@code from}.
     *
     * @return {@code false} if it was already held (nothing changes: manifests are immutable)
     */
    boolean put(String versionId, byte[] blob, CellId from) throws IOException;

    /** The blob of a version, if held. */
    Optional<byte[]> get(String versionId) throws IOException;
}
