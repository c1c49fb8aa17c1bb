package io.grove.runtime.db;

import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * V17 turns {@code manifests} and {@code versions} into rowid tables: a database written by V16 keeps every row,
 * constraint, index and trigger, on a real SQLite file.
 */
class RowidMigrationTest {
    private static final String M1 = "a".repeat(64);
    private static final String M2 = "b".repeat(64);
    private static final String M3 = "c".repeat(64);
    private static final String CHUNK = "d".repeat(64);

    @TempDir
    Path tmp;

    @Test
    void keepsEveryRowConstraintIndexAndTrigger() {
        Path file = tmp.resolve("grove.db");
        SQLiteDataSource v16 = dataSource(file);
        Flyway.configure(Database.class.getClassLoader()).dataSource(v16)
                .locations("classpath:io/grove/runtime/db/migration").target("16").load().migrate();
        Jdbi old = Jdbi.create(v16);
        old.useTransaction(h -> {
            h.execute("INSERT INTO files (path, file_key, created_at) VALUES ('a.txt', x'0102', 1), ('b.txt', x'0304', 2)");
            h.execute("INSERT INTO manifests (id, blob, author, stored_at) VALUES (?, x'aa', 'CELLA', 10), (?, x'bb', 'CELLA', 11),"
                    + " (?, x'cc', 'CELLB', 12)", M1, M2, M3);
            h.execute("INSERT INTO versions (id, path, hlc, author, parent, size, mtime, media_type, tombstone, chunk_count,"
                    + " created_at) VALUES (?, 'a.txt', 100, 'CELLA', NULL, 5, 1000, 'text/plain', 0, 1, 20),"
                    + " (?, 'a.txt', 101, 'CELLA', ?, 0, 1001, 'text/plain', 1, 0, 21),"
                    + " (?, 'b.txt', 102, 'CELLB', NULL, 7, 1002, 'application/octet-stream', 0, 2, 22)", M1, M2, M1, M3);
            h.execute("INSERT INTO version_chunks (version_id, seq, chunk_id) VALUES (?, 0, ?), (?, 0, ?), (?, 1, ?)",
                    M1, CHUNK, M3, CHUNK, M3, M1);
        });
        Map<String, List<Map<String, Object>>> before = dump(old);

        Database db = Database.open(file);
        try {
            db.jdbi().useHandle(h -> {
                assertThat(h.createQuery("SELECT MAX(CAST(version AS INTEGER)) FROM flyway_schema_history")
                        .mapTo(Integer.class).one()).isGreaterThanOrEqualTo(17);
                assertThat(schema(h, "manifests")).doesNotContainIgnoringCase("WITHOUT ROWID");
                assertThat(schema(h, "versions")).doesNotContainIgnoringCase("WITHOUT ROWID");
                assertThat(schema(h, "version_chunks")).containsIgnoringCase("WITHOUT ROWID");
                assertThat(h.createQuery("SELECT name FROM sqlite_schema WHERE type IN ('index', 'trigger')"
                                + " AND name NOT LIKE 'sqlite_autoindex%'").mapTo(String.class).list())
                        .contains("versions_by_path", "versions_by_parent", "version_chunks_by_chunk",
                                "mark_referenced_by_version", "mark_referenced_by_holding")
                        .noneMatch(name -> name.startsWith("v17_"));
                assertThat(h.createQuery("SELECT name FROM sqlite_schema WHERE name LIKE 'v17_%'").mapTo(String.class).list())
                        .isEmpty();
                assertThat(h.createQuery("PRAGMA integrity_check").mapTo(String.class).list()).containsExactly("ok");
                assertThat(h.createQuery("PRAGMA foreign_key_check").mapToMap().list()).isEmpty();
                // Lookups by id go through the id's unique index, not a scan of the table.
                assertThat(h.createQuery("EXPLAIN QUERY PLAN SELECT blob FROM manifests WHERE id = 'x'")
                        .mapToMap().list().toString()).contains("USING INDEX");
                assertThat(h.createQuery("EXPLAIN QUERY PLAN SELECT path FROM versions WHERE id = 'x'")
                        .mapToMap().list().toString()).contains("USING INDEX");
            });
            assertThat(dump(db.jdbi())).isEqualTo(before);

            db.jdbi().useHandle(h -> {
                // Still enforced: a unique id, a version's manifest and file, a chunk reference's version.
                assertThatThrownBy(() -> h.execute("INSERT INTO manifests (id, blob, author, stored_at) VALUES (?, x'00', 'X', 1)", M1))
                        .hasMessageContaining("UNIQUE");
                assertThatThrownBy(() -> h.execute("INSERT INTO versions (id, path, hlc, author, parent, size, mtime,"
                        + " media_type, tombstone, chunk_count, created_at) VALUES (?, 'a.txt', 1, 'X', NULL, 0, 0, 't', 0, 0, 0)",
                        "e".repeat(64))).hasMessageContaining("FOREIGN KEY");
                assertThatThrownBy(() -> h.execute("INSERT INTO versions (id, path, hlc, author, parent, size, mtime,"
                        + " media_type, tombstone, chunk_count, created_at) VALUES (?, 'missing', 1, 'X', NULL, 0, 0, 't', 0, 0, 0)",
                        M2)).hasMessageContaining("constraint failed");
                assertThatThrownBy(() -> h.execute("INSERT INTO version_chunks (version_id, seq, chunk_id) VALUES (?, 0, ?)",
                        "f".repeat(64), CHUNK)).hasMessageContaining("FOREIGN KEY");
                assertThatThrownBy(() -> h.execute("INSERT INTO version_chunks (version_id, seq, chunk_id) VALUES (?, 0, ?)",
                        M1, CHUNK)).hasMessageContaining("UNIQUE");
                // The reference mark's trigger fires on the rebuilt table.
                h.execute("DELETE FROM index_marks");
                h.execute("INSERT INTO version_chunks (version_id, seq, chunk_id) VALUES (?, 1, ?)", M1, CHUNK);
                assertThat(h.createQuery("SELECT name FROM index_marks").mapTo(String.class).list()).containsExactly("referenced");
            });
        } finally {
            db.close();
        }
    }

    private static SQLiteDataSource dataSource(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.enforceForeignKeys(true);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        return dataSource;
    }

    private static String schema(Handle h, String table) {
        return h.createQuery("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?").bind(0, table)
                .mapTo(String.class).one();
    }

    private static Map<String, List<Map<String, Object>>> dump(Jdbi jdbi) {
        return jdbi.withHandle(h -> Map.of(
                "files", rows(h, "SELECT path, hex(file_key) AS k, created_at FROM files ORDER BY path"),
                "manifests", rows(h, "SELECT id, hex(blob) AS b, author, stored_at FROM manifests ORDER BY id"),
                "versions", rows(h, "SELECT * FROM versions ORDER BY id"),
                "version_chunks", rows(h, "SELECT * FROM version_chunks ORDER BY version_id, seq")));
    }

    private static List<Map<String, Object>> rows(Handle h, String sql) {
        return h.createQuery(sql).mapToMap().list();
    }
}
