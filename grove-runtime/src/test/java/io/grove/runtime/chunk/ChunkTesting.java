package io.grove.runtime.chunk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/** Shared fixtures for the chunking tests: seeded data, keys and helpers that drain a reader. */
final class ChunkTesting {
    static final int KIB = 1024;
    static final int MIB = 1024 * KIB;
    /** Small sizes so that tests over tens of MiB still see hundreds of chunks and run fast. */
    static final ChunkingParams SMALL = new ChunkingParams(64 * KIB, 256 * KIB, MIB);

    private ChunkTesting() {
    }

    static byte[] key(int seed) {
        return random(seed, 32);
    }

    static byte[] random(long seed, int length) {
        byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    static List<PlainChunk> chunkAll(ChunkReader reader) throws IOException {
        List<PlainChunk> chunks = new ArrayList<>();
        for (Optional<PlainChunk> c = reader.next(); c.isPresent(); c = reader.next()) {
            chunks.add(c.get());
        }
        return chunks;
    }

    static byte[] concat(List<PlainChunk> chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (PlainChunk c : chunks) {
            out.writeBytes(c.data());
        }
        return out.toByteArray();
    }

    static List<Integer> lengths(List<PlainChunk> chunks) {
        return chunks.stream().map(PlainChunk::length).toList();
    }

    /** A stream that hands out at most {@code maxPerRead} bytes per call, like a slow socket. */
    static final class TricklingStream extends InputStream {
        private final byte[] data;
        private final int maxPerRead;
        private final SplittableRandom random = new SplittableRandom(7);
        private int pos;

        TricklingStream(byte[] data, int maxPerRead) {
            this.data = data;
            this.maxPerRead = maxPerRead;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + random.nextInt(maxPerRead)), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    /** Pseudo-random bytes of a given length, generated on the fly so huge inputs need no memory. */
    static final class GeneratedStream extends InputStream {
        private final SplittableRandom random;
        private long remaining;

        GeneratedStream(long seed, long length) {
            this.random = new SplittableRandom(seed);
            this.remaining = length;
        }

        @Override
        public int read() {
            if (remaining == 0) {
                return -1;
            }
            remaining--;
            return random.nextInt(256);
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            // Whole longs at a time: generating the input must not dominate the test's run time.
            int i = 0;
            for (; i + 8 <= n; i += 8) {
                long r = random.nextLong();
                for (int k = 0; k < 8; k++) {
                    b[off + i + k] = (byte) (r >>> (8 * k));
                }
            }
            for (; i < n; i++) {
                b[off + i] = (byte) random.nextInt(256);
            }
            remaining -= n;
            return n;
        }
    }
}
