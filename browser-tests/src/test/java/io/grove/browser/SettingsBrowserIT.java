package io.grove.browser;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.runtime.Cell;
import io.grove.runtime.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's Settings, throughput and presence in headless Chromium, on two cells of one fleet in this JVM (real
 * loopback sockets, the direct transport), a tab on each: the leader changes the replication factor and the sync
 * interval and the member's Settings, not reloaded, shows the new values; the leader adds a watched folder and a file
 * dropped into it appears in Files without a reload; an upload shows in the throughput chart; the member stops and its
 * row in the leader's Fleet view turns down without a reload. Views are saved to {@code target/screenshots} (50-…).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SettingsBrowserIT {
    private static final String PASSWORD = "settings dashboard password";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private Path work;
    private Path screenshots;
    private Cell leader;
    private Cell member;
    private ChromeDriver driver;
    private WebDriverWait wait;
    private String leaderTab;
    private String memberTab;
    private final HttpClient http = HttpClient.newHttpClient();

    @RegisterExtension
    final TestWatcher failures = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            try {
                String name = "FAILED-settings-" + context.getRequiredTestMethod().getName();
                shot(name);
                Files.writeString(screenshots.resolve(name + ".html"), driver.getCurrentUrl() + "\n" + driver.getPageSource());
            } catch (IOException | RuntimeException e) {
                cause.addSuppressed(e);
            }
        }
    };

    @BeforeAll
    void start() throws Exception {
        Chromium.requireInstalled();
        work = Files.createTempDirectory("grove-settings-browser-");
        screenshots = Files.createDirectories(Path.of(System.getProperty("grove.screenshots", "target/screenshots")));
        leader = cell("leader", "Laptop");
        member = cell("member", "Pi");
        // The fleet is formed over REST: FleetBrowserIT covers doing it in the browser.
        api(leader, "POST", "/api/v1/fleet", "{\"name\":\"Home\"}", 201);
        String code = api(leader, "POST", "/api/v1/fleet/invites", "{\"role\":\"member\",\"expires\":\"1h\"}", 201)
                .get("code").asText();
        api(member, "POST", "/api/v1/fleet/join", "{\"code\":\"" + code + "\"}", 200);

        driver = Chromium.start(work.resolve("profile"), 1000, Optional.empty());
        wait = Chromium.waitFor(driver, WAIT);
    }

    private Cell cell(String name, String label) throws IOException {
        Path home = Files.createDirectories(work.resolve(name + "-home"));
        Map<String, String> settings = BrowserCells.fleetSettings(label);
        settings.put("routes.probe-interval", "5s");
        settings.put("watch.home", home.toString());
        settings.put("watch.debounce", "300ms");
        settings.put("events.presence-interval", "500ms");
        return BrowserCells.start(work.resolve(name), settings);
    }

    @AfterAll
    void stop() throws IOException {
        BrowserCells.stop(driver, work, member, leader);
    }

    @Test
    @Order(1)
    void theMemberSeesTheFleetParametersReadOnly() throws IOException {
        leaderTab = driver.getWindowHandle();
        driver.switchTo().newWindow(WindowType.TAB);
        memberTab = driver.getWindowHandle();
        firstVisit(member);
        driver.findElement(By.linkText("Settings")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("parameters-reason"), "Only the fleet's leader"));
        assertThat(text("effective-replicationFactor")).isEqualTo("2");
        assertThat(text("effective-syncIntervalSeconds")).isEqualTo("5m");
        assertThat(driver.findElement(By.id("parameters-form")).isDisplayed()).isFalse();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("live"), "live"));
        ((JavascriptExecutor) driver).executeScript("window.groveNoReload = 7");
        shot("50-settings-member");
    }

    @Test
    @Order(2)
    void theLeaderChangesFactorAndIntervalAndTheMemberFollowsWithoutReload() throws IOException {
        driver.switchTo().window(leaderTab);
        firstVisit(leader);
        driver.findElement(By.linkText("Settings")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("parameters-reason"), "leads the fleet"));
        WebElement factor = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("param-factor")));
        assertThat(factor.getAttribute("value")).isEqualTo("2");
        factor.clear();
        factor.sendKeys("3");
        WebElement sync = driver.findElement(By.id("param-sync"));
        sync.clear();
        sync.sendKeys("2m");
        driver.findElement(By.cssSelector("#parameters-form button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Applied to the fleet"));
        assertThat(text("effective-replicationFactor")).isEqualTo("3");
        assertThat(text("effective-syncIntervalSeconds")).isEqualTo("2m");
        assertThat(leader.roster().current().orElseThrow().roster().parameters().replicationFactor()).isEqualTo(3);
        shot("51-settings-leader-changed");

        // A value out of bounds is refused with the reason, and nothing changes. Typed over a selection, not after
        // clear(): WebDriver's clear blurs the field, and the live redraw of the change above may then refill it.
        sync.sendKeys(Keys.chord(Keys.CONTROL, "a"), "5s");
        assertThat(sync.getAttribute("value")).isEqualTo("5s");
        driver.findElement(By.cssSelector("#parameters-form button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("error"), "syncInterval"));
        assertThat(leader.roster().current().orElseThrow().roster().parameters().syncInterval())
                .isEqualTo(Duration.ofMinutes(2));

        driver.switchTo().window(memberTab);
        wait.until(d -> "3".equals(text("effective-replicationFactor")) && "2m".equals(text("effective-syncIntervalSeconds")));
        assertThat(((JavascriptExecutor) driver).executeScript("return window.groveNoReload")).isEqualTo(7L);
        shot("52-settings-member-followed");
        driver.switchTo().window(leaderTab);
    }

    @Test
    @Order(3)
    void aWatchedFolderAddedInSettingsFillsFilesLive() throws IOException {
        Path camera = Files.createDirectories(work.resolve("camera <b>roll</b>"));
        driver.findElement(By.id("watch-name")).sendKeys("Camera");
        driver.findElement(By.id("watch-dir")).sendKeys(camera.toString());
        driver.findElement(By.cssSelector("#watch-form button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Watching"));
        wait.until(d -> d.findElements(By.cssSelector("#watch-rows tr[data-name='Camera']")).size() == 1);
        assertThat(driver.findElement(By.id("watch-rows")).getText()).contains(camera.toString());
        assertThat(driver.findElements(By.cssSelector("#watch-rows b"))).isEmpty();
        // The cell's own folder is refused, with the reason.
        driver.findElement(By.id("watch-name")).sendKeys("Mine");
        driver.findElement(By.id("watch-dir")).sendKeys(work.resolve("leader").toString());
        driver.findElement(By.cssSelector("#watch-form button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("error"), "cell's own folder"));
        shot("53-settings-watched");

        driver.findElement(By.cssSelector("#watch-rows tr[data-name='Camera'] a")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("view-files")));
        ((JavascriptExecutor) driver).executeScript("window.groveNoReload = 8");
        Files.writeString(camera.resolve("beach.txt"), "sand and sea");
        wait.until(d -> d.findElements(By.cssSelector("#file-rows tr.file")).stream()
                .anyMatch(r -> "Camera/beach.txt".equals(r.getAttribute("data-path"))));
        assertThat(((JavascriptExecutor) driver).executeScript("return window.groveNoReload")).isEqualTo(8L);
        shot("54-files-from-watched-folder");
    }

    @Test
    @Order(4)
    void theThroughputChartShowsAnUpload() throws IOException {
        Path upload = work.resolve("upload.bin");
        byte[] data = new byte[400_000];
        ThreadLocalRandom.current().nextBytes(data);
        Files.write(upload, data);
        driver.findElement(By.linkText("Files")).click();
        wait.until(d -> d.findElements(By.cssSelector("#file-rows tr.folder")).size() == 1);
        driver.findElement(By.id("upload-input")).sendKeys(upload.toString());
        wait.until(d -> d.findElements(By.cssSelector("#file-rows tr.file")).stream()
                .anyMatch(r -> "upload.bin".equals(r.getAttribute("data-path"))));
        driver.findElement(By.linkText("Stats")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("throughput-summary"), "uploaded"));
        String summary = text("throughput-summary");
        assertThat(summary).doesNotContain("Nothing moved").contains("KiB uploaded");
        // The area of what came in reaches above the axis somewhere.
        Object top = ((JavascriptExecutor) driver).executeScript(
                "const p = document.querySelector('#throughput-chart path.area-in');"
                        + "return p ? Math.min(...p.getAttribute('d').split(/[MLZ ]+/).filter(xy => xy.includes(','))"
                        + ".map(xy => Number(xy.split(',')[1]))) : null;");
        assertThat(((Number) top).doubleValue()).isLessThan(100);
        shot("55-stats-throughput");
    }

    @Test
    @Order(5)
    void aStoppedMemberShowsDownInFleetWithoutReload() throws IOException {
        driver.findElement(By.linkText("Fleet")).click();
        WebDriverWait slow = Chromium.waitFor(driver, Duration.ofSeconds(60));
        String memberId = member.id().value();
        slow.until(d -> rowText(memberId).contains("up"));
        ((JavascriptExecutor) driver).executeScript("window.groveNoReload = 9");
        shot("56-fleet-member-up");
        member.close();
        member = null;
        slow.until(d -> rowText(memberId).contains("down"));
        assertThat(((JavascriptExecutor) driver).executeScript("return window.groveNoReload")).isEqualTo(9L);
        shot("57-fleet-member-down");
    }

    @Test
    @Order(6)
    void settingsAndStatsFitAPhoneScreen() throws IOException {
        driver.manage().window().setSize(new Dimension(390, 844));
        try {
            driver.findElement(By.linkText("Settings")).click();
            wait.until(d -> d.findElements(By.cssSelector("#watch-rows tr")).size() == 1);
            assertThat(((JavascriptExecutor) driver).executeScript(
                    "return document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
            shot("58-settings-phone");
            driver.findElement(By.linkText("Stats")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("throughput-summary"), "uploaded"));
            assertThat(((JavascriptExecutor) driver).executeScript(
                    "return document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
            shot("59-stats-phone");
        } finally {
            driver.manage().window().setSize(new Dimension(1280, 1000));
        }
    }

    @Test
    @Order(7)
    void stoppingAWatchedFolderKeepsWhatWasStored() throws IOException {
        driver.findElement(By.linkText("Settings")).click();
        By stop = By.cssSelector("#watch-rows tr[data-name='Camera'] button");
        wait.until(ExpectedConditions.elementToBeClickable(stop)).click();
        wait.until(ExpectedConditions.alertIsPresent()).dismiss();
        assertThat(driver.findElements(By.cssSelector("#watch-rows tr"))).hasSize(1);
        wait.until(ExpectedConditions.elementToBeClickable(stop)).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("watch-empty")));
        assertThat(driver.findElements(By.cssSelector("#watch-rows tr"))).isEmpty();
        assertThat(leader.storage().files().currentVersion("Camera/beach.txt")).isPresent();
        shot("5a-settings-unwatched");
    }

    // ---------- helpers ----------

    /** The text of a cell's row in the Fleet view, read afresh (the view redraws on events). */
    private String rowText(String cellId) {
        return driver.findElements(By.cssSelector("#fleet-rows tr")).stream()
                .filter(r -> cellId.equals(r.getAttribute("data-cell"))).findFirst().map(WebElement::getText).orElse("");
    }

    private String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    private JsonNode api(Cell cell, String method, String path, String json, int status) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(cell.apiUrl() + path))
                .header("Authorization", "Bearer " + cell.folder().apiToken())
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return Json.mapper().readTree(response.body());
    }

    /** Opens a cell's dashboard, sets its password and logs in. */
    private void firstVisit(Cell cell) {
        driver.get(cell.apiUrl() + "/");
        WebElement password = new WebDriverWait(driver, Duration.ofSeconds(90))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("setup-password")));
        password.sendKeys(PASSWORD);
        driver.findElement(By.id("setup-repeat")).sendKeys(PASSWORD);
        driver.findElement(By.cssSelector("#setup-form button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("view-files")));
    }

    private void shot(String name) throws IOException {
        Files.write(screenshots.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }
}
