package io.grove.runtime.files;

import io.grove.api.store.ChunkStore;
import io.grove.runtime.crypto.ChunkOpener;
import io.grove.runtime.crypto.CorruptChunkException;
import io.grove.runtime.manifest.ChunkEntry;
import io.grove.runtime.manifest.Manifest;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Streams a byte range of a version: each chunk is read, checked against its id and its authentication tag,
 * decrypted and sliced, while the next chunks are fetched and opened. A chunk that fails a check is never
 * written. The first chunk is opened before anything is sent, so a missing or corrupt start fails the request
 * with an error status rather than a broken body.
 */
final class ContentWriter {
    private static final int READ_AHEAD = 2;

    private final ChunkStore store;
    private final ExecutorService workers;
    private volatile ChunkSource fleet = ChunkSource.NONE;

    ContentWriter(ChunkStore store, ExecutorService workers) {
        this.store = store;
        this.workers = workers;
    }

    /** A range being read: the first chunk is already open. */
    final class Stream implements AutoCloseable {
        private final List<ChunkEntry> chunks;
        private final long from;
        private final long to;
        private final Deque<Future<byte[]>> ahead = new ArrayDeque<>();
        private int next;
        private int current;
        private long position;
        private byte[] first;

        private Stream(Manifest manifest, long from, long to) throws IOException {
            this.chunks = manifest.chunks();
            this.from = from;
            this.to = to;
            while (current < chunks.size() && position + chunks.get(current).plainLength() <= from) {
                position += chunks.get(current).plainLength();
                current++;
            }
            next = current;
            fill();
            if (!ahead.isEmpty() && from < to) {
                first = take();
            }
        }

        /** Writes the range to {@code out}. */
        void writeTo(OutputStream out) throws IOException {
            for (; current < chunks.size() && position < to; current++) {
                byte[] plain = first != null ? first : take();
                first = null;
                fill();
                int sliceFrom = (int) Math.max(0, from - position);
                int sliceTo = (int) Math.min(plain.length, to - position);
                out.write(plain, sliceFrom, sliceTo - sliceFrom);
                position += plain.length;
            }
        }

        private void fill() {
            while (next < chunks.size() && ahead.size() < READ_AHEAD && positionOf(next) < to) {
                ChunkEntry entry = chunks.get(next++);
                ahead.add(workers.submit(() -> open(entry, true)));
            }
        }

        private long positionOf(int index) {
            long p = position;
            for (int i = current; i < index; i++) {
                p += chunks.get(i).plainLength();
            }
            return p;
        }

        private byte[] take() throws IOException {
            try {
                return ahead.removeFirst().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("read interrupted");
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException("reading a chunk failed", e.getCause());
            }
        }

        @Override
        public void close() {
            ahead.forEach(f -> f.cancel(true));
            ahead.clear();
        }
    }

    /** Starts reading bytes {@code [from, to)} of {@code manifest}'s content. */
    Stream open(Manifest manifest, long from, long to) throws IOException {
        return new Stream(manifest, from, to);
    }

    /**
     * Reads, verifies and decrypts one chunk: a whole object, or its slice of a pack, checked against the blob id
     * the manifest records (the rest of the pack is not read).
     */
    byte[] open(ChunkEntry entry) throws IOException {
        return open(entry, false);
    }

    /**
     * Like {@link #open(ChunkEntry)}; with {@code fromFleet}, a chunk missing or damaged here is fetched from
     * another cell of the fleet ({@link #fetchMissingFrom}), checked against its id, and opened instead.
     */
    byte[] open(ChunkEntry entry, boolean fromFleet) throws IOException {
        try {
            return open(entry, store.get(entry.id()));
        } catch (MissingChunkException | CorruptChunkException e) {
            if (!fromFleet) {
                throw e;
            }
            Optional<byte[]> fetched = fleet.fetch(entry.id(), e instanceof CorruptChunkException);
            if (fetched.isEmpty()) {
                throw e;
            }
            return open(entry, Optional.of(new ByteArrayInputStream(fetched.get())));
        }
    }

    /** Where chunks this cell lacks (or holds damaged) are fetched from: the fleet, once the cell is in one. */
    void fetchMissingFrom(ChunkSource source) {
        this.fleet = source;
    }

    private byte[] open(ChunkEntry entry, Optional<InputStream> stream) throws IOException {
        if (stream.isEmpty()) {
            throw new MissingChunkException(entry.id());
        }
        byte[] ciphertext;
        try (InputStream in = stream.get()) {
            if (entry.slice().isPresent()) {
                long offset = entry.slice().get().offset();
                try {
                    in.skipNBytes(offset);
                } catch (EOFException e) {
                    throw new CorruptChunkException(entry.id(), "the pack is shorter than a slice the manifest records",
                            e);
                }
            }
            // One array of the recorded size, filled by a few large reads: readNBytes(int) would read 16 KiB at a
            // time into pieces and then copy them together.
            ciphertext = new byte[entry.storedLength()];
            int got = in.readNBytes(ciphertext, 0, ciphertext.length);
            boolean longer = entry.slice().isEmpty() && got == ciphertext.length && in.read() >= 0;
            if (got != ciphertext.length || longer) {
                throw new CorruptChunkException(entry.id(), "the store holds " + (longer ? "more" : "fewer")
                        + " bytes than the manifest records", null);
            }
        }
        byte[] plain;
        try {
            plain = ChunkOpener.open(entry.sealedId(), entry.key(), ciphertext);
        } catch (CorruptChunkException e) {
            if (entry.slice().isEmpty()) {
                throw e;
            }
            // Name the stored object: it is what a peer can replace.
            throw new CorruptChunkException(entry.id(), "the slice at " + entry.slice().get().offset() + " of this pack: "
                    + e.reason(), e);
        }
        if (plain.length != entry.plainLength()) {
            throw new CorruptChunkException(entry.id(), "it decrypts to a length the manifest does not record", null);
        }
        return plain;
    }
}
