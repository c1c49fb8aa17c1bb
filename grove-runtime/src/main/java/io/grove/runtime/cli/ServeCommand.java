package io.grove.runtime.cli;

import io.grove.runtime.Cell;
import io.grove.runtime.config.GroveConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code grove serve}: runs the cell until interrupted (Ctrl-C, SIGTERM). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run this cell: the REST API and dashboard, and the peer socket. Initialises the folder on first start.")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    CellDirOption dir;

    @Option(names = "--port", paramLabel = "PORT", description = "API and dashboard port (api.port, default 5678).")
    Integer port;

    @Option(names = "--peer-port", paramLabel = "PORT", description = "Peer socket port (peer.port, default 5679).")
    Integer peerPort;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "API and dashboard address (api.bind, default 127.0.0.1).")
    String bind;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Set any configuration key; repeatable.")
    List<String> assignments = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> overrides = new LinkedHashMap<>(GroveConfig.parseAssignments(assignments));
        if (port != null) {
            overrides.put("api.port", Integer.toString(port));
        }
        if (peerPort != null) {
            overrides.put("peer.port", Integer.toString(peerPort));
        }
        if (bind != null) {
            overrides.put("api.bind", bind);
        }
        Cell cell = Cell.start(dir.folder(), overrides, System.getenv(), Distribution.home());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cell.close();
            // java.util.logging shuts down in a hook of its own, so say it directly.
            System.err.println("grove: cell " + cell.id().shortForm() + " stopped");
            stopped.countDown();
        }, "grove-shutdown"));
        System.out.println("Grove cell " + cell.id().grouped() + " (" + cell.settings().label() + ")");
        System.out.println("  dashboard and API: " + cell.apiUrl());
        System.out.println("  peer socket:       " + cell.settings().peerBind() + ":" + cell.peerPort());
        System.out.println("  cell folder:       " + cell.folder().dir());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
