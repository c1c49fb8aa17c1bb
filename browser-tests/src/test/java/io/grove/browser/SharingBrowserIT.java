package io.grove.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grove.api.ChunkId;
import io.grove.runtime.Cell;
import io.grove.runtime.audit.AuditResult;
import io.grove.runtime.bounty.Ledger;
import io.grove.runtime.bounty.SignedReceipt;
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
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Feed, Shares, Chat and Bounty views across two cells of one fleet in this JVM (real loopback sockets, the direct
 * transport) and one headless Chromium with a tab on each dashboard: the owner shares a file from its Files view, the
 * friend's Feed shows it without a reload and downloads it byte-identical, chat messages (one of them hostile markup)
 * arrive in the friend's Chat view live and show as text, and a revoked share leaves the friend's Feed. Views are saved
 * to {@code target/screenshots}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharingBrowserIT {
    private static final String PASSWORD = "sharing dashboard password";
    private static final String HOSTILE = "<img src=x onerror=alert(1)>";
    private static final String FILE = "docs/report.txt";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private byte[] content;
    private Path work;
    private Path downloads;
    private Path screenshots;
    private Cell owner;
    private Cell friend;
    private ChromeDriver driver;
    private WebDriverWait wait;
    private String ownerTab;
    private String friendTab;
    private String grantId;

    @RegisterExtension
    final TestWatcher failures = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            try {
                String name = "FAILED-sharing-" + context.getRequiredTestMethod().getName();
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
        work = Files.createTempDirectory("grove-sharing-browser-");
        downloads = Files.createDirectories(work.resolve("downloads"));
        screenshots = Files.createDirectories(Path.of(System.getProperty("grove.screenshots", "target/screenshots")));
        // 200 KiB of text: the preview shows the first 64 KiB, the download must be all of it, byte for byte.
        Random random = new Random(11);
        StringBuilder text = new StringBuilder(210_000);
        while (text.length() < 200 * 1024) {
            text.append("line ").append(random.nextLong()).append(' ').append(Long.toHexString(random.nextLong())).append('\n');
        }
        content = text.toString().getBytes(StandardCharsets.UTF_8);

        owner = cell("owner", "Laptop");
        friend = cell("friend", "Anna's Pi");
        JsonNode fleet = call(owner, "POST", "/fleet", "{\"name\":\"Home\"}", 201);
        assertThat(fleet.path("isLeader").asBoolean()).isTrue();
        String code = call(owner, "POST", "/fleet/invites", "{\"role\":\"friend\"}", 201).path("code").asText();
        call(friend, "POST", "/fleet/join", json.writeValueAsString(Map.of("code", code)), 200);
        // The owner must reach the friend before it can push a grant: wait (bounded) until its probes say it is up.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        boolean up = false;
        while (!up && System.nanoTime() < deadline) {
            for (JsonNode peer : call(owner, "GET", "/peers", null, 200)) {
                up |= peer.path("id").asText().equals(friend.id().value()) && peer.path("up").asBoolean();
            }
            if (!up) {
                Thread.sleep(200);
            }
        }
        assertThat(up).as("the friend is up for the owner").isTrue();
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(owner.apiUrl() + "/api/v1/files/" + FILE))
                .header("Authorization", "Bearer " + owner.folder().apiToken())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(201);

        driver = Chromium.start(work.resolve("profile"), 1000, Optional.of(downloads));
        wait = Chromium.waitFor(driver, WAIT);
    }

    private Cell cell(String name, String label) {
        return BrowserCells.start(work.resolve(name), BrowserCells.fleetSettings(label));
    }

    @AfterAll
    void stop() throws IOException {
        BrowserCells.stop(driver, work, friend, owner);
    }

    @Test
    @Order(1)
    void bothDashboardsStartWithHonestEmptyViews() throws IOException {
        ownerTab = driver.getWindowHandle();
        firstVisit(owner);
        driver.findElement(By.linkText("Shares")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("shares-empty")));

        driver.switchTo().newWindow(WindowType.TAB);
        friendTab = driver.getWindowHandle();
        firstVisit(friend);
        driver.findElement(By.linkText("Feed")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("feed-empty")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("live"), "live"));
        assertThat(driver.findElements(By.cssSelector("#feed-rows tr"))).isEmpty();
        shot("30-feed-empty");
        // The friend's Feed stays open: the mark survives only if the view updates without a reload.
        js("window.groveNoReload = 7");
    }

    @Test
    @Order(2)
    void ownerSharesAFileFromTheFilesView() throws IOException {
        driver.switchTo().window(ownerTab);
        driver.findElement(By.linkText("Files")).click();
        // The Files view may still be redrawing when the link is found: find the folder again until a click lands.
        wait.until(d -> {
            d.findElement(By.cssSelector("button[aria-label='Folder docs']")).click();
            return true;
        });
        WebElement row = wait.until(d -> d.findElements(By.cssSelector("#file-rows tr")).stream()
                .filter(r -> FILE.equals(r.getAttribute("data-path"))).findFirst().orElse(null));
        row.findElement(By.cssSelector("button[aria-label='Share report.txt']")).click();
        Select with = new Select(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("share-with"))));
        assertThat(with.getOptions()).hasSize(1);
        assertThat(with.getFirstSelectedOption().getText()).contains("Anna's Pi").contains("friend");
        assertThat(with.getFirstSelectedOption().getAttribute("value")).isEqualTo(friend.id().value());
        new Select(driver.findElement(By.id("share-expires"))).selectByValue("7d");
        shot("31-share-form");
        driver.findElement(By.cssSelector("#share-form button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Shared " + FILE + " with Anna's Pi."));

        driver.findElement(By.linkText("Shares")).click();
        grantId = wait.until(d -> d.findElements(By.cssSelector("#share-rows tr")).stream().findFirst()
                .map(r -> r.getAttribute("data-grant")).orElse(null));
        // Views redraw on events while they are read: each check finds its row again (stale rows are retried).
        wait.until(d -> {
            String text = d.findElement(By.cssSelector("#share-rows tr[data-grant='" + grantId + "']")).getText();
            return text.contains(FILE) && text.contains("Anna's Pi") && text.contains("active")
                    && text.contains("follows new versions");
        });
        assertThat(driver.findElement(By.id("shares-empty")).isDisplayed()).isFalse();
        JsonNode grants = call(owner, "GET", "/shares", null, 200);
        assertThat(grants).hasSize(1);
        assertThat(grants.get(0).path("id").asText()).isEqualTo(grantId);
        assertThat(grants.get(0).path("expiresAt").isNull()).isFalse();
        shot("32-shares");
    }

    @Test
    @Order(3)
    void friendsFeedShowsTheFileLiveAndDownloadsItByteIdentical() throws Exception {
        driver.switchTo().window(friendTab);
        wait.until(d -> feedRow(grantId));
        assertThat(js("return window.groveNoReload")).isEqualTo(7L);
        wait.until(d -> feedRow(grantId).getText().contains(FILE) && feedRow(grantId).getText().contains("Laptop"));
        assertThat(driver.findElement(By.id("feed-empty")).isDisplayed()).isFalse();

        wait.until(d -> {
            feedRow(grantId).findElement(By.cssSelector("button[aria-label='Preview report.txt']")).click();
            return true;
        });
        WebElement preview = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#feed-detail pre.preview")));
        String shown = (String) js("return arguments[0].textContent", preview);
        assertThat(shown).hasSize(65536).isEqualTo(new String(content, 0, 65536, StandardCharsets.UTF_8));
        assertThat(driver.findElement(By.id("feed-detail-body")).getText()).contains("Only the first 64 KiB are shown.");
        shot("33-feed-preview");
        driver.findElement(By.id("feed-detail-close")).click();

        wait.until(d -> {
            feedRow(grantId).findElement(By.linkText("Download")).click();
            return true;
        });
        Path downloaded = downloads.resolve("report.txt");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!(Files.exists(downloaded) && Files.size(downloaded) == content.length) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(downloaded).exists();
        assertThat(Files.readAllBytes(downloaded)).isEqualTo(content);
        shot("34-feed");
    }

    @Test
    @Order(4)
    void chatArrivesInTheOtherDashboardLiveAndMarkupShowsAsText() throws IOException {
        // The friend opens its conversation with the owner (the only other cell) and waits there.
        driver.findElement(By.linkText("Chat")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("conversation-title"), "With Laptop"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("chat-empty")));
        js("window.groveNoReload = 8");

        driver.switchTo().window(ownerTab);
        driver.findElement(By.linkText("Chat")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("conversation-title"), "With Anna's Pi"));
        send("Hello from the laptop");
        send(HOSTILE);
        wait.until(d -> messages().size() == 2 && messages().stream().allMatch(m -> m.getText().contains("delivered")));
        assertThat(messages().get(0).getAttribute("class")).contains("outgoing");
        shot("35-chat-sender");

        driver.switchTo().window(friendTab);
        wait.until(d -> messages().size() == 2);
        assertThat(js("return window.groveNoReload")).isEqualTo(8L);
        assertThat(messages().get(0).findElement(By.className("text")).getText()).isEqualTo("Hello from the laptop");
        assertThat(messages().get(1).findElement(By.className("text")).getText()).isEqualTo(HOSTILE);
        assertThat(messages().get(1).getAttribute("class")).contains("incoming");
        assertThat(driver.findElements(By.cssSelector("#chat-messages img"))).isEmpty();
        assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        shot("36-chat-receiver");

        // A message that arrives while another view is shown is counted on the Chat link, then read.
        driver.findElement(By.linkText("Feed")).click();
        wait.until(d -> feedRow(grantId));
        call(owner, "POST", "/chat/" + friend.id().value(), "{\"text\":\"one more\"}", 201);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("chat-link"), "Chat (1)"));
        driver.findElement(By.id("chat-link")).click();
        wait.until(d -> messages().size() == 3);
        assertThat(driver.findElement(By.id("chat-link")).getText()).isEqualTo("Chat");
    }

    @Test
    @Order(5)
    void bountyShowsTheLedgerOfBothCells() throws IOException {
        driver.findElement(By.linkText("Bounty")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bounty-facts"), "Balance"));
        // A fresh fleet has no day of audited storage to settle: the view says so instead of showing made-up numbers.
        assertThat(call(friend, "GET", "/bounty", null, 200).path("recent")).isEmpty();
        assertThat(driver.findElement(By.cssSelector("#bounty-facts .balance")).getText()).isEqualTo("0 credits");
        assertThat(driver.findElement(By.id("bounty-peers-empty")).isDisplayed()).isTrue();
        assertThat(driver.findElement(By.id("bounty-receipts-empty")).isDisplayed()).isTrue();
        shot("37-bounty-empty");

        // A day of 1 GiB held by the friend, proven by a passed audit, through the cells' own ledger tables: the owner
        // signs the receipt (one credit), the friend stores it, as Replicator.settle and BountyOperation would.
        Instant now = Instant.now();
        Ledger ownerLedger = new Ledger(owner.storage().database(), owner.folder().keys());
        ownerLedger.accrue(new AuditResult(ChunkId.of("%064x".formatted(42)), friend.id(), 1L << 30,
                AuditResult.Outcome.PASSED, now.minus(Duration.ofHours(25)), now.minus(Duration.ofHours(1))));
        List<SignedReceipt> receipts = ownerLedger.issue(now, Duration.ZERO);
        assertThat(receipts).singleElement().satisfies(r -> assertThat(r.receipt().amount()).isEqualTo(1_000_000));
        Ledger friendLedger = new Ledger(friend.storage().database(), friend.folder().keys());
        assertThat(friendLedger.receive(receipts.getFirst(),
                friend.roster().current().orElseThrow().roster().member(owner.id()).orElseThrow(), now)).isTrue();

        driver.navigate().refresh();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#bounty-facts .balance"), "1 credit"));
        wait.until(d -> {
            String peer = d.findElement(By.cssSelector("#bounty-peers tr[data-cell='" + owner.id().value() + "']")).getText();
            return peer.contains("Laptop") && peer.contains("1 credit") && peer.contains("0 credits");
        });
        wait.until(d -> {
            String receipt = d.findElement(By.cssSelector("#bounty-receipts tr")).getText();
            return receipt.contains("earned") && receipt.contains("Laptop") && receipt.contains("1.0 GiB")
                    && receipt.contains("1 credit");
        });
        assertThat(driver.findElements(By.cssSelector("#bounty-chart svg rect"))).hasSize(2);
        assertThat(driver.findElement(By.cssSelector("#bounty-chart svg title")).getAttribute("textContent"))
                .contains("Laptop \u00b7 earned: 1 credit");
        assertThat(driver.findElement(By.id("bounty-receipts-empty")).isDisplayed()).isFalse();
        shot("38-bounty-earned");

        driver.switchTo().window(ownerTab);
        driver.findElement(By.linkText("Bounty")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#bounty-facts .balance"), "\u22121 credit"));
        wait.until(d -> d.findElement(By.cssSelector("#bounty-receipts tr")).getText().contains("spent")
                && d.findElement(By.cssSelector("#bounty-receipts tr")).getText().contains("Anna's Pi"));
        shot("39-bounty-spent");
        driver.switchTo().window(friendTab);
    }

    @Test
    @Order(6)
    void ownerRevokesTheShareAndTheFriendsFeedDropsIt() throws Exception {
        driver.findElement(By.linkText("Feed")).click();
        wait.until(d -> feedRow(grantId));
        js("window.groveNoReload = 9");

        driver.switchTo().window(ownerTab);
        driver.findElement(By.linkText("Shares")).click();
        WebElement revoke = wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#share-rows tr[data-grant='" + grantId + "'] button.danger")));
        assertThat(revoke.getAttribute("aria-label")).isEqualTo("Revoke the share of report.txt with Anna's Pi");
        revoke.click();
        wait.until(ExpectedConditions.alertIsPresent()).dismiss();
        assertThat(call(owner, "GET", "/shares", null, 200).get(0).path("status").asText()).isEqualTo("active");
        driver.findElement(By.cssSelector("#share-rows tr[data-grant='" + grantId + "'] button.danger")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Stopped sharing " + FILE));
        wait.until(d -> d.findElement(By.cssSelector("#share-rows tr[data-grant='" + grantId + "']")).getText().contains("revoked"));
        assertThat(driver.findElements(By.cssSelector("#share-rows tr[data-grant='" + grantId + "'] button"))).isEmpty();
        shot("3a-shares-revoked");

        driver.switchTo().window(friendTab);
        wait.until(d -> d.findElements(By.cssSelector("#feed-rows tr")).isEmpty());
        assertThat(js("return window.groveNoReload")).isEqualTo(9L);
        assertThat(driver.findElement(By.id("feed-empty")).isDisplayed()).isTrue();
        HttpResponse<String> gone = http.send(HttpRequest.newBuilder(URI.create(friend.apiUrl() + "/api/v1/feed/" + grantId
                + "/content")).header("Authorization", "Bearer " + friend.folder().apiToken()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(gone.statusCode()).isEqualTo(404);
        shot("3b-feed-revoked");
    }

    @Test
    @Order(7)
    void newViewsFitAPhoneScreen() throws IOException {
        driver.manage().window().setSize(new Dimension(390, 844));
        try {
            int shot = 40;
            for (String view : List.of("Feed", "Chat", "Bounty")) {
                driver.findElement(By.linkText(view)).click();
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("view-" + view.toLowerCase())));
                if (view.equals("Chat")) {
                    wait.until(d -> messages().size() == 3);
                }
                assertThat(js("return document.documentElement.scrollWidth <= window.innerWidth"))
                        .as(view + " without horizontal scrolling").isEqualTo(true);
                shot(shot++ + "-" + view.toLowerCase() + "-phone");
            }
            driver.switchTo().window(ownerTab);
            driver.findElement(By.linkText("Shares")).click();
            wait.until(d -> d.findElements(By.cssSelector("#share-rows tr")).size() == 1);
            assertThat(js("return document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
            shot("43-shares-phone");
        } finally {
            driver.manage().window().setSize(new Dimension(1280, 1000));
        }
    }

    // ---------- helpers ----------

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

    private void send(String text) {
        int before = messages().size();
        WebElement box = driver.findElement(By.id("chat-text"));
        box.sendKeys(text);
        driver.findElement(By.cssSelector("#chat-form button[type=submit]")).click();
        wait.until(d -> messages().size() == before + 1);
        assertThat(box.getAttribute("value")).isEmpty();
    }

    private List<WebElement> messages() {
        return driver.findElements(By.cssSelector("#chat-messages li.message"));
    }

    private WebElement feedRow(String id) {
        return driver.findElements(By.cssSelector("#feed-rows tr")).stream()
                .filter(r -> id.equals(r.getAttribute("data-grant"))).findFirst().orElse(null);
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** One REST call with the cell's bearer token; asserts the status and returns the JSON body. */
    private JsonNode call(Cell cell, String method, String path, String body, int status) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cell.apiUrl() + "/api/v1" + path))
                .header("Authorization", "Bearer " + cell.folder().apiToken())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
            return json.readTree(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private void shot(String name) throws IOException {
        Files.write(screenshots.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }
}
