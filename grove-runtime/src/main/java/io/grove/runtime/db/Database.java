package io.grove.runtime.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
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
 *
 * <p>Connections are pooled (HikariCP): opening a SQLite connection and applying its settings costs about a
 * millisecond on this kind of machine, 25 times a simple query on an open one, and the cell opens a handle for
 * almost every request, placement update and background look. Each handle still has its connection to itself
 * while it is open.
 */
public final class Database implements AutoCloseable {
    /** Connections open at most; more handles at once wait up to {@link #BORROW_TIMEOUT_MS} for one. */
    static final int MAX_CONNECTIONS = 16;
    private static final long BORROW_TIMEOUT_MS = 30_000;
    private static final long IDLE_TIMEOUT_MS = 60_000;

    private final Jdbi jdbi;
    private final Path file;
    private final HikariDataSource pool;

    private Database(Path file, Jdbi jdbi, HikariDataSource pool) {
        this.file = file;
        this.jdbi = jdbi;
        this.pool = pool;
    }

    /** Opens (creating if needed) and migrates the database at {@code file}. */
    public static Database open(Path file) {
        SqliteNative.extractInto(file.toAbsolutePath().getParent().resolve("tmp"));
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
        HikariConfig poolConfig = new HikariConfig();
        poolConfig.setDataSource(dataSource); // each new connection gets the settings above
        poolConfig.setPoolName("grove-db");
        poolConfig.setMaximumPoolSize(MAX_CONNECTIONS);
        // Connections are opened on demand only, never by the pool's own thread (which would also recreate the
        // files of a database whose folder is being deleted), and an idle one's page cache goes back after a minute.
        poolConfig.setMinimumIdle(0);
        poolConfig.setIdleTimeout(IDLE_TIMEOUT_MS);
        poolConfig.setConnectionTimeout(BORROW_TIMEOUT_MS);
        poolConfig.setInitializationFailTimeout(-1); // the migration above already proved the file opens
        HikariDataSource pool = new HikariDataSource(poolConfig);
        return new Database(file, Jdbi.create(pool), pool);
    }

    /** The jdbi handle factory for queries and transactions. */
    public Jdbi jdbi() {
        return jdbi;
    }

    public Path file() {
        return file;
    }

    /** Closes the pooled connections (SQLite checkpoints the WAL when the last one closes). */
    @Override
    public void close() {
        pool.close();
    }
}
