package io.grove.runtime.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Optional;

/** Options of every command that talks to a running cell. */
final class ClientOptions {
    @Mixin
    CellDirOption dir;

    @Option(names = "--url", paramLabel = "URL", description = "The cell's API (default: $GROVE_URL, else the address the cell serving from the folder recorded).")
    String url;

    @Option(names = "--json", description = "Print JSON for scripts instead of text for humans.")
    boolean json;

    ApiClient client() {
        return ApiClient.connect(dir.folder(), Optional.ofNullable(url));
    }
}
