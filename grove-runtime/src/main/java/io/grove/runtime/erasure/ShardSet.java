package io.grove.runtime.erasure;

import io.grove.api.ChunkId;
import io.grove.api.store.ChunkStore;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the placement layer keeps about an erasure-coded chunk: enough to fetch any {@code k} of its shards, check
 * each one by its id and rebuild the chunk byte for byte.
 *
 * @param chunk          the id of the chunk (SHA-256 of its bytes; the rebuilt bytes are checked against it)
 * @param k              data shards
 * @param m              parity shards
 * @param originalLength the chunk's length in bytes (the last data shard is zero-padded to the shard length)
 * @param shards         the shard ids in index order, {@code k + m} of them. Two may be equal (a chunk of zeros has
 *                       equal data shards); they are still placed on distinct cells.
 */
public record ShardSet(ChunkId chunk, int k, int m, int originalLength, List<ChunkId> shards) {
    public ShardSet {
        if (chunk == null || shards == null) {
            throw new IllegalArgumentException("a shard set needs a chunk id and shard ids");
        }
        ErasureCode.check(k, m);
        if (originalLength < 0 || originalLength > ChunkStore.MAX_CHUNK_BYTES) {
            throw new IllegalArgumentException("originalLength must be 0 … " + ChunkStore.MAX_CHUNK_BYTES);
        }
        if (shards.size() != k + m) {
            throw new IllegalArgumentException("a " + k + "+" + m + " shard set lists " + (k + m) + " shard ids, not "
                    + shards.size());
        }
        shards = List.copyOf(shards);
    }

    /** The shard set of {@code shards}, as {@link ErasureCode#encode(byte[])} returned them for {@code chunk}. */
    public static ShardSet of(ChunkId chunk, ErasureCode code, int originalLength, List<Shard> shards) {
        if (shards.size() != code.totalShards()) {
            throw new IllegalArgumentException("expected " + code.totalShards() + " shards, got " + shards.size());
        }
        for (int i = 0; i < shards.size(); i++) {
            if (shards.get(i).index() != i) {
                throw new IllegalArgumentException("shards must be in index order");
            }
        }
        return new ShardSet(chunk, code.dataShards(), code.parityShards(), originalLength,
                shards.stream().map(Shard::id).toList());
    }

    /** Whether {@code bytes} are the intact shard {@code index} of this set. */
    public boolean intact(int index, byte[] bytes) {
        return index >= 0 && index < shards.size() && bytes != null
                && MessageDigest.isEqual(shards.get(index).digest(), digest(bytes));
    }

    /** The indices among {@code received} whose bytes do not hash to their shard id (or that are out of range). */
    public Set<Integer> corrupt(Map<Integer, byte[]> received) {
        Set<Integer> bad = new TreeSet<>();
        received.forEach((index, bytes) -> {
            if (index == null) {
                throw new IllegalArgumentException("shard indices are not null");
            }
            if (!intact(index, bytes)) {
                bad.add(index);
            }
        });
        return bad;
    }

    static ChunkId idOf(byte[] bytes) {
        return ChunkId.ofDigest(digest(bytes));
    }

    static byte[] digest(byte[] bytes) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            // Fed in 64 KiB slices: C2 compiles the intrinsic sooner than for one multi-MiB update (PERFORMANCE.md).
            for (int off = 0; off < bytes.length; off += 65_536) {
                sha.update(bytes, off, Math.min(65_536, bytes.length - off));
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
