package io.grove.runtime.cli;

import io.grove.runtime.cell.CellFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code grove init}: creates the cell folder, configuration, keys and API token; never replaces existing ones. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Create a cell folder: grove.yaml, keys (0600) and api.token. Existing files are kept.")
final class InitCommand implements Callable<Integer> {
    @Mixin
    CellDirOption dir;

    @Override
    public Integer call() throws IOException {
        CellFolder folder = dir.folder();
        List<String> created = folder.init(Distribution.home().map(d -> d.resolve("conf").resolve("grove.yaml")));
        String id = folder.keys().cellId().grouped();
        if (created.isEmpty()) {
            System.out.println("Cell folder " + folder.dir() + " is already initialised; nothing changed.");
        } else {
            created.forEach(path -> System.out.println("created " + path));
        }
        System.out.println("Cell id: " + id);
        return 0;
    }
}
