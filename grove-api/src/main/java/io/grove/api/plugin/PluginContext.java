package io.grove.api.plugin;

import io.grove.api.CellId;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;

/**
 * What the runtime grants one plugin instance. Plugins use these rather than their own threads, clocks or
 * folders, so that the runtime can account for, test and shut them down.
 */
public interface PluginContext {

    /** The id of the instance this context belongs to ({@code direct} for {@code transports.direct}). */
    String instanceId();

    /** The cell this instance runs in. */
    CellId cellId();

    /**
     * A folder owned by this instance, inside the cell folder ({@code <cell>/plugins/<instance id>}), created
     * on first use. The instance may keep anything there; nothing else writes to it.
     */
    Path dataDir();

    /** The cell folder itself, for plugins whose data has a documented place there (the default chunk store). */
    Path cellDir();

    /**
     * An executor for background and blocking work (virtual threads). Tasks still running at shutdown are
     * interrupted after the instance is closed.
     */
    ExecutorService executor();

    /** The clock to read time from; tests substitute a fixed or stepping clock. */
    Clock clock();

    /** A logger named after the plugin and instance. Never log secrets. */
    System.Logger logger();
}
