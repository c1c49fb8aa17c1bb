package io.grove.runtime.files;

import io.grove.api.ChunkId;

import java.io.IOException;
import java.util.Optional;

/** Where a read fetches a chunk this cell lacks or holds damaged: the fleet (replication's {@code RemoteChunks}). */
@FunctionalInterface
public interface ChunkSource {
    /** No other source: a missing chunk is an error. */
    ChunkSource NONE = (id, replaceLocal) -> Optional.empty();

    /**
     * The chunk's stored bytes, checked against {@code id}; empty when nobody serves them intact.
     *
     * @param replaceLocal whether the local copy is damaged and should be replaced by what is fetched
     */
    Optional<byte[]> fetch(ChunkId id, boolean replaceLocal) throws IOException;
}
