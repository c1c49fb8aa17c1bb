package io.grove.browser;

import io.grove.runtime.Cell;
import io.grove.runtime.cell.CellFolder;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The cells of the browser tests: in this JVM, on ports the system picks, peers on loopback only, no mDNS. */
final class BrowserCells {
    private BrowserCells() {
    }

    /** Settings of a cell in a test fleet labelled {@code label}: gossip every 300 ms, peer calls time out in 5 s. */
    static Map<String, String> fleetSettings(String label) {
        Map<String, String> settings = new HashMap<>(Map.of("api.port", "0", "peer.port", "0", "peer.bind", "127.0.0.1",
                "plugins.classpath", "true", "ingest.warm-up", "false", "transports.lan.enabled", "false",
                "fleet.gossip-interval", "300ms", "peer.timeout", "15s"));
        settings.put("cell.label", label);
        return settings;
    }

    /** Starts a cell in {@code folder}. */
    static Cell start(Path folder, Map<String, String> settings) {
        return Cell.start(new CellFolder(folder), settings, Map.of(), Optional.empty());
    }

    /** Quits the browser (if it started), closes the cells that started, in the order given, and deletes {@code work}. */
    static void stop(ChromeDriver driver, Path work, Cell... cells) throws IOException {
        if (driver != null) {
            driver.quit();
        }
        for (Cell c : cells) {
            if (c != null) {
                c.close();
            }
        }
        Chromium.deleteTree(work);
    }
}
