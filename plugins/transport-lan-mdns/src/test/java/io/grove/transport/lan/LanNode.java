package io.grove.transport.lan;

import com.sun.net.httpserver.HttpServer;
import io.grove.api.CellId;
import io.grove.api.transport.PeerRequest;
import io.grove.api.transport.PeerResponse;
import io.grove.api.transport.Route;
import io.grove.api.transport.Transport;
import io.grove.testing.MapPluginConfig;
import io.grove.testing.TestPluginContext;

import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * One cell's LAN transport in a process of its own, which {@link LanDiscoveryTest} runs inside a network namespace
 * (a JVM cannot be in two). It serves a peer socket answering {@code ping}, starts a {@code lan} transport bound
 * to the given address with a recording host, and speaks a line protocol:
 *
 * <pre>
 * out: started CELL PORT | discovered CELL URI | lost CELL URI | log LEVEL MESSAGE | response STATUS BODY
 *      | failed REASON | announced NAME | closed
 * in:  exchange CELL | announce TYPE NAME PORT KEY=VALUE;…|- | close | quit
 * </pre>
 *
 * {@code announce} registers an arbitrary service with a second, independent mDNS responder: the foreign and
 * malformed announcements a LAN may carry.
 */
public final class LanNode {
    private static final Object OUT = new Object();
    /** JUL holds loggers weakly: a collected one would lose the configuration made here. */
    private static final List<Logger> KEEP = new CopyOnWriteArrayList<>();

    private LanNode() {
    }

    public static void main(String[] args) throws IOException {
        InetAddress address = InetAddress.getByName(args[0]);
        Path dir = Files.createTempDirectory("grove-lan-node");
        printPluginLog("io.grove.plugin.lan");
        CellId self = RecordingHost.randomCell();
        HttpServer peerSocket = HttpServer.create(new InetSocketAddress(address, 0), 0);
        peerSocket.createContext("/peer/v1/ping", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] reply = ("pong from " + self).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, reply.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply);
            }
        });
        peerSocket.start();
        int port = peerSocket.getAddress().getPort();
        JmDNS rogue = null;
        try (TestPluginContext context = TestPluginContext.builder(dir).instanceId("lan").cellId(self).build()) {
            Transport transport = new LanTransportPlugin().transports().get(0).create(context,
                    new MapPluginConfig("transports.lan", Map.of("type", "lan", "interface", args[0],
                            "connect-timeout", "2s"), dir));
            transport.start(new RecordingHost(self, port, LanNode::println));
            println("started " + self + " " + port);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
                String[] words = line.split(" ");
                try {
                    switch (words[0]) {
                        case "exchange" -> exchange(transport, CellId.parse(words[1]));
                        case "announce" -> {
                            if (rogue == null) {
                                rogue = JmDNS.create(address, "rogue");
                            }
                            rogue.registerService(ServiceInfo.create(words[1], words[2], Integer.parseInt(words[3]), 0, 0,
                                    properties(words[4])));
                            println("announced " + words[2]);
                        }
                        case "close" -> {
                            transport.close();
                            println("closed");
                        }
                        default -> println("failed unknown command " + line);
                    }
                } catch (IOException | RuntimeException e) {
                    println("failed " + e);
                }
            }
            transport.close();
        } finally {
            if (rogue != null) {
                rogue.close();
            }
            peerSocket.stop(0);
        }
        System.exit(0);
    }

    private static void exchange(Transport transport, CellId peer) throws IOException {
        List<Route> routes = transport.routes(peer);
        if (routes.isEmpty()) {
            println("failed no route to " + peer);
            return;
        }
        PeerRequest ping = new PeerRequest("ping", Map.of(), 0, InputStream.nullInputStream());
        try (PeerResponse response = transport.exchange(routes.get(0), ping, Duration.ofSeconds(5))) {
            println("response " + response.status() + " " + new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static Map<String, String> properties(String text) {
        Map<String, String> out = new HashMap<>();
        if (!text.equals("-")) {
            for (String pair : text.split(";")) {
                int eq = pair.indexOf('=');
                out.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return out;
    }

    /** Sends the plugin's log, debug included, to stdout as {@code log LEVEL MESSAGE} lines. */
    private static void printPluginLog(String name) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(Level.ALL);
        logger.setUseParentHandlers(false);
        SimpleFormatter formatter = new SimpleFormatter();
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                println("log " + record.getLevel() + " " + formatter.formatMessage(record).replace('\n', ' '));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        KEEP.add(logger);
    }

    private static void println(String line) {
        synchronized (OUT) {
            System.out.println(line);
            System.out.flush();
        }
    }
}
