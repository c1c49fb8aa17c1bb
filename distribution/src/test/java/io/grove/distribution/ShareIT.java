package io.grove.distribution;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two cells from the distribution, as real processes on loopback: the owner shares a file with a friend using the
 * CLI alone, the friend reads it from its feed, the owner revokes it, and the two chat.
 */
class ShareIT extends InstalledDistributionTest {
    private static final String[] SERVE = {"--port", "0", "--peer-port", "0", "--set", "peer.bind=127.0.0.1",
            "--set", "fleet.gossip-interval=300ms", "--set", "peer.timeout=15s", "--set", "chat.retry-interval=300ms"};

    @Test
    void aFriendReadsASharedFileLosesItOnUnshareAndChats() throws Exception {
        GroveProcesses.Cell owner = grove.serve(tmp.resolve("owner"), SERVE);
        GroveProcesses.Cell friend = grove.serve(tmp.resolve("friend"), SERVE);
        String ownerDir = owner.dir().toString();
        String friendDir = friend.dir().toString();
        ok(grove.run("fleet", "create", "--name", "home", "--dir", ownerDir));
        String code = ok(grove.run("invite", "--role", "friend", "--dir", ownerDir)).stdout().strip();
        ok(grove.run("join", code, "--dir", friendDir));

        Path file = tmp.resolve("holiday.bin");
        byte[] content = new byte[3 << 20];
        new SecureRandom().nextBytes(content);
        Files.write(file, content);
        ok(grove.run("put", file.toString(), "--as", "photos/holiday.bin", "--dir", ownerDir));
        String grant = eventuallyOk("share", "photos/holiday.bin", "--with", friend.cellId().substring(0, 8),
                "--expires", "7d", "--dir", ownerDir).stdout().strip();
        assertThat(grant).matches("[0-9a-f]{32}");

        assertThat(ok(grove.run("feed", "--dir", friendDir)).stdout()).contains(grant).contains("photos/holiday.bin");
        Path copy = tmp.resolve("copy.bin");
        ok(grove.run("get", "--shared", grant, "-o", copy.toString(), "--dir", friendDir));
        assertThat(Files.readAllBytes(copy)).isEqualTo(content);

        assertThat(ok(grove.run("unshare", grant, "--dir", ownerDir)).stdout()).contains("revoked");
        GroveProcesses.Exit refused = grove.run("get", "--shared", grant, "-o", tmp.resolve("again.bin").toString(),
                "--dir", friendDir);
        assertThat(refused.code()).isNotZero();
        assertThat(refused.errors()).hasSize(1);

        assertThat(ok(grove.run("chat", friend.cellId().substring(0, 8), "see you soon", "--dir", ownerDir)).stdout())
                .contains("delivered");
        assertThat(ok(grove.run("chat", owner.cellId().substring(0, 8), "--dir", friendDir)).stdout())
                .contains("see you soon");
    }

    /** The friend appears in the owner's roster right after joining; bounded retry for the first share. */
    private GroveProcesses.Exit eventuallyOk(String... args) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        GroveProcesses.Exit last;
        do {
            last = grove.run(args);
            if (last.code() == 0) {
                return last;
            }
            Thread.sleep(300);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("grove " + String.join(" ", args) + " kept failing: " + last.stderr());
    }

    private static GroveProcesses.Exit ok(GroveProcesses.Exit exit) {
        assertThat(exit.code()).as(exit.stderr()).isZero();
        return exit;
    }
}
