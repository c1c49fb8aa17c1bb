package io.grove.runtime.cli;

import java.util.logging.Level;
import java.util.logging.Logger;

/** One-line log records on standard error, for humans and for journald alike. */
final class Logging {
    /** Held: java.util.logging keeps only weak references to loggers, and a collected one forgets its level. */
    private static final Logger QUIET = Logger.getLogger("com.zaxxer.hikari");

    private Logging() {
    }

    static void configure() {
        if (System.getProperty("java.util.logging.config.file") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$-7s %3$s: %5$s%6$s%n");
            // Re-read the format: the root handler may have been created before the property was set.
            java.util.logging.LogManager.getLogManager().reset();
            java.util.logging.ConsoleHandler handler = new java.util.logging.ConsoleHandler();
            handler.setLevel(Level.ALL);
            handler.setFormatter(new java.util.logging.SimpleFormatter());
            Logger root = Logger.getLogger("");
            root.addHandler(handler);
            root.setLevel(Level.INFO);
            QUIET.setLevel(Level.WARNING); // the database pool's start and stop say nothing a user needs
        }
    }
}
