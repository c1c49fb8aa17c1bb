package io.grove.runtime.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;

/**
 * The cell's SQLite database ({@code grove.db}): WAL journal, full synchronous commits (a committed transaction
 * survives power loss), foreign keys on, and schema migrations applied by Flyway from
 * {@code io/grove/runtime/db/migration} before first use.
 */
public final class Database {
    private final Jdbi jdbi;
    private final Path file;

    private Database(Path file, Jdbi jdbi) {
        this.file = file;
        this.jdbi = jdbi;
    }

    /** Opens (creating if needed) and migrates the database at {@code file}. */
    public static Database open(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(10_000);
        // Transactions take the write lock when they begin, waiting up to the busy timeout. A deferred transaction
        // that reads and then writes gets SQLITE_BUSY at once, without waiting, when another connection committed
        // in between (SQLite cannot upgrade its stale snapshot); many threads write here (ingest, sync, routes).
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        try {
            Flyway.configure(Database.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations("classpath:io/grove/runtime/db/migration")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new DatabaseException("cannot open or migrate " + file + ": " + e.getMessage(), e);
        }
        return new Database(file, Jdbi.create(dataSource));
    }

    /** The jdbi handle factory for queries and transactions. */
    public Jdbi jdbi() {
        return jdbi;
    }

    public Path file() {
        return file;
    }
}
