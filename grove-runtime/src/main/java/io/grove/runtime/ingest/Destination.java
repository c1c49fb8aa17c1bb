package io.grove.runtime.ingest;

import io.grove.api.store.ChunkBatch;
import io.grove.runtime.crypto.SealedChunk;
import io.grove.runtime.manifest.ChunkEntry;

import java.io.ByteArrayInputStream;
import java.io.IOException;

/** Where the ingest puts sealed chunks: each into the store as an object of its own, or into packs ({@link Packer}). */
public interface Destination {

    /**
     * Stages one sealed chunk; called from several workers at once.
     *
     * @return where it went; its entry may be known only once the destination is flushed (a pack still open)
     */
    Placed place(SealedChunk sealed) throws IOException;

    /** Every chunk into {@code batch} as an object of its own. */
    static Destination of(ChunkBatch batch) {
        return sealed -> {
            byte[] ciphertext = sealed.ciphertext();
            boolean isNew = batch.put(sealed.id(), new ByteArrayInputStream(ciphertext), ciphertext.length);
            return new Whole(new ChunkEntry(sealed.id(), sealed.plainLength(), ciphertext.length, sealed.key()), isNew);
        };
    }

    /** A staged chunk. */
    interface Placed {
        /** Its manifest entry; for a packed chunk, valid once its destination was flushed. */
        ChunkEntry entry();

        /** Whether its bytes were new to the store (false when deduplicated). */
        boolean isNew();
    }

    /** A chunk stored as an object of its own. */
    record Whole(ChunkEntry entry, boolean isNew) implements Placed {
    }
}
