package io.grove.runtime.cli;

import io.grove.runtime.testing.TestCell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code grove fleet set}: the leader changes the fleet-wide parameters from the command line. */
class FleetSetCommandTest {
    @TempDir
    Path tmp;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void setsFactorAndIntervalsOnTheLeaderAndExplainsRefusals() {
        try (TestCell cell = TestCell.start(tmp.resolve("cell"), Map.of())) {
            String dir = cell.cell().folder().dir().toString();
            CliRun noFleet = run("fleet", "set", "--factor", "3", "--dir", dir);
            assertThat(noFleet.code()).isNotZero();
            assertThat(noFleet.err()).startsWith("grove: ").contains("no fleet");

            assertThat(run("fleet", "create", "--dir", dir).code()).isZero();
            CliRun set = run("fleet", "set", "--factor", "3", "--sync-interval", "2m", "--healing-grace", "2h", "--dir", dir);
            assertThat(set.code()).as(set.err()).isZero();
            assertThat(set.out()).contains("replication factor 3").contains("sync interval 120s").contains("7200s");
            var parameters = cell.cell().roster().current().orElseThrow().roster().parameters();
            assertThat(parameters.replicationFactor()).isEqualTo(3);
            assertThat(parameters.syncInterval()).isEqualTo(Duration.ofMinutes(2));
            assertThat(parameters.healingGrace()).isEqualTo(Duration.ofHours(2));

            CliRun tooMany = run("fleet", "set", "--factor", "17", "--dir", dir);
            assertThat(tooMany.code()).isNotZero();
            assertThat(tooMany.err()).contains("replicationFactor must be 1..16");
            CliRun nothing = run("fleet", "set", "--dir", dir);
            assertThat(nothing.code()).isNotZero();
            assertThat(nothing.err()).contains("--factor");
        }
    }
}
