package io.grove.runtime.fleet;

import io.grove.testing.ManualClock;

import io.grove.runtime.cell.CellFolder;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.db.Database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** Real cells for fleet tests: keys from a fresh cell folder, a real SQLite database, a clock the test moves. */
final class FleetTesting {
    private FleetTesting() {
    }

    /** A cell folder, its keys, database and roster book, in a fresh directory under {@code parent}. */
    record TestCell(CellKeys keys, Database db, RosterBook book, ManualClock clock) {
        static TestCell create(Path parent, String name, ManualClock clock) {
            try {
                Path dir = Files.createDirectories(parent.resolve(name));
                CellFolder folder = new CellFolder(dir);
                folder.init(Optional.empty());
                CellKeys keys = folder.keys();
                Database db = Database.open(folder.database());
                return new TestCell(keys, db, new RosterBook(db, keys, clock), clock);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Member asMember(String label, Role role) {
            return new Member(keys.cellId(), keys.signingPublicKey(), keys.agreementPublicKey(), label, role, false);
        }

        /** A fresh book over the same database, as after a restart. */
        RosterBook reopened() {
            return new RosterBook(db, keys, clock);
        }
    }


    static ManualClock clock() {
        return new ManualClock(Instant.parse("2025-03-01T12:00:00Z"));
    }
}
