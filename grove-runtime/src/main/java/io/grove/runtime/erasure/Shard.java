package io.grove.runtime.erasure;

import io.grove.api.ChunkId;

/**
 * One shard of an erasure-coded chunk. Its id is the SHA-256 of its bytes, so a shard travels and is stored like a
 * chunk ({@code chunk.put} checks the bytes against it) and a corrupted shard is recognised before it is used.
 *
 * @param index its place in the code: {@code 0 … k-1} data, {@code k … k+m-1} parity
 * @param bytes its bytes (not copied: the shard owns them)
 * @param id    SHA-256 of {@code bytes}
 */
public record Shard(int index, byte[] bytes, ChunkId id) {
    public Shard {
        if (index < 0 || index >= ErasureCode.MAX_SHARDS || bytes == null || id == null) {
            throw new IllegalArgumentException("a shard needs an index below " + ErasureCode.MAX_SHARDS
                    + ", bytes and an id");
        }
    }

    /** The shard of {@code bytes} at {@code index}, its id computed. */
    public static Shard of(int index, byte[] bytes) {
        return new Shard(index, bytes, ShardSet.idOf(bytes));
    }
}
