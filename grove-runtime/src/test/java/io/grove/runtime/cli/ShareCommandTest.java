package io.grove.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.runtime.json.Json;
import io.grove.runtime.testing.TestCell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code grove share/feed/get --shared/unshare/chat} against two running cells. */
class ShareCommandTest {
    @TempDir
    Path tmp;
    private final List<TestCell> cells = new ArrayList<>();

    @AfterEach
    void stop() {
        cells.forEach(TestCell::close);
    }

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private TestCell cell(String name) {
        TestCell cell = TestCell.start(tmp.resolve(name), Map.of("fleet.gossip-interval", "200ms", "peer.timeout", "5s",
                "cell.label", name));
        cells.add(cell);
        return cell;
    }

    @Test
    void shareFeedGetUnshareAndChatFromTheCommandLine() throws Exception {
        TestCell a = cell("alpha");
        TestCell b = cell("beta");
        String aDir = a.cell().folder().dir().toString();
        String bDir = b.cell().folder().dir().toString();
        assertThat(run("fleet", "create", "--dir", aDir).code()).isZero();
        CliRun invite = run("invite", "--role", "friend", "--dir", aDir);
        assertThat(run("join", invite.out().strip(), "--dir", bDir).code()).isZero();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (a.cell().roster().member(b.cell().id()).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }

        Path original = tmp.resolve("notes.bin");
        byte[] content = new byte[250_000];
        new SecureRandom().nextBytes(content);
        Files.write(original, content);
        assertThat(run("put", original.toString(), "--as", "notes.bin", "--dir", aDir).code()).isZero();
        String bShort = b.cell().id().value().substring(0, 8);
        CliRun shared = run("share", "notes.bin", "--with", bShort, "--expires", "7d", "--dir", aDir);
        assertThat(shared.code()).as(shared.err()).isZero();
        String grant = shared.out().strip();
        assertThat(grant).matches("[0-9a-f]{32}");

        CliRun feed = run("feed", "--dir", bDir);
        assertThat(feed.out()).contains(grant).contains("notes.bin");
        Path copy = tmp.resolve("copy.bin");
        CliRun get = run("get", "--shared", grant, "-o", copy.toString(), "--dir", bDir);
        assertThat(get.code()).as(get.err()).isZero();
        assertThat(Files.readAllBytes(copy)).isEqualTo(content);

        assertThat(run("unshare", grant, "--dir", aDir).out()).contains("revoked " + grant);
        CliRun refused = run("get", "--shared", grant, "-o", tmp.resolve("again.bin").toString(), "--dir", bDir);
        assertThat(refused.code()).isNotZero();
        assertThat(refused.err().strip().lines()).as(refused.toString()).hasSize(1);
        assertThat(refused.err()).startsWith("grove:");
        assertThat(Files.exists(tmp.resolve("again.bin"))).isFalse();

        String aShort = a.cell().id().value().substring(0, 8);
        assertThat(run("chat", bShort, "hello from alpha", "--dir", aDir).out()).contains("delivered");
        CliRun conversation = run("chat", aShort, "--dir", bDir);
        assertThat(conversation.out()).contains("hello from alpha");
        JsonNode json = Json.mapper().readTree(run("chat", aShort, "--json", "--dir", bDir).out());
        assertThat(json.get(0).get("text").asText()).isEqualTo("hello from alpha");
    }
}
