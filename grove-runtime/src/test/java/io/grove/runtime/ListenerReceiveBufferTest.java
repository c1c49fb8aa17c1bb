package io.grove.runtime;

import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import org.junit.jupiter.api.Test;

import java.net.StandardSocketOptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both listeners ask for a receive buffer large enough for uploads and pushes. Without one, Helidon 4.2.0 asks for
 * 4 KiB (its issue #10801): every connection then reads 4 KiB at a time with the sender stalled on the window, which
 * cost a receiving cell over twice the CPU for a 1 GiB push (docs/benchmarks.md, session 10).
 */
class ListenerReceiveBufferTest {
    @Test
    void theDefaultListenerAsksForTheLargeBuffer() {
        WebServerConfig config = Cell.withReceiveBuffer(WebServer.builder()).port(0).buildPrototype();

        assertThat(config.listenerSocketOptions()).containsEntry(StandardSocketOptions.SO_RCVBUF,
                Cell.LISTENER_RECEIVE_BUFFER);
    }

    @Test
    void aNamedListenerAsksForTheLargeBuffer() {
        ListenerConfig config = Cell.withReceiveBuffer(ListenerConfig.builder()).name("peer").port(0).buildPrototype();

        assertThat(config.listenerSocketOptions()).containsEntry(StandardSocketOptions.SO_RCVBUF,
                Cell.LISTENER_RECEIVE_BUFFER);
    }

    @Test
    void helidonWouldAskForFourKibibytesOtherwise() {
        // When this fails, Helidon no longer sets a receive buffer of its own (fixed in 4.3.2): the workaround in
        // Cell can then go, letting the kernel tune the buffer.
        ListenerConfig config = ListenerConfig.builder().name("peer").port(0).buildPrototype();

        assertThat(config.listenerSocketOptions()).containsEntry(StandardSocketOptions.SO_RCVBUF, 4096);
    }
}
