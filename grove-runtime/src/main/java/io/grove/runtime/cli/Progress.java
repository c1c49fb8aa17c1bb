package io.grove.runtime.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A progress bar with rate and ETA for a transfer, shown only on a terminal and only once the transfer has taken
 * more than a second (short transfers stay quiet, scripts see nothing).
 */
final class Progress implements AutoCloseable {
    private static final long DELAY_NANOS = 1_000_000_000L;
    private final String task;
    private long total;
    private final long started = System.nanoTime();
    private final boolean terminal = System.console() != null;
    private ProgressBar bar;
    private long done;

    Progress(String task, long total) {
        this.task = task;
        this.total = total;
    }

    /** Sets the total once it is known (before the bar shows). */
    void total(long bytes) {
        total = bytes;
    }

    /** Moves the bar to {@code bytes} done in all. */
    void reached(long bytes) {
        advance(bytes - done);
    }

    /** Moves a shown bar to its end: the work is done, whatever the last step reported. */
    void done() {
        if (bar != null) {
            bar.stepTo(Math.max(done, total));
        }
    }

    void advance(long bytes) {
        done += bytes;
        if (bar == null && terminal && System.nanoTime() - started > DELAY_NANOS) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total > 0 ? total : -1)
                    .setStyle(ProgressBarStyle.ASCII).setUnit("MiB", 1 << 20).showSpeed().setUpdateIntervalMillis(250)
                    .continuousUpdate().build();
        }
        if (bar != null) {
            bar.stepTo(done);
        }
    }

    /** Wraps a stream so that reading it advances the bar. */
    InputStream track(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    advance(1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    advance(n);
                }
                return n;
            }
        };
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
