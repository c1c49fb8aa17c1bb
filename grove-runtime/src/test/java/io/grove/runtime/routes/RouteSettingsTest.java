package io.grove.runtime.routes;

import io.grove.runtime.config.ConfigException;
import io.grove.runtime.config.GroveConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouteSettingsTest {
    @TempDir
    Path dir;

    private RouteSettings read(Map<String, String> overrides) {
        return RouteSettings.from(GroveConfig.of(dir, overrides).root().node("routes"));
    }

    @Test
    void absentKeysTakeTheDefaults() {
        assertThat(read(Map.of())).isEqualTo(RouteSettings.defaults());
        assertThat(RouteSettings.defaults().probeInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(RouteSettings.defaults().throughputInterval()).isEqualTo(Duration.ofHours(6));
        assertThat(RouteSettings.defaults().maxProbeConcurrency()).isEqualTo(4);
    }

    @Test
    void readsEveryKey() {
        RouteSettings settings = read(Map.of("routes.probe-interval", "30s", "routes.throughput-interval", "12h",
                "routes.call-timeout", "2s", "routes.max-probe-concurrency", "8"));
        assertThat(settings).isEqualTo(new RouteSettings(Duration.ofSeconds(30), Duration.ofHours(12),
                Duration.ofSeconds(2), 8));
    }

    @Test
    void refusesValuesOutOfRangeNamingTheKey() {
        assertThatThrownBy(() -> read(Map.of("routes.probe-interval", "1s")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("routes.probe-interval");
        assertThatThrownBy(() -> read(Map.of("routes.throughput-interval", "90d")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("routes.throughput-interval");
        assertThatThrownBy(() -> read(Map.of("routes.call-timeout", "10m")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("routes.call-timeout");
        assertThatThrownBy(() -> read(Map.of("routes.max-probe-concurrency", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("routes.max-probe-concurrency");
        assertThatThrownBy(() -> read(Map.of("routes.probe-interval", "soon")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("routes.probe-interval");
    }
}
