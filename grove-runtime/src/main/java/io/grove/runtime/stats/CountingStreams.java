package io.grove.runtime.stats;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Streams that record the bytes passing through them in a {@link TransferMeter}, as they pass. */
public final class CountingStreams {
    private CountingStreams() {
    }

    /** {@code in}, counting what is read as {@code kind}. */
    public static InputStream in(InputStream in, TransferMeter meter, TransferMeter.Kind kind) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    meter.record(kind, 1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                meter.record(kind, n);
                return n;
            }
        };
    }

    /** {@code out}, counting what is written as {@code kind}. */
    public static OutputStream out(OutputStream out, TransferMeter meter, TransferMeter.Kind kind) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
                meter.record(kind, 1);
            }

            @Override
            public void write(byte[] buffer, int offset, int length) throws IOException {
                out.write(buffer, offset, length);
                meter.record(kind, length);
            }
        };
    }
}
