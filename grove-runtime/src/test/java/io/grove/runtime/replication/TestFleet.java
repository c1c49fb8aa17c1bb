package io.grove.runtime.replication;

import io.grove.runtime.json.Json;
import io.grove.runtime.testing.TestCell;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cells of one replication test, each in a folder under the test's folder named after it (so a cell started again
 * under its name finds its keys and store), all closed after the test.
 */
final class TestFleet implements AutoCloseable {
    private final Path dir;
    private final List<TestCell> cells = new ArrayList<>();

    TestFleet(Path dir) {
        this.dir = dir;
    }

    /** Starts cell {@code name} (again, after {@link #stop}) with {@code settings} and its name as label. */
    TestCell start(String name, Map<String, String> settings) {
        Map<String, String> labelled = new HashMap<>(settings);
        labelled.put("cell.label", name);
        TestCell cell = TestCell.start(dir.resolve(name), labelled);
        cells.add(cell);
        return cell;
    }

    /** Stops {@code cell} now, as a lost device. */
    void stop(TestCell cell) {
        cell.close();
        cells.remove(cell);
    }

    /** {@code founder} creates a fleet and every one of {@code joiners} joins it as a member. */
    static void form(TestCell founder, List<TestCell> joiners) throws Exception {
        assertThat(founder.postJson("/api/v1/fleet", "{}").statusCode()).isEqualTo(201);
        for (TestCell joiner : joiners) {
            String code = Json.mapper().readTree(founder.postJson("/api/v1/fleet/invites", "{}").body()).get("code")
                    .asText();
            assertThat(joiner.postJson("/api/v1/fleet/join", "{\"code\":\"" + code + "\"}").statusCode())
                    .isEqualTo(200);
        }
    }

    @Override
    public void close() {
        cells.forEach(c -> {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // already closed by the test
            }
        });
    }
}
