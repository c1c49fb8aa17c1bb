package io.grove.runtime.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A query to a cell that accepts the connection and then says nothing ends with one line, not a hang; so does a
 * local put whose answer breaks off.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // without the fix the query hangs for good
class ApiClientTimeoutTest {
    @Test
    void aSilentCellFailsAQueryOnceTheTimeoutPasses() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            CountDownLatch release = new CountDownLatch(1);
            Thread silent = Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept()) {
                    release.await(20, TimeUnit.SECONDS); // reads nothing, answers nothing
                } catch (IOException | InterruptedException ignored) {
                    // the test is over
                }
            });
            ApiClient client = ApiClient.at("http://127.0.0.1:" + server.getLocalPort(), "t", Duration.ofSeconds(1));
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.get("/api/v1/stats"))
                    .isInstanceOf(CliException.class)
                    .hasMessage("the cell at http://127.0.0.1:" + server.getLocalPort()
                            + " accepted the request but did not answer within 1 s");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(10));
            release.countDown();
            silent.join();
        }
    }

    @Test
    void aLocalPutWhoseAnswerBreaksOffSaysSoInOneLine() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            Thread breaking = Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                    in.read(new byte[4096]);
                    byte[] line = "{\"total\":100}\n".getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + Integer.toHexString(line.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(line);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush(); // then the connection closes without the last chunk, as when a cell dies mid-put
                } catch (IOException ignored) {
                    // the assertion below tells
                }
            });
            ApiClient client = ApiClient.at("http://127.0.0.1:" + server.getLocalPort(), "t", "local", Duration.ofSeconds(5));
            try (Progress progress = new Progress("storing", 100)) {
                assertThatThrownBy(() -> client.putLocal(java.nio.file.Path.of("/tmp/anything"), "anything", progress))
                        .isInstanceOf(CliException.class)
                        .hasMessageStartingWith("the cell's answer broke off before the put was done (")
                        .hasMessageContaining("did the cell stop?");
            }
            breaking.join();
        }
    }

    @Test
    void aCellThatAnswersInTimeIsHeard() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            Thread answering = Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                    byte[] request = new byte[4096];
                    in.read(request); // the request line and headers, all in one segment on loopback
                    Thread.sleep(200);
                    byte[] body = "{\"files\":3}".getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                } catch (IOException | InterruptedException ignored) {
                    // the assertion below tells
                }
            });
            ApiClient client = ApiClient.at("http://127.0.0.1:" + server.getLocalPort(), "t", Duration.ofSeconds(5));
            assertThat(client.get("/api/v1/stats").path("files").asInt()).isEqualTo(3);
            answering.join();
        }
    }
}
