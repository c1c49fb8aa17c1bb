package io.grove.browser;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.runtime.Cell;
import io.grove.runtime.cell.CellFolder;
import io.grove.runtime.json.Json;
import io.grove.testing.PluginJarBuilder;
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
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The dashboard in headless Chromium against a cell in this JVM on real loopback sockets: the browser is a real
 * process speaking real HTTP, and the cell is the one {@code grove serve} runs ({@link Cell#start}), without the
 * minute a distribution build would add. The steps share one cell and one browser and run in order, like a person's
 * first session; each view is saved to {@code target/screenshots}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {
    private static final String PASSWORD = "first dashboard password";
    private static final String NEW_PASSWORD = "second dashboard password";
    private static final String XSS_NAME = "<img src=x onerror=alert(1)>";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private Path work;
    private Path downloads;
    private Path screenshots;
    private Cell cell;
    private ChromeDriver driver;
    private WebDriverWait wait;
    private String base;
    private final HttpClient http = HttpClient.newHttpClient();
    private final byte[] randomBytes = new byte[300 * 1024 + 7];

    /** A failed step leaves a screenshot and the page source of what the browser showed. */
    @RegisterExtension
    final TestWatcher failures = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            try {
                String name = "FAILED-" + context.getRequiredTestMethod().getName();
                shot(name);
                Files.writeString(screenshots.resolve(name + ".html"), driver.getCurrentUrl() + "\n" + driver.getPageSource());
            } catch (IOException | RuntimeException e) {
                cause.addSuppressed(e);
            }
        }
    };

    @BeforeAll
    void start() throws IOException {
        Chromium.requireInstalled();
        work = Files.createTempDirectory("grove-browser-");
        downloads = Files.createDirectories(work.resolve("downloads"));
        screenshots = Files.createDirectories(Path.of(System.getProperty("grove.screenshots", "target/screenshots")));
        new Random(7).nextBytes(randomBytes);

        // A plugin written for a future API, which the Plugins view must show as refused, with the reason.
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        PluginJarBuilder.named("from-the-future").apiVersion("99.0")
                .source("future.P", "package future; public class P implements io.grove.api.plugin.GrovePlugin {}")
                .service("future.P").build(plugins.resolve("from-the-future.jar"));
        Map<String, String> settings = new HashMap<>(Map.of("api.port", "0", "peer.port", "0", "peer.bind", "127.0.0.1",
                "plugins.classpath", "true", "plugins.dir", plugins.toString(), "ingest.warm-up", "false",
                "transports.lan.enabled", "false"));
        cell = Cell.start(new CellFolder(work.resolve("cell")), settings, Map.of(), Optional.empty());
        base = cell.apiUrl();

        driver = Chromium.start(work.resolve("profile"), 900, Optional.of(downloads),
                // A DNS rebinding attack in miniature: a foreign name that resolves to this cell.
                "--host-resolver-rules=MAP evil.example 127.0.0.1");
        wait = Chromium.waitFor(driver, WAIT);
    }

    @AfterAll
    void stop() throws IOException {
        BrowserCells.stop(driver, work, cell);
    }

    @Test
    @Order(1)
    void setsThePasswordOnFirstVisitAndLogsIn() throws IOException {
        driver.get(base + "/");
        // A fresh browser's first page has been seen to take over 30 s on a loaded machine (FleetBrowserIT).
        WebElement password = Chromium.waitFor(driver, Duration.ofSeconds(90))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("setup-password")));
        assertThat(driver.findElement(By.id("login")).isDisplayed()).isFalse();
        shot("01-set-password");
        password.sendKeys(PASSWORD);
        driver.findElement(By.id("setup-repeat")).sendKeys(PASSWORD);
        driver.findElement(By.cssSelector("#setup-form button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("view-files")));
        assertThat(driver.findElement(By.id("nav")).isDisplayed()).isTrue();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("files-empty"))); // after the listing's fetch
        assertThat(Files.readString(work.resolve("cell").resolve("dashboard.password"))).startsWith("$argon2id$");

        Cookie session = driver.manage().getCookieNamed("grove-session-" + cell.apiPort());
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        assertThat(((JavascriptExecutor) driver).executeScript("return document.cookie")).isEqualTo("");
        shot("02-files-empty");
    }

    @Test
    @Order(2)
    void uploadsAFileAndSeesItListed() throws Exception {
        Path hello = write("v1", "hello.txt", "Hello Grove, version one\n".getBytes(StandardCharsets.UTF_8));
        driver.findElement(By.id("upload-input")).sendKeys(hello.toString());
        // The list is drawn after the upload and again on its file.version event: a row may be replaced while read.
        wait.until(d -> row("hello.txt").findElement(By.className("file-name")).getText().equals("hello.txt"));
        assertThat(apiBytes("/api/v1/files/hello.txt")).isEqualTo(Files.readAllBytes(hello));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Uploaded 1 file."));
    }

    @Test
    @Order(3)
    void uploadsTwoFilesAtOnce() throws Exception {
        Path random = write("two", "random.bin", randomBytes);
        Path photo = write("two", "photo.png", png());
        driver.findElement(By.id("upload-input")).sendKeys(random + "\n" + photo);
        row("random.bin");
        row("photo.png");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Uploaded 2 files."));
        assertThat(apiBytes("/api/v1/files/random.bin")).isEqualTo(randomBytes);
        WebElement progress = driver.findElement(By.cssSelector("#uploads progress[aria-label='Uploading random.bin']"));
        assertThat(progress.getAttribute("value")).isEqualTo(progress.getAttribute("max"))
                .isEqualTo(Integer.toString(randomBytes.length));
        shot("03-files");
    }

    @Test
    @Order(4)
    void uploadsFilesDroppedOnThePage() throws Exception {
        // WebDriver cannot drag from the desktop; the page receives the same drop event a real drag would give it.
        ((JavascriptExecutor) driver).executeScript("""
                document.getElementById("status").textContent = "";
                const transfer = new DataTransfer();
                transfer.items.add(new File(["dropped content"], "dropped.txt", {type: "text/plain"}));
                transfer.items.add(new File(["second drop"], "dropped-2.txt", {type: "text/plain"}));
                document.getElementById("drop").dispatchEvent(
                    new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
                """);
        row("dropped.txt");
        row("dropped-2.txt");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Uploaded 2 files."));
        assertThat(apiText("/api/v1/files/dropped.txt")).isEqualTo("dropped content");
        assertThat(apiText("/api/v1/files/dropped-2.txt")).isEqualTo("second drop");
    }

    @Test
    @Order(5)
    void downloadsAFileByteIdentical() throws Exception {
        clickIn("random.bin", By.linkText("Download"));
        Path downloaded = downloads.resolve("random.bin");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!(Files.exists(downloaded) && Files.size(downloaded) == randomBytes.length) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(downloaded).exists();
        assertThat(Files.readAllBytes(downloaded)).isEqualTo(randomBytes);
    }

    @Test
    @Order(6)
    void previewsTextAndImages() throws IOException {
        clickIn("hello.txt", By.xpath(".//button[text()='Preview']"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#detail-body pre"),
                "Hello Grove, version one"));
        shot("04-preview-text");
        clickIn("photo.png", By.xpath(".//button[text()='Preview']"));
        WebElement image = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#detail-body img")));
        wait.until(d -> ((Number) ((JavascriptExecutor) d).executeScript("return arguments[0].naturalWidth", image))
                .intValue() == 64);
        shot("05-preview-image");
        driver.findElement(By.id("detail-close")).click();
    }

    @Test
    @Order(7)
    void showsHistoryAndRestoresAnOlderVersion() throws Exception {
        Path second = write("v2", "hello.txt", "Hello Grove, version two\n".getBytes(StandardCharsets.UTF_8));
        driver.findElement(By.id("upload-input")).sendKeys(second.toString());
        wait.until(d -> apiText("/api/v1/files/hello.txt").contains("version two"));

        clickIn("hello.txt", By.xpath(".//button[text()='History']"));
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#history-rows tr"), 2));
        List<WebElement> versions = driver.findElements(By.cssSelector("#history-rows tr"));
        assertThat(versions.get(0).getText()).contains("(current)");
        shot("06-history");
        versions.get(1).findElement(By.xpath(".//button[text()='Restore']")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#history-rows tr"), 3));
        assertThat(apiText("/api/v1/files/hello.txt")).isEqualTo("Hello Grove, version one\n");
        driver.findElement(By.id("detail-close")).click();
    }

    @Test
    @Order(8)
    void rendersAHostileFileNameAsText() throws Exception {
        Path hostile = write("xss", XSS_NAME, "harmless".getBytes(StandardCharsets.UTF_8));
        driver.findElement(By.id("upload-input")).sendKeys(hostile.toString());
        // The row is found again on each try: the list is drawn twice after an upload (its own and the live event's).
        wait.until(d -> row(XSS_NAME).findElement(By.className("file-name")).getText().equals(XSS_NAME));
        assertThat(driver.findElements(By.cssSelector("#file-rows img"))).isEmpty();
        clickIn(XSS_NAME, By.xpath(".//button[text()='History']"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-title"), "History of " + XSS_NAME));
        assertThat(driver.findElements(By.cssSelector("#detail img"))).isEmpty();
        assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        shot("07-hostile-name");
        driver.findElement(By.id("detail-close")).click();
    }

    @Test
    @Order(9)
    void browsesFolders() throws Exception {
        HttpResponse<String> put = http.send(bearer("/api/v1/files/docs/notes/readme.txt")
                .PUT(HttpRequest.BodyPublishers.ofString("in a folder")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(201);
        driver.navigate().refresh();
        folderButton("docs").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("crumbs"), "docs"));
        folderButton("notes").click();
        WebElement readme = row("docs/notes/readme.txt");
        assertThat(readme.findElement(By.className("file-name")).getText()).isEqualTo("readme.txt");
        shot("08-folder");
        driver.findElement(By.linkText("All files")).click();
        row("hello.txt");
    }

    @Test
    @Order(10)
    void deletesAFile() throws Exception {
        clickIn("photo.png", By.xpath(".//button[text()='Delete']"));
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(d -> d.findElements(By.cssSelector("#file-rows tr.file")).stream()
                .noneMatch(r -> "photo.png".equals(r.getAttribute("data-path"))));
        JsonNode history = Json.mapper().readTree(apiText("/api/v1/files/photo.png/history"));
        assertThat(history.get("versions").get(0).get("deleted").asBoolean()).isTrue();
    }

    @Test
    @Order(11)
    void showsStatsPluginsAndSettings() throws IOException {
        driver.findElement(By.linkText("Stats")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("stats"), "Deduplication"));
        assertThat(driver.findElement(By.cssSelector("#stats-chart svg")).isDisplayed()).isTrue();
        shot("09-stats");

        driver.findElement(By.linkText("Plugins")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("plugin-rows"), "store-filesystem"));
        List<WebElement> plugins = driver.findElements(By.cssSelector("#plugin-rows tr"));
        assertThat(plugins).anySatisfy(r -> assertThat(r.getText()).contains("store-filesystem").contains("active"));
        assertThat(plugins).anySatisfy(r -> assertThat(r.getText()).contains("from-the-future").contains("refused")
                .contains("99.0"));
        shot("10-plugins");

        driver.findElement(By.linkText("Settings")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("current-password"))).sendKeys(PASSWORD);
        driver.findElement(By.id("new-password")).sendKeys(NEW_PASSWORD);
        driver.findElement(By.id("new-repeat")).sendKeys(NEW_PASSWORD);
        shot("11-settings");
        driver.findElement(By.cssSelector("#password-form button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Password changed."));
        driver.findElement(By.linkText("Files")).click();
        row("hello.txt");
    }

    @Test
    @Order(12)
    void fitsAPhoneScreenAndWorksFromTheKeyboard() throws IOException {
        driver.manage().window().setSize(new Dimension(390, 844));
        try {
            driver.navigate().refresh();
            row("hello.txt");
            assertThat(((JavascriptExecutor) driver).executeScript(
                    "return document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
            shot("12-files-phone");
        } finally {
            driver.manage().window().setSize(new Dimension(1280, 900));
        }
        // Tab from the top reaches the skip link, then the navigation.
        driver.findElement(By.tagName("body")).sendKeys(Keys.TAB);
        assertThat(driver.switchTo().activeElement().getText()).isEqualTo("Skip to content");
    }

    @Test
    @Order(13)
    void refusesAChangeWithoutTheCsrfTokenEvenWithTheSessionCookie() throws Exception {
        Cookie session = driver.manage().getCookieNamed("grove-session-" + cell.apiPort());
        String cookie = session.getName() + "=" + session.getValue();
        HttpResponse<String> read = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/files"))
                .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(read.statusCode()).isEqualTo(200);
        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/files/forged.txt/restore?version="
                        + "0".repeat(64))).header("Cookie", cookie).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("csrf-token");
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/files/forged.txt"))
                .header("Cookie", cookie).PUT(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(403);
        assertThat(http.send(bearer("/api/v1/files/forged.txt").build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(404);
    }

    @Test
    @Order(14)
    void refusesAForeignHostName() throws IOException {
        driver.get("http://evil.example:" + cell.apiPort() + "/");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "unknown-host"));
        shot("13-foreign-host");
        try (Socket socket = new Socket("127.0.0.1", cell.apiPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/files HTTP/1.1\r\nHost: evil.example:" + cell.apiPort()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 421");
        }
        driver.get(base + "/");
        row("hello.txt");
    }

    @Test
    @Order(15)
    void refusesWrongPasswordsThenLimitsThem() throws IOException {
        driver.findElement(By.id("logout")).click();
        WebElement password = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-password")));
        assertThat(driver.findElement(By.id("nav")).isDisplayed()).isFalse();
        shot("14-login");
        for (int i = 0; i < 5; i++) {
            ((JavascriptExecutor) driver).executeScript("document.getElementById('error').textContent = ''");
            password.clear();
            password.sendKeys("wrong guess " + i);
            password.submit();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("error"), "not the dashboard password"));
        }
        ((JavascriptExecutor) driver).executeScript("document.getElementById('error').textContent = ''");
        password.clear();
        password.sendKeys(NEW_PASSWORD);
        password.submit();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("error"), "too many wrong passwords"));
        assertThat(driver.findElement(By.id("nav")).isDisplayed()).isFalse();
        shot("15-login-limited");
    }

    // ---------- helpers ----------

    private Path write(String folder, String name, byte[] content) throws IOException {
        Path dir = Files.createDirectories(work.resolve("local").resolve(folder));
        return Files.write(dir.resolve(name), content);
    }

    /** Clicks an element of a file's row, finding the row again if a live redraw replaced it meanwhile. */
    private void clickIn(String path, By by) {
        wait.until(d -> {
            row(path).findElement(by).click();
            return true;
        });
    }

    /** The row of the file at {@code path} in the folder shown, once it is there. */
    private WebElement row(String path) {
        return wait.until(d -> d.findElements(By.cssSelector("#file-rows tr.file")).stream()
                .filter(r -> path.equals(r.getAttribute("data-path"))).findFirst().orElse(null));
    }

    private WebElement folderButton(String name) {
        return wait.until(d -> d.findElements(By.cssSelector("#file-rows tr.folder button")).stream()
                .filter(b -> b.getText().trim().equals(name)).findFirst().orElse(null));
    }

    private HttpRequest.Builder bearer(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + cell.folder().apiToken());
    }

    private byte[] apiBytes(String path) throws IOException, InterruptedException {
        return http.send(bearer(path).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    private String apiText(String path) {
        try {
            return new String(apiBytes(path), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void shot(String name) throws IOException {
        Files.write(screenshots.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    private static byte[] png() throws IOException {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(0x2f6b3a));
        g.fillRect(0, 0, 64, 48);
        g.setColor(Color.WHITE);
        g.fillOval(16, 8, 32, 32);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
