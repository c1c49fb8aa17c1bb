package io.grove.runtime.ingest;

import io.grove.api.ChunkId;
import io.grove.api.store.ChunkBatch;
import io.grove.api.store.ChunkStore;
import io.grove.runtime.crypto.ChunkKey;
import io.grove.runtime.crypto.SealedChunk;
import io.grove.runtime.manifest.ChunkEntry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Puts small sealed chunks ("blobs") side by side into pack objects, so that thousands of small files cost a few
 * store objects (and a few fsyncs) instead of one each. Each blob stays sealed on its own, under its own key, so
 * a pack reveals nothing of one blob to someone given another; the pack is stored under SHA-256 of its bytes, an
 * ordinary chunk to the store, peers, verification and the collector. Larger chunks go to the batch whole.
 *
 * <p>A blob already packed (in this archive, or committed in a pack the index still lists) is referenced, not
 * stored again. Blobs wait in memory until about {@code target} bytes are pending; then the worker that filled the
 * pack looks their ids up in the index (one query per pack), writes the rest as one pack into the batch, and records
 * it for the commit ({@link #drainWritten()}). One packer serves one group of an archive: {@link #flush()} writes the
 * last, partial pack before the group's batch is committed. Safe for many workers at once.
 */
public final class Packer implements Destination {
    /** Pack size aimed at: packs are cut once this many bytes of blobs are pending. */
    public static final int DEFAULT_TARGET = 8 << 20;
    /** Sealed chunks smaller than this are packed. */
    public static final int DEFAULT_BELOW = 1 << 20;

    /** Finds blobs already packed in committed packs. */
    @FunctionalInterface
    public interface Lookup {
        /** Of {@code blobs}, those held in a pack the index lists, by blob id. */
        Map<ChunkId, PackedBlob> find(List<ChunkId> blobs);
    }

    /**
     * Where a blob lies.
     *
     * @param blob   SHA-256 of its sealed bytes
     * @param pack   the pack holding it
     * @param offset its first byte in the pack
     * @param length its sealed length
     */
    public record PackedBlob(ChunkId blob, ChunkId pack, int offset, int length) {
        public PackedBlob {
            if (blob == null || pack == null || offset < 0 || length < SealedChunk.TAG_LENGTH
                    || offset + (long) length > ChunkStore.MAX_CHUNK_BYTES) {
                throw new IllegalArgumentException("a packed blob needs ids and a range inside a pack");
            }
        }
    }

    /**
     * A pack this packer wrote, for the index.
     *
     * @param id          SHA-256 of the pack
     * @param length      its bytes
     * @param plainLength plaintext bytes of its blobs
     * @param blobs       what it holds, in order
     */
    public record WrittenPack(ChunkId id, int length, long plainLength, List<PackedBlob> blobs) {
        public WrittenPack {
            blobs = List.copyOf(blobs);
        }
    }

    private final ChunkBatch batch;
    private final Lookup lookup;
    private final int target;
    private final int below;
    private final Object lock = new Object();
    // Guarded by lock:
    private final Map<ChunkId, Slot> byBlob = new HashMap<>();
    private List<Slot> pending = new ArrayList<>();
    private long pendingBytes;
    private final List<WrittenPack> written = new ArrayList<>();

    /**
     * @param batch  where packs and large chunks are staged
     * @param lookup the index's packed blobs
     * @param target pack size aimed at, at most {@link ChunkStore#MAX_CHUNK_BYTES} minus {@code below}
     * @param below  sealed chunks smaller than this are packed; 0 packs nothing
     */
    public Packer(ChunkBatch batch, Lookup lookup, int target, int below) {
        if (below < 0 || target < 1 || (long) target + below > ChunkStore.MAX_CHUNK_BYTES) {
            throw new IllegalArgumentException("a pack target of " + target + " bytes for chunks below " + below
                    + " bytes does not fit a store object");
        }
        this.batch = batch;
        this.lookup = lookup;
        this.target = target;
        this.below = below;
    }

    @Override
    public Placed place(SealedChunk sealed) throws IOException {
        if (sealed.ciphertext().length >= below) {
            return Destination.of(batch).place(sealed);
        }
        List<Slot> full = null;
        Slot slot;
        synchronized (lock) {
            Slot earlier = byBlob.get(sealed.id());
            if (earlier != null) {
                return new Again(earlier);
            }
            slot = new Slot(sealed);
            byBlob.put(sealed.id(), slot);
            pending.add(slot);
            pendingBytes += sealed.ciphertext().length;
            if (pendingBytes >= target) {
                full = takePending();
            }
        }
        if (full != null) {
            write(full);
        }
        return slot;
    }

    /** Writes the pending blobs as a last pack; call once every {@link #place} has returned. */
    public void flush() throws IOException {
        List<Slot> rest;
        synchronized (lock) {
            rest = takePending();
        }
        write(rest);
    }

    /** The packs written since the last call, for the commit that makes them referenced. */
    public List<WrittenPack> drainWritten() {
        synchronized (lock) {
            List<WrittenPack> packs = List.copyOf(written);
            written.clear();
            return packs;
        }
    }

    private List<Slot> takePending() {
        List<Slot> taken = pending;
        pending = new ArrayList<>();
        pendingBytes = 0;
        return taken;
    }

    private void write(List<Slot> slots) throws IOException {
        if (slots.isEmpty()) {
            return;
        }
        Map<ChunkId, PackedBlob> known = lookup.find(slots.stream().map(s -> s.blob).toList());
        List<Slot> fresh = new ArrayList<>(slots.size());
        int length = 0;
        for (Slot s : slots) {
            PackedBlob existing = known.get(s.blob);
            if (existing != null && existing.length() == s.length) {
                s.resolve(existing.pack(), existing.offset(), false);
            } else {
                fresh.add(s);
                length += s.length;
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        byte[] pack = new byte[length];
        int[] offsets = new int[fresh.size()];
        long plain = 0;
        int at = 0;
        for (int i = 0; i < fresh.size(); i++) {
            Slot s = fresh.get(i);
            System.arraycopy(s.ciphertext, 0, pack, at, s.length);
            offsets[i] = at;
            at += s.length;
            plain += s.plainLength;
        }
        ChunkId id = ChunkId.ofDigest(sha256(pack));
        boolean isNew = batch.put(id, new ByteArrayInputStream(pack), pack.length);
        List<PackedBlob> blobs = new ArrayList<>(fresh.size());
        for (int i = 0; i < fresh.size(); i++) {
            Slot s = fresh.get(i);
            s.resolve(id, offsets[i], isNew);
            blobs.add(new PackedBlob(s.blob, id, offsets[i], s.length));
        }
        synchronized (lock) {
            written.add(new WrittenPack(id, pack.length, plain, blobs));
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (int done = 0; done < bytes.length; done += 64 * 1024) {
                digest.update(bytes, done, Math.min(64 * 1024, bytes.length - done));
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** A blob waiting for its pack; its entry is known once the pack is written, and its bytes are let go then. */
    private static final class Slot implements Placed {
        private final ChunkId blob;
        private final int plainLength;
        private final int length;
        private final ChunkKey key;
        private byte[] ciphertext; // until written; guarded by the hand-over from place() to write()
        private volatile ChunkEntry entry;
        private volatile boolean isNew;

        Slot(SealedChunk sealed) {
            this.blob = sealed.id();
            this.plainLength = sealed.plainLength();
            this.length = sealed.ciphertext().length;
            this.key = sealed.key();
            this.ciphertext = sealed.ciphertext();
        }

        void resolve(ChunkId pack, int offset, boolean isNew) {
            this.ciphertext = null;
            this.isNew = isNew;
            this.entry = new ChunkEntry(pack, plainLength, length, key, Optional.of(new ChunkEntry.Slice(blob, offset)));
        }

        @Override
        public ChunkEntry entry() {
            ChunkEntry e = entry;
            if (e == null) {
                throw new IllegalStateException("the pack of this chunk was not written yet; flush the packer first");
            }
            return e;
        }

        @Override
        public boolean isNew() {
            entry();
            return isNew;
        }
    }

    /** A blob met again in the same group: the same place, nothing new stored. */
    private record Again(Slot first) implements Placed {
        @Override
        public ChunkEntry entry() {
            return first.entry();
        }

        @Override
        public boolean isNew() {
            return false;
        }
    }
}
