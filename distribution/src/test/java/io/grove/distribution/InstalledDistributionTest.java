package io.grove.distribution;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What every test of the installed distribution shares: the zip unpacked into a fresh folder, a
 * {@link GroveProcesses} for its {@code bin/grove} (every process stopped afterwards), and the processes' output
 * printed when a test fails.
 */
abstract class InstalledDistributionTest {
    @TempDir
    Path tmp;
    /** The unpacked distribution. */
    Path home;
    /** Runs {@code bin/grove} of {@link #home}. */
    GroveProcesses grove;

    @RegisterExtension
    final TestWatcher printOutputOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (grove != null) {
                System.out.println("Output of the grove processes of " + context.getDisplayName() + ":\n" + grove.output());
            }
        }
    };

    @BeforeEach
    void unpackTheZip(TestInfo test) throws IOException {
        home = BuiltDistribution.unpack(tmp.resolve("install"));
        Path logs = Files.createDirectories(Path.of(System.getProperty("grove.it.logs", tmp.resolve("logs").toString())));
        // GroveProcesses.testEnvironment() runs every cell with -Xmx256m.
        grove = new GroveProcesses(home, Files.createTempDirectory(logs, test.getTestMethod().orElseThrow().getName() + "-"),
                GroveProcesses.testEnvironment());
    }

    @AfterEach
    void stopEveryProcess() {
        grove.close();
    }
}
