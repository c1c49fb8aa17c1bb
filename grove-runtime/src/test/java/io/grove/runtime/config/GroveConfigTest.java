package io.grove.runtime.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroveConfigTest {
    @TempDir
    Path dir;

    private GroveConfig load(String yaml, Map<String, String> overrides, Map<String, String> env) throws IOException {
        Files.writeString(dir.resolve("grove.yaml"), yaml);
        return GroveConfig.load(dir, overrides, env);
    }

    @Test
    void flagsWinOverEnvironmentWhichWinsOverTheFile() throws IOException {
        String yaml = "api:\n  port: 1000\n  bind: 127.0.0.2\nsync:\n  interval: 5m\n";
        GroveConfig config = load(yaml, Map.of("api.port", "3000"),
                Map.of("GROVE_API_PORT", "2000", "GROVE_API_BIND", "127.0.0.3"));
        assertThat(config.root().integer("api.port", 0)).isEqualTo(3000);
        assertThat(config.root().string("api.bind", "")).isEqualTo("127.0.0.3");
        assertThat(config.root().duration("sync.interval", Duration.ZERO)).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.root().string("missing")).isEmpty();
    }

    @Test
    void environmentNamesUseUnderscoresForDotsAndDashes() throws IOException {
        assertThat(GroveConfig.environmentName("healing.grace-period")).isEqualTo("GROVE_HEALING_GRACE_PERIOD");
        GroveConfig config = load("", Map.of(), Map.of("GROVE_HEALING_GRACE_PERIOD", "90s"));
        assertThat(config.node("healing").duration("grace-period")).contains(Duration.ofSeconds(90));
    }

    @Test
    void setFlagsCanCreateWholeInstances() throws IOException {
        GroveConfig config = load("transports:\n  direct:\n    type: direct\n",
                GroveConfig.parseAssignments(List.of("transports.lan.type=lan-mdns", "transports.lan.enabled=false")),
                Map.of());
        assertThat(config.node("transports").keys()).containsExactly("direct", "lan");
        assertThat(config.node("transports.lan").bool("enabled", true)).isFalse();
        assertThat(config.node("transports.lan").id()).isEqualTo("lan");
    }

    @Test
    void listsComeFromSequencesOrCommaSeparatedText() throws IOException {
        GroveConfig config = load("watch:\n  folders: [a, b]\n", Map.of("peers", "x:1, y:2"), Map.of());
        assertThat(config.root().list("watch.folders")).containsExactly("a", "b");
        assertThat(config.root().list("peers")).containsExactly("x:1", "y:2");
        assertThat(load("watch:\n  folders: [a, b]\n", Map.of("watch.folders", "c"), Map.of()).root()
                .list("watch.folders")).containsExactly("c");
    }

    @Test
    void typedValuesOfTheWrongFormNameTheKey() throws IOException {
        GroveConfig config = load("api:\n  port: many\nsync:\n  interval: soon\n", Map.of(), Map.of());
        assertThatThrownBy(() -> config.root().integer("api.port", 1)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'api.port'").hasMessageContaining("whole number");
        assertThatThrownBy(() -> config.root().duration("sync.interval")).hasMessageContaining("'sync.interval'");
        assertThatThrownBy(() -> config.root().integer("api", 1)).hasMessageContaining("is a section");
    }

    @Test
    void sizesAndDurationsAcceptHumanForms() {
        assertThat(ConfigValues.size("k", "16MiB")).isEqualTo(16L << 20);
        assertThat(ConfigValues.size("k", "64k")).isEqualTo(64L << 10);
        assertThat(ConfigValues.size("k", "1g")).isEqualTo(1L << 30);
        assertThat(ConfigValues.size("k", "512")).isEqualTo(512);
        assertThat(ConfigValues.duration("k", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(ConfigValues.duration("k", "7d")).isEqualTo(Duration.ofDays(7));
        assertThat(ConfigValues.duration("k", "PT5M")).isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> ConfigValues.size("k", "9999999999g")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> ConfigValues.bool("k", "maybe")).hasMessageContaining("true or false");
    }

    @Test
    void invalidYamlIsReportedWithTheFileAndLine() {
        assertThatThrownBy(() -> load("api:\n  port: [1,\n", Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("grove.yaml").hasMessageContaining("line");
        assertThatThrownBy(() -> load("- a\n- b\n", Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("mapping");
    }

    @Test
    void missingFileIsAnEmptyConfiguration() {
        assertThat(GroveConfig.load(dir, Map.of(), Map.of()).root().keys()).isEmpty();
    }

    @Test
    void malformedAssignmentsAndKeysAreRefused() {
        assertThatThrownBy(() -> GroveConfig.parseAssignment("novalue")).hasMessageContaining("key=value");
        assertThatThrownBy(() -> GroveConfig.parseAssignment("API.Port=1")).hasMessageContaining("lower-case");
        assertThatThrownBy(() -> GroveConfig.parseAssignment("=1")).isInstanceOf(ConfigException.class);
    }
}
