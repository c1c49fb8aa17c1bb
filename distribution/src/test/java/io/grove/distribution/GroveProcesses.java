package io.grove.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an unpacked distribution's {@code bin/grove} as real processes, each with its output in a log file, and
 * stops every process it started on {@link #close()}: SIGTERM first, then SIGKILL.
 */
final class GroveProcesses implements AutoCloseable {
    /** How long a cell may take to start on a slow, busy machine. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** How long a command that does not serve may run. */
    static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
    /** How long a cell may take to stop after SIGTERM. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path home;
    private final Path logs;
    private final Map<String, String> environment;
    private final List<String> prefix;
    private final List<Process> started;
    private final List<Path> logFiles;
    private int count;

    /**
     * @param home        the distribution folder holding {@code bin/grove}
     * @param logs        where to write each process's output
     * @param environment the whole environment of the processes
     */
    GroveProcesses(Path home, Path logs, Map<String, String> environment) {
        this(home, logs, environment, List.of(), new ArrayList<>(), new ArrayList<>());
    }

    private GroveProcesses(Path home, Path logs, Map<String, String> environment, List<String> prefix,
                           List<Process> started, List<Path> logFiles) {
        this.home = home;
        this.logs = logs;
        this.environment = Map.copyOf(environment);
        this.prefix = List.copyOf(prefix);
        this.started = started;
        this.logFiles = logFiles;
    }

    /**
     * The same distribution run behind {@code prefix} (such as {@code ip netns exec NS}), logging into a subfolder
     * {@code name}; its processes are stopped with this one's.
     */
    GroveProcesses behind(String name, List<String> prefix) throws IOException {
        return new GroveProcesses(home, Files.createDirectories(logs.resolve(name)), environment, prefix, started,
                logFiles);
    }

    /** The same distribution with other JVM options ({@code GROVE_JAVA_OPTS}), logging into a subfolder {@code name}. */
    GroveProcesses withJavaOptions(String name, String options) throws IOException {
        Map<String, String> env = new java.util.HashMap<>(environment);
        env.put("GROVE_JAVA_OPTS", options);
        return new GroveProcesses(home, Files.createDirectories(logs.resolve(name)), env, prefix, started, logFiles);
    }

    /** This test JVM's environment without any {@code GROVE_*} setting, on the JDK running the tests, small heap. */
    static Map<String, String> testEnvironment() {
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("GROVE_") || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("GROVE_JAVA_OPTS", "-Xmx256m");
        return env;
    }

    /** What a finished command did. */
    record Exit(int code, String stdout, String stderr) {
        List<String> stderrLines() {
            return stderr.lines().toList();
        }

        /** The CLI's error lines: the ones starting {@code grove:}. */
        List<String> errors() {
            return stderr.lines().filter(l -> l.startsWith("grove:")).toList();
        }
    }

    /** A serving cell, as recorded in its {@code serve.json}. */
    record Cell(Process process, Path dir, URI api, int peerPort, String cellId, long pid, Path log) {
        String token() {
            try {
                return Files.readString(dir.resolve("api.token")).trim();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Runs {@code bin/grove args…} to completion (bounded) and returns its exit code and output. */
    Exit run(String... args) throws IOException, InterruptedException {
        String name = "run-" + (++count) + "-" + args[0];
        Path out = logs.resolve(name + ".out");
        Path err = logs.resolve(name + ".err");
        logFiles.add(out);
        logFiles.add(err);
        ProcessBuilder builder = builder(args).redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = track(builder.start());
        if (!process.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("grove " + String.join(" ", args) + " did not finish within " + RUN_TIMEOUT
                    + "; its output so far:\n" + read(out) + read(err));
        }
        return new Exit(process.exitValue(), read(out), read(err));
    }

    /**
     * Starts {@code bin/grove serve --dir cellDir args…} and waits (bounded) for the cell to record where it
     * listens.
     *
     * @throws AssertionError with the cell's output if it exits or does not start in time
     */
    Cell serve(Path cellDir, String... args) throws IOException, InterruptedException {
        Path serveFile = cellDir.resolve("serve.json");
        if (Files.exists(serveFile)) {
            throw new IllegalStateException(serveFile + " exists before the cell starts; it would be mistaken for the new one's");
        }
        List<String> command = new ArrayList<>(List.of("serve", "--dir", cellDir.toString()));
        command.addAll(Arrays.asList(args));
        Path log = logs.resolve("serve-" + (++count) + ".log");
        logFiles.add(log);
        Process process = track(builder(command.toArray(String[]::new))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start());
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("grove serve exited with code " + process.exitValue()
                        + " before it served; its output:\n" + read(log));
            }
            if (Files.exists(serveFile)) {
                JsonNode info = JSON.readTree(serveFile.toFile());
                return new Cell(process, cellDir, URI.create(info.path("apiUrl").asText()),
                        info.path("peerPort").asInt(), info.path("cellId").asText(), info.path("pid").asLong(), log);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("grove serve did not write " + serveFile + " within " + START_TIMEOUT
                + "; its output:\n" + read(log));
    }

    /**
     * Sends SIGTERM to a cell and waits (bounded) for it to exit.
     *
     * @return its exit code
     */
    int stop(Cell cell) throws InterruptedException, IOException {
        cell.process().destroy();
        if (!cell.process().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the cell did not stop within " + STOP_TIMEOUT + " of SIGTERM; its output:\n"
                    + read(cell.log()));
        }
        return cell.process().exitValue();
    }

    /** Everything the processes wrote, for the report of a failed test. */
    String output() {
        StringBuilder all = new StringBuilder();
        for (Path file : logFiles) {
            all.append("----- ").append(file.getFileName()).append(" -----\n").append(read(file));
        }
        return all.toString();
    }

    /** Stops every process still running: SIGTERM, then SIGKILL for any that does not exit in time. */
    @Override
    public void close() {
        for (Process process : started) {
            process.destroy();
        }
        boolean interrupted = false;
        for (Process process : started) {
            try {
                if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                interrupted = true;
                process.destroyForcibly();
            }
        }
        started.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private ProcessBuilder builder(String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.add(home.resolve("bin").resolve("grove").toString());
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(logs.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder;
    }

    private Process track(Process process) {
        started.add(process);
        return process;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")\n";
        }
    }
}
