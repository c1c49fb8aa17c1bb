package io.grove.runtime.web;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AllowedHostsTest {
    private final AllowedHosts defaults = new AllowedHosts(List.of());

    @Test
    void loopbackNamesAndAddressesOnTheSocketPortAreAllowed() {
        assertThat(defaults.allows("127.0.0.1:5678", 5678)).isTrue();
        assertThat(defaults.allows("localhost:5678", 5678)).isTrue();
        assertThat(defaults.allows("LOCALHOST:5678", 5678)).isTrue();
        assertThat(defaults.allows("[::1]:5678", 5678)).isTrue();
        assertThat(defaults.allows("192.168.1.20:5678", 5678)).isTrue();
    }

    @Test
    void rebindingNamesOtherPortsAndJunkAreRefused() {
        assertThat(defaults.allows("evil.example:5678", 5678)).isFalse();
        assertThat(defaults.allows("127.0.0.1.nip.io:5678", 5678)).isFalse();
        assertThat(defaults.allows("127.0.0.1:5679", 5678)).isFalse();
        assertThat(defaults.allows("127.0.0.1", 5678)).isFalse();
        assertThat(defaults.allows("localhost", 5678)).isFalse();
        assertThat(defaults.allows("", 5678)).isFalse();
        assertThat(defaults.allows("127.0.0.1:5678/x", 5678)).isFalse();
        assertThat(defaults.allows("[::1:5678", 5678)).isFalse();
        assertThat(defaults.allows("a".repeat(400), 5678)).isFalse();
    }

    @Test
    void configuredNamesAreAllowedWithTheSocketPortOrNoneOrTheirOwn() {
        AllowedHosts hosts = new AllowedHosts(List.of("grove.example.org", "pi.local:8443"));
        assertThat(hosts.allows("grove.example.org", 5678)).isTrue();
        assertThat(hosts.allows("Grove.Example.Org:5678", 5678)).isTrue();
        assertThat(hosts.allows("grove.example.org:9999", 5678)).isFalse();
        assertThat(hosts.allows("pi.local:8443", 5678)).isTrue();
        assertThat(hosts.allows("pi.local:5678", 5678)).isFalse();
        assertThat(hosts.allows("pi.local", 5678)).isFalse();
    }

    @Test
    void malformedConfigurationIsNamed() {
        assertThatThrownBy(() -> new AllowedHosts(List.of("http://x"))).hasMessageContaining("'http://x'");
        assertThatThrownBy(() -> new AllowedHosts(List.of("x:99999"))).hasMessageContaining("'x:99999'");
    }
}
