package io.grove.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two network namespaces joined by a veth pair with multicast on: a two-host LAN that exists only for a test.
 * {@link #close()} deletes both namespaces, which deletes the pair with them. Needs root and iproute2.
 */
public final class VethPair implements AutoCloseable {
    /** The addresses of the two ends, in a subnet that exists only inside the namespaces. */
    public static final String ADDRESS_A = "10.77.0.1";
    public static final String ADDRESS_B = "10.77.0.2";
    private static final long COMMAND_SECONDS = 20;

    private final String namespaceA;
    private final String namespaceB;
    private Thread hook;

    private VethPair(String namespaceA, String namespaceB) {
        this.namespaceA = namespaceA;
        this.namespaceB = namespaceB;
    }

    /** The {@code ip} command, if this machine has one. */
    public static Path ipCommand() {
        for (String candidate : List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip")) {
            Path path = Path.of(candidate);
            if (Files.isExecutable(path)) {
                return path;
            }
        }
        return null;
    }

    /**
     * Creates the namespaces {@code <prefix>-<pid>-a} and {@code -b} for this process, after deleting those of
     * earlier test processes that died before they could (their pid is gone). They are also deleted when this JVM
     * is stopped before {@link #close()}.
     */
    public static VethPair create(String prefix) throws IOException {
        deleteOrphans(prefix);
        long pid = ProcessHandle.current().pid();
        VethPair pair = new VethPair(prefix + "-" + pid + "-a", prefix + "-" + pid + "-b");
        String vethPrefix = "gv" + pid;
        pair.deleteQuietly();
        String vethA = vethPrefix + "a";
        String vethB = vethPrefix + "b";
        try {
            ip("netns", "add", pair.namespaceA);
            ip("netns", "add", pair.namespaceB);
            ip("link", "add", vethA, "netns", pair.namespaceA, "type", "veth", "peer", "name", vethB, "netns", pair.namespaceB);
            ip("-n", pair.namespaceA, "addr", "add", ADDRESS_A + "/24", "dev", vethA);
            ip("-n", pair.namespaceB, "addr", "add", ADDRESS_B + "/24", "dev", vethB);
            ip("-n", pair.namespaceA, "link", "set", vethA, "up", "multicast", "on");
            ip("-n", pair.namespaceB, "link", "set", vethB, "up", "multicast", "on");
            ip("-n", pair.namespaceA, "link", "set", "lo", "up");
            ip("-n", pair.namespaceB, "link", "set", "lo", "up");
        } catch (IOException | RuntimeException e) {
            pair.deleteQuietly();
            throw e;
        }
        pair.hook = new Thread(pair::deleteQuietly, "delete-" + pair.namespaceA);
        Runtime.getRuntime().addShutdownHook(pair.hook);
        return pair;
    }

    private static void deleteOrphans(String prefix) throws IOException {
        Pattern ours = Pattern.compile(Pattern.quote(prefix) + "-(\\d{1,10})-[ab]");
        for (String line : list().lines().toList()) {
            String name = line.split(" ")[0];
            Matcher matcher = ours.matcher(name);
            if (matcher.matches() && ProcessHandle.of(Long.parseLong(matcher.group(1))).isEmpty()) {
                ip("netns", "delete", name);
            }
        }
    }

    public String namespaceA() {
        return namespaceA;
    }

    public String namespaceB() {
        return namespaceB;
    }

    /** The command line that runs {@code command} inside {@code namespace}. */
    public static List<String> inside(String namespace, List<String> command) {
        List<String> out = new ArrayList<>(List.of(ipCommand().toString(), "netns", "exec", namespace));
        out.addAll(command);
        return out;
    }

    /** The namespaces of this machine, as {@code ip netns list} prints them. */
    public static String list() throws IOException {
        return ip("netns", "list");
    }

    @Override
    public void close() throws IOException {
        if (hook != null) {
            Runtime.getRuntime().removeShutdownHook(hook);
            hook = null;
        }
        IOException failure = null;
        for (String namespace : List.of(namespaceA, namespaceB)) {
            try {
                ip("netns", "delete", namespace);
            } catch (IOException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void deleteQuietly() {
        for (String namespace : List.of(namespaceA, namespaceB)) {
            try {
                if (Files.exists(Path.of("/run/netns", namespace))) {
                    ip("netns", "delete", namespace);
                }
            } catch (IOException e) {
                // nothing was there to delete
            }
        }
    }

    private static String ip(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(ipCommand().toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + COMMAND_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + String.join(" ", command), e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + output.strip());
        }
        return output;
    }
}
