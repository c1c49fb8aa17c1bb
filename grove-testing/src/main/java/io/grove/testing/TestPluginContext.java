package io.grove.testing;

import io.grove.api.CellId;
import io.grove.api.plugin.PluginContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A {@link PluginContext} for tests: a cell folder of the test's choosing, a clock it can fix, and a
 * virtual-thread executor that {@link #close()} shuts down, so a plugin that leaks work fails its test.
 */
public final class TestPluginContext implements PluginContext, AutoCloseable {
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private final String instanceId;
    private final CellId cellId;
    private final Path cellDir;
    private final Clock clock;
    private final System.Logger logger;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private TestPluginContext(Builder builder) {
        this.instanceId = builder.instanceId;
        this.cellId = builder.cellId;
        this.cellDir = builder.cellDir;
        this.clock = builder.clock;
        this.logger = System.getLogger("io.grove.plugin." + instanceId);
    }

    /** A context with instance id {@code test}, a random cell id and the system clock. */
    public static TestPluginContext of(Path cellDir) {
        return builder(cellDir).build();
    }

    /** Starts a context whose cell folder is {@code cellDir} (typically a JUnit {@code @TempDir}). */
    public static Builder builder(Path cellDir) {
        return new Builder(cellDir);
    }

    @Override
    public String instanceId() {
        return instanceId;
    }

    @Override
    public CellId cellId() {
        return cellId;
    }

    @Override
    public Path dataDir() {
        Path dir = cellDir.resolve("plugins").resolve(instanceId);
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create plugin data folder " + dir, e);
        }
    }

    @Override
    public Path cellDir() {
        return cellDir;
    }

    @Override
    public ExecutorService executor() {
        return executor;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public System.Logger logger() {
        return logger;
    }

    /**
     * Interrupts tasks still running, as the runtime does after closing an instance.
     *
     * @throws IllegalStateException if a task ignores the interrupt for five seconds
     */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("plugin tasks of " + instanceId + " still run "
                        + SHUTDOWN_GRACE.toSeconds() + "s after being interrupted");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sets what a test cares about; everything else has a sensible default. */
    public static final class Builder {
        private final Path cellDir;
        private String instanceId = "test";
        private CellId cellId;
        private Clock clock = Clock.systemUTC();

        private Builder(Path cellDir) {
            if (cellDir == null) {
                throw new IllegalArgumentException("a test plugin context needs a cell folder");
            }
            this.cellDir = cellDir;
        }

        /** The instance id, {@code test} by default. */
        public Builder instanceId(String instanceId) {
            if (instanceId == null || instanceId.isBlank()) {
                throw new IllegalArgumentException("instance id must not be blank");
            }
            this.instanceId = instanceId;
            return this;
        }

        /** A fixed cell id, for tests that compare it; otherwise one is derived from a random key. */
        public Builder cellId(CellId cellId) {
            if (cellId == null) {
                throw new IllegalArgumentException("cell id must not be null");
            }
            this.cellId = cellId;
            return this;
        }

        /** The clock plugins read, the system clock by default. */
        public Builder clock(Clock clock) {
            if (clock == null) {
                throw new IllegalArgumentException("clock must not be null");
            }
            this.clock = clock;
            return this;
        }

        public TestPluginContext build() {
            if (cellId == null) {
                byte[] publicKey = new byte[32];
                new SecureRandom().nextBytes(publicKey);
                cellId = CellId.ofPublicKey(publicKey);
            }
            return new TestPluginContext(this);
        }
    }
}
