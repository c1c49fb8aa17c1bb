package io.grove.transport.lan;

import io.grove.testing.VethPair;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A {@link LanNode} running in a network namespace, seen from the test: its output lines and its input. */
final class LanNodeProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private boolean ended;
    private final String cell;
    private final int port;

    private LanNodeProcess(String name, Process process, Duration startWait) throws IOException {
        this.name = name;
        this.process = process;
        Thread reader = new Thread(this::read, "lan-node-" + name);
        reader.setDaemon(true);
        reader.start();
        String[] started = await(line -> line.startsWith("started "), startWait).split(" ");
        this.cell = started[1];
        this.port = Integer.parseInt(started[2]);
    }

    /** Starts a node bound to {@code address} inside {@code namespace}, and waits until its transport has started. */
    static LanNodeProcess start(String name, String namespace, String address, Duration wait) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = VethPair.inside(namespace, List.of(java, "-Xmx96m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), LanNode.class.getName(), address));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            return new LanNodeProcess(name, process, wait);
        } catch (IOException | RuntimeException | AssertionError e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** The node's cell id. */
    String cell() {
        return cell;
    }

    /** The port of the node's peer socket. */
    int port() {
        return port;
    }

    /** Sends one command line. */
    void send(String command) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Waits at most {@code wait} for a line matching {@code wanted}, and returns the first one. */
    String await(Predicate<String> wanted, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (lines) {
            while (true) {
                Optional<String> found = lines.stream().filter(wanted).findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || ended) {
                    throw new AssertionError("node " + name + " printed no awaited line " + (ended ? "before it ended" : "within " + wait) + "; it printed:\n"
                            + String.join("\n", lines));
                }
                try {
                    lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted waiting for node " + name, e);
                }
            }
        }
    }

    /** Every line printed so far. */
    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    private void read() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
        synchronized (lines) {
            ended = true;
            lines.notifyAll();
        }
    }

    /** Asks the node to quit, then kills it if it has not within a few seconds. */
    @Override
    public void close() {
        try {
            send("quit");
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
