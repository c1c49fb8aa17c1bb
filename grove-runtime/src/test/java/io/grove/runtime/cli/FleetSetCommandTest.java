package io.grove.runtime.cli;

import io.grove.runtime.testing.TestCell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code grove fleet set}: the leader changes the fleet-wide parameters from the command line. */
class FleetSetCommandTest {
    @TempDir
    Path tmp;

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(capturedErr, true, StandardCharsets.UTF_8));
        try {
            int code = Main.commandLine().execute(args);
            System.err.flush();
            return new Result(code, captured.toString(StandardCharsets.UTF_8), capturedErr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void setsFactorAndIntervalsOnTheLeaderAndExplainsRefusals() {
        try (TestCell cell = TestCell.start(tmp.resolve("cell"), Map.of())) {
            String dir = cell.cell().folder().dir().toString();
            Result noFleet = run("fleet", "set", "--factor", "3", "--dir", dir);
            assertThat(noFleet.code()).isNotZero();
            assertThat(noFleet.err()).startsWith("grove: ").contains("no fleet");

            assertThat(run("fleet", "create", "--dir", dir).code()).isZero();
            Result set = run("fleet", "set", "--factor", "3", "--sync-interval", "2m", "--healing-grace", "2h", "--dir", dir);
            assertThat(set.code()).as(set.err()).isZero();
            assertThat(set.out()).contains("replication factor 3").contains("sync interval 120s").contains("7200s");
            var parameters = cell.cell().roster().current().orElseThrow().roster().parameters();
            assertThat(parameters.replicationFactor()).isEqualTo(3);
            assertThat(parameters.syncInterval()).isEqualTo(Duration.ofMinutes(2));
            assertThat(parameters.healingGrace()).isEqualTo(Duration.ofHours(2));

            Result tooMany = run("fleet", "set", "--factor", "17", "--dir", dir);
            assertThat(tooMany.code()).isNotZero();
            assertThat(tooMany.err()).contains("replicationFactor must be 1..16");
            Result nothing = run("fleet", "set", "--dir", dir);
            assertThat(nothing.code()).isNotZero();
            assertThat(nothing.err()).contains("--factor");
        }
    }
}
