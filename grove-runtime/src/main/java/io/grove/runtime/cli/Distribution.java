package io.grove.runtime.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The unpacked distribution the CLI runs from, as set by {@code bin/grove} ({@code -Dgrove.home}). */
final class Distribution {
    private Distribution() {
    }

    static Optional<Path> home() {
        return Optional.ofNullable(System.getProperty("grove.home"))
                .map(Path::of)
                .filter(Files::isDirectory);
    }
}
