package io.grove.testing;

import io.grove.api.plugin.PluginConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MapPluginConfigTest {
    private static final Path CELL = Path.of("/srv/grove/cell").toAbsolutePath();

    private static PluginConfig config(String key, Object value) {
        return new MapPluginConfig("stores.main", Map.of(key, value), CELL);
    }

    @Test
    void namesTheInstanceAfterTheLastSegmentOfItsPath() {
        PluginConfig config = MapPluginConfig.empty("transports.lan-mdns", CELL);

        assertThat(config.id()).isEqualTo("lan-mdns");
        assertThat(config.path()).isEqualTo("transports.lan-mdns");
        assertThat(config.keys()).isEmpty();
    }

    @Test
    void missingKeysGiveEmptyOrTheDefault() {
        PluginConfig config = MapPluginConfig.empty("stores.main", CELL);

        assertThat(config.string("x")).isEmpty();
        assertThat(config.integer("x", 7)).isEqualTo(7);
        assertThat(config.longValue("x", 8L)).isEqualTo(8L);
        assertThat(config.bool("x", true)).isTrue();
        assertThat(config.duration("x", Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.size("x", 42)).isEqualTo(42);
        assertThat(config.path("x")).isEmpty();
        assertThat(config.list("x")).isEmpty();
        assertThat(config.node("x").keys()).isEmpty();
        assertThat(config.node("x").path()).isEqualTo("stores.main.x");
    }

    @Test
    void treatsANullValueAsMissing() {
        Map<String, Object> values = new HashMap<>();
        values.put("empty", null);
        PluginConfig config = new MapPluginConfig("stores.main", values, CELL);

        assertThat(config.keys()).isEmpty();
        assertThat(config.string("empty")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "500ms, PT0.5S",
            "30s, PT30S",
            "5m, PT5M",
            "1h, PT1H",
            "7d, PT168H",
            "0s, PT0S",
            "PT5M, PT5M",
            "pt1h30m, PT1H30M",
            "' 30s ', PT30S",
    })
    void readsDurationsInShortAndIsoForm(String text, String iso) {
        assertThat(config("timeout", text).duration("timeout")).hasValue(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"30", "30 s", "30S", "1w", "-5s", "PT-5S", "1.5h", "s", "", "99999999999999999999d", "P"})
    void rejectsDurationsOfAnyOtherFormNamingTheFullKey(String text) {
        PluginConfig config = config("timeout", text);

        assertThatThrownBy(() -> config.duration("timeout"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("stores.main.timeout ");
    }

    @ParameterizedTest
    @CsvSource({
            "512, 512",
            "512b, 512",
            "64k, 65536",
            "64K, 65536",
            "64kB, 65536",
            "64KiB, 65536",
            "16MiB, 16777216",
            "16m, 16777216",
            "16 MB, 16777216",
            "1g, 1073741824",
            "1GiB, 1073741824",
            "0, 0",
    })
    void readsSizesWithBinaryMultiples(String text, long bytes) {
        assertThat(config("max", text).size("max")).hasValue(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5g", "-1", "16Mi", "16MiBs", "1t", "k", "", "ten", "9999999999g", "99999999999999999999"})
    void rejectsSizesOfAnyOtherFormNamingTheFullKey(String text) {
        PluginConfig config = config("max", text);

        assertThatThrownBy(() -> config.size("max"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("stores.main.max ");
    }

    @Test
    void readsNumbersGivenAsNumbersOrText() {
        assertThat(config("n", 42).integer("n")).hasValue(42);
        assertThat(config("n", " 42 ").integer("n")).hasValue(42);
        assertThat(config("n", 5_000_000_000L).longValue("n")).hasValue(5_000_000_000L);
        assertThat(config("n", 1024).size("n")).hasValue(1024L);
    }

    @Test
    void rejectsNumbersThatDoNotFit() {
        assertThatThrownBy(() -> config("n", 5_000_000_000L).integer("n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("stores.main.n ");
        assertThatThrownBy(() -> config("n", 1.5).longValue("n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("stores.main.n ");
    }

    @Test
    void readsBooleansOnlyAsTrueOrFalse() {
        assertThat(config("fsync", true).bool("fsync")).hasValue(true);
        assertThat(config("fsync", "false").bool("fsync")).hasValue(false);
        assertThatThrownBy(() -> config("fsync", "yes").bool("fsync"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stores.main.fsync must be true or false, not 'yes'");
    }

    @Test
    void resolvesRelativePathsAgainstTheCellFolder() {
        assertThat(config("path", "chunks").path("path")).hasValue(CELL.resolve("chunks"));
        Path absolute = Path.of("/mnt/disk/chunks").toAbsolutePath();
        assertThat(config("path", absolute.toString()).path("path")).hasValue(absolute);
        assertThatThrownBy(() -> config("path", " ").path("path"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("stores.main.path ");
    }

    @Test
    void readsListsFromSequencesOrCommaSeparatedText() {
        assertThat(config("peers", List.of("a", 2, true)).list("peers")).containsExactly("a", "2", "true");
        assertThat(config("peers", "a, b,,c ").list("peers")).containsExactly("a", "b", "c");
        assertThatThrownBy(() -> config("peers", List.of(Map.of("a", 1))).list("peers"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("stores.main.peers ");
    }

    @Test
    void readsNestedNodesWithTheirFullKeyInErrors() {
        PluginConfig config = config("tls", Map.of("timeout", "soon", "port", 8443));

        PluginConfig tls = config.node("tls");

        assertThat(tls.id()).isEqualTo("tls");
        assertThat(tls.keys()).containsExactlyInAnyOrder("timeout", "port");
        assertThat(tls.integer("port")).hasValue(8443);
        assertThatThrownBy(() -> tls.duration("timeout"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("stores.main.tls.timeout ");
    }

    @Test
    void rejectsAStructureWhereAValueIsExpectedAndTheReverse() {
        assertThatThrownBy(() -> config("tls", Map.of("a", 1)).string("tls"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("stores.main.tls ");
        assertThatThrownBy(() -> config("tls", "on").node("tls"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("stores.main.tls ");
    }
}
