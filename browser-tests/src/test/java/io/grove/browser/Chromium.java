package io.grove.browser;

import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Debian's headless Chromium and its chromedriver, for every browser test: found, started and cleaned up one way. */
final class Chromium {
    private Chromium() {
    }

    /** The browser, from {@code grove.chromium} (default /usr/bin/chromium). */
    static Path browser() {
        return Path.of(System.getProperty("grove.chromium", "/usr/bin/chromium"));
    }

    /** The driver, from {@code webdriver.chrome.driver} (default /usr/bin/chromedriver). */
    static Path driver() {
        return Path.of(System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver"));
    }

    /** Fails the test class at once, saying how to install them, when either is missing. */
    static void requireInstalled() {
        assertThat(Files.isExecutable(browser()) && Files.isExecutable(driver()))
                .as("needs Debian's chromium and chromium-driver (scripts/test installs them: ensure_chromium in scripts/lib.sh)")
                .isTrue();
    }

    /**
     * A headless browser with its own profile, downloading into {@code downloads} when given (no prompt).
     *
     * @param extraArguments further command-line switches
     */
    static ChromeDriver start(Path profile, int windowHeight, Optional<Path> downloads, String... extraArguments) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser().toFile());
        List<String> arguments = new ArrayList<>(List.of("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                "--disable-gpu", "--window-size=1280," + windowHeight, "--user-data-dir=" + profile));
        arguments.addAll(List.of(extraArguments));
        options.addArguments(arguments);
        downloads.ifPresent(d -> options.setExperimentalOption("prefs", Map.of(
                "download.default_directory", d.toString(), "download.prompt_for_download", false)));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver().toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** A wait that ignores rows replaced while read (views re-render their rows on live events). */
    static WebDriverWait waitFor(ChromeDriver driver, Duration timeout) {
        WebDriverWait wait = new WebDriverWait(driver, timeout);
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /** Deletes a test's work folder. */
    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
