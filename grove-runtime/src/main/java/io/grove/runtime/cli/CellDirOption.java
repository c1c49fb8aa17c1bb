package io.grove.runtime.cli;

import io.grove.runtime.cell.CellFolder;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;

/** The {@code --dir} option every command that uses a cell folder shares. */
final class CellDirOption {
    @Option(names = "--dir", paramLabel = "DIR",
            description = "The cell folder (default: $GROVE_DIR, else ~/.grove).")
    Path dir;

    CellFolder folder() {
        return CellFolder.locate(Optional.ofNullable(dir), System.getenv());
    }
}
