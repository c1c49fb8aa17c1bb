package io.grove.runtime.chunk;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;

/**
 * Content-defined chunking with FastCDC (Xia et al., "FastCDC: a Fast and Efficient Content-Defined Chunking
 * Approach for Data Deduplication", USENIX ATC 2016), so that an insertion or deletion in the middle of a file
 * changes only the chunks around it and the rest deduplicate against the previous version.
 *
 * <p>The three ideas from the paper, all used here:
 * <ul>
 *   <li><b>Gear hash</b>: {@code h = (h << 1) + gear[byte]}, one shift and one add per byte; a byte's
 *       influence is shifted out after 64 steps, so the hash is a rolling hash over a 64-byte window without
 *       ever subtracting. The table is keyed (see {@link GearTable}).</li>
 *   <li><b>Cut-point skipping</b>: the first {@code minSize} bytes of a chunk cannot end it, so they are not
 *       hashed at all.</li>
 *   <li><b>Normalized chunking</b> (level 2): before {@code avgSize} a cut needs log2(avg)+2 hash bits to be
 *       zero, after it only log2(avg)−2, which pulls chunk sizes towards the average.</li>
 * </ul>
 * The mask bits are spread over the high 48 bits of the hash: bit <i>p</i> depends on the last <i>p</i>+1
 * bytes, so high bits give each cut decision the widest window (the paper pads its masks with zeros for the
 * same reason).
 *
 * <p>Immutable and thread-safe; each reader is for one thread.
 */
public final class FastCdcChunker implements Chunker {
    /** Bits the gear hash remembers: a byte shifted this far is gone. */
    private static final int WINDOW = Long.SIZE;

    private final long[] gear;
    private final ChunkingParams params;
    private final int min;
    private final int avg;
    private final int max;
    private final long maskS;
    private final long maskL;

    /** FastCDC with the default 1 / 4 / 16 MiB sizes. */
    public FastCdcChunker(GearTable gear) {
        this(gear, ChunkingParams.defaults());
    }

    /** FastCDC with the given sizes. */
    public FastCdcChunker(GearTable gear, ChunkingParams params) {
        if (gear == null || params == null) {
            throw new IllegalArgumentException("FastCDC needs a gear table and chunking parameters");
        }
        this.gear = gear.values();
        this.params = params;
        this.min = params.minSize();
        this.avg = params.avgSize();
        this.max = params.maxSize();
        int bits = Integer.numberOfTrailingZeros(avg);
        this.maskS = spreadMask(bits + 2);
        this.maskL = spreadMask(Math.max(1, bits - 2));
    }

    /** The size bounds in use. */
    public ChunkingParams params() {
        return params;
    }

    @Override
    public ChunkReader open(InputStream in) {
        return open(in, -1);
    }

    @Override
    public ChunkReader open(InputStream in, long expectedBytes) {
        if (in == null) {
            throw new IllegalArgumentException("input stream is required");
        }
        return new Reader(this, in, expectedBytes);
    }

    /**
     * The length of the first chunk of {@code data[offset, offset+length)}, taking the end of the range as the
     * end of the stream when it comes before {@code maxSize}. Pure and allocation-free: the stage to benchmark,
     * and usable directly on a memory-mapped region.
     *
     * @param data   array holding the stream's next bytes
     * @param offset where the chunk starts
     * @param length bytes available from {@code offset}
     * @return between 1 and {@code min(length, maxSize)}, or 0 if {@code length} is 0
     * @throws IllegalArgumentException if the range is not inside {@code data}
     */
    public int cutPoint(byte[] data, int offset, int length) {
        if (data == null || offset < 0 || length < 0 || offset > data.length - length) {
            throw new IllegalArgumentException("range [" + offset + ", " + offset + "+" + length + ") is outside a "
                    + (data == null ? "missing array" : data.length + "-byte array"));
        }
        int window = Math.min(length, max);
        if (window > min) {
            int cut = findCut(data, offset, min, window);
            if (cut > 0) {
                return cut;
            }
        }
        return window;
    }

    /**
     * Looks for a cut point at chunk-relative positions {@code [from, to)} of the chunk starting at
     * {@code data[chunkStart]}, where {@code min <= from} and no cut exists before {@code from}.
     *
     * <p>Resuming at {@code from} needs the hash state there; rather than carry it between calls it is rebuilt
     * from the 64 bytes before {@code from} (or from {@code min}), which reproduces it exactly because older
     * bytes have been shifted out. This costs 64 steps per refill and keeps this method a pure function.
     *
     * @return the chunk length (position after the byte that completed the match), or -1 if there is no cut
     */
    int findCut(byte[] data, int chunkStart, int from, int to) {
        long[] g = gear;
        if (g.length != GearTable.SIZE) {
            // Never true; it tells C2 the table length so it drops the range check on g[byte & 0xff] below,
            // worth ~15% of the loop's speed.
            throw new IllegalStateException("gear table must have 256 entries");
        }
        long h = 0;
        for (int i = chunkStart + Math.max(min, from - WINDOW), end = chunkStart + from; i < end; i++) {
            h = (h << 1) + g[data[i] & 0xff];
        }
        long strict = maskS;
        long loose = maskL;
        int i = chunkStart + from;
        int normalEnd = chunkStart + Math.min(avg, to);
        for (; i < normalEnd; i++) {
            h = (h << 1) + g[data[i] & 0xff];
            if ((h & strict) == 0) {
                return i + 1 - chunkStart;
            }
        }
        int end = chunkStart + to;
        for (; i < end; i++) {
            h = (h << 1) + g[data[i] & 0xff];
            if ((h & loose) == 0) {
                return i + 1 - chunkStart;
            }
        }
        return -1;
    }

    /** A mask of {@code bits} one-bits spread evenly over bit positions 63 down to 16. */
    static long spreadMask(int bits) {
        long mask = 0;
        for (int j = 0; j < bits; j++) {
            mask |= 1L << (63 - j * 48 / bits);
        }
        return mask;
    }

    /**
     * Pulls the stream through a window buffer that grows from 64 KiB up to twice the maximum chunk size (so
     * small files stay cheap and a 10 GiB file needs 32 MiB at default sizes).
     *
     * <p>The buffer is refilled only when the scan reaches its end, never to a full {@code maxSize} look-ahead,
     * so when room runs out only the unfinished chunk has to move to the front — on average half a chunk per
     * buffer-full, not a whole {@code maxSize}.
     */
    static final class Reader implements ChunkReader {
        private static final int INITIAL_BUFFER = 64 * 1024;
        /** Refill step: big enough to amortise the call, small enough to scan while still in cache. */
        private static final int READ_SIZE = 1024 * 1024;
        private static final byte[] EMPTY = new byte[0];

        private final FastCdcChunker chunker;
        private final InputStream in;
        private final int bufferLimit;
        private byte[] buf;
        /** Unconsumed bytes are {@code buf[start, end)}; {@code buf[start]} begins the current chunk. */
        private int start;
        private int end;
        /** Chunk-relative position before which the current chunk is known to have no cut point. */
        private int scanned;
        /** File offset of {@code buf[start]}. */
        private long offset;
        private boolean eof;

        /**
         * @param expectedBytes what the stream should hold, or negative: a stream expected to be shorter than the
         *                      first buffer gets a buffer of its size plus {@link PlainChunk#SEAL_ROOM}, so that when
         *                      it holds exactly that, the buffer becomes its one chunk (no second array, no copy)
         */
        Reader(FastCdcChunker chunker, InputStream in, long expectedBytes) {
            this.chunker = chunker;
            this.in = in;
            this.bufferLimit = 2 * chunker.max;
            int initial = Math.min(INITIAL_BUFFER, bufferLimit);
            if (expectedBytes >= 0 && expectedBytes < initial - PlainChunk.SEAL_ROOM) {
                initial = (int) expectedBytes + PlainChunk.SEAL_ROOM;
            }
            this.buf = new byte[initial];
            this.scanned = chunker.min;
        }

        @Override
        public Optional<PlainChunk> next() throws IOException {
            while (true) {
                int available = end - start;
                int window = Math.min(available, chunker.max);
                if (window > scanned) {
                    int cut = chunker.findCut(buf, start, scanned, window);
                    if (cut > 0) {
                        return Optional.of(take(cut));
                    }
                    scanned = window;
                }
                if (available >= chunker.max) {
                    return Optional.of(take(chunker.max));
                }
                if (eof) {
                    if (available == 0) {
                        buf = EMPTY; // the reader may outlive its stream; let the window go
                        return Optional.empty();
                    }
                    return Optional.of(take(available));
                }
                fill();
            }
        }

        private PlainChunk take(int length) {
            PlainChunk chunk;
            if (eof && start == 0 && end == length && buf.length == length + PlainChunk.SEAL_ROOM) {
                // The whole stream, in a buffer sized for it: the buffer becomes the chunk, without a copy.
                chunk = new PlainChunk(offset, buf, length);
                buf = EMPTY;
                end = 0;
            } else {
                byte[] copy = new byte[length + PlainChunk.SEAL_ROOM]; // room to seal in place
                System.arraycopy(buf, start, copy, 0, length);
                chunk = new PlainChunk(offset, copy, length);
                start += length;
            }
            offset += length;
            scanned = chunker.min;
            return chunk;
        }

        private void fill() throws IOException {
            if (end == buf.length) {
                makeRoom();
            }
            int want = Math.min(READ_SIZE, buf.length - end);
            // readNBytes blocks until it has `want` bytes or the stream ends, so a stream that trickles a few
            // bytes per read() does not turn into many tiny scans.
            int got = in.readNBytes(buf, end, want);
            end += got;
            if (got < want) {
                eof = true;
            }
        }

        /** Moves the unfinished chunk to the front, into a larger buffer if it fills more than half. */
        private void makeRoom() {
            int pending = end - start;
            byte[] target = buf;
            if (pending > buf.length / 2 && buf.length < bufferLimit) {
                target = new byte[(int) Math.min(bufferLimit, 2L * buf.length)];
            }
            // pending < max <= bufferLimit / 2 here (a full max-size window is always taken first), so at the
            // limit, compaction alone frees at least half the buffer.
            System.arraycopy(buf, start, target, 0, pending);
            buf = target;
            start = 0;
            end = pending;
        }

        /** Current size of the window buffer; for tests of the memory bound. */
        int bufferCapacity() {
            return buf.length;
        }
    }
}
