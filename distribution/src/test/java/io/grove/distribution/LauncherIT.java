package io.grove.distribution;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/grove} on its own: which Java it picks and what it passes on. Fake {@code java} scripts report a
 * version to {@code -version} and otherwise print their name and arguments, so every branch can be tried on any
 * machine; the PATH holds only the few tools the launcher uses, so the machine's own Java cannot interfere.
 */
class LauncherIT {
    private static final String NO_JAVA = "grove: needs a Java runtime 21 or newer; install one "
            + "(e.g. apt-get install openjdk-21-jre-headless) or set JAVA_HOME";

    @TempDir
    Path tmp;
    private Path home;
    private Path tools;
    private Path jdks;

    /** A distribution with the real launcher and a lib/ that must not be globbed by the shell. */
    @BeforeEach
    void copyTheLauncher() throws IOException {
        home = Files.createDirectories(tmp.resolve("grove"));
        Files.createDirectories(home.resolve("bin"));
        Files.copy(BuiltDistribution.folder().resolve("bin/grove"), home.resolve("bin/grove"));
        Files.createDirectories(home.resolve("lib"));
        Files.writeString(home.resolve("lib/some.jar"), "");
        tools = Files.createDirectories(tmp.resolve("tools"));
        for (String tool : List.of("sed", "head", "dirname", "readlink")) {
            Files.createSymbolicLink(tools.resolve(tool), systemTool(tool));
        }
        jdks = Files.createDirectories(tmp.resolve("jvm"));
    }

    @Test
    void launcherInTheBuiltFolderIsExecutable() {
        assertThat(BuiltDistribution.folder().resolve("bin/grove")).isExecutable();
    }

    @Test
    void picksTheNewestJdkOf21OrLaterWhenJavaHomeIsOlder() throws Exception {
        Path java17 = fakeJdk("jdk-17", "17.0.15");
        fakeJdk("jdk-8", "1.8.0_392");
        fakeJdk("jdk-21", "21.0.5");
        fakeJdk("jdk-25", "25");
        fakeJdk("jdk-26-ea", "26-ea");

        Result result = launch(Map.of("JAVA_HOME", java17.toString(), "GROVE_JDK_DIRS", jdks.toString()), "--version");

        assertThat(result.stdout()).first().isEqualTo("jdk-26-ea");
    }

    @Test
    void comparesVersionsByNumberNotByText() throws Exception {
        fakeJdk("jdk-21.0.11", "21.0.11");
        fakeJdk("jdk-21.0.5", "21.0.5");
        fakeJdk("jdk-21.0.9", "21.0.9");

        assertThat(launch(Map.of("GROVE_JDK_DIRS", jdks.toString())).stdout()).first().isEqualTo("jdk-21.0.11");
    }

    @Test
    void prefersJavaHomeWhenItIs21OrNewer() throws Exception {
        Path java21 = fakeJdk("jdk-21", "21.0.5");
        fakeJdk("jdk-25", "25");

        Result result = launch(Map.of("JAVA_HOME", java21.toString(), "GROVE_JDK_DIRS", jdks.toString()));

        assertThat(result.stdout()).first().isEqualTo("jdk-21");
    }

    @Test
    void searchesEveryFolderOfGroveJdkDirs() throws Exception {
        Path other = Files.createDirectories(tmp.resolve("other"));
        fakeJdk("jdk-21", "21.0.5");
        fakeJava(other.resolve("jdk-22/bin/java"), "jdk-22", "22.0.2");

        Result result = launch(Map.of("GROVE_JDK_DIRS", jdks + ":" + tmp.resolve("missing") + ":" + other));

        assertThat(result.stdout()).first().isEqualTo("jdk-22");
    }

    @Test
    void fallsBackToJavaOnThePathWhenItIs21OrNewer() throws Exception {
        fakeJdk("jdk-17", "17.0.15");
        Path bin = Files.createDirectories(tmp.resolve("path-bin"));
        fakeJava(bin.resolve("java"), "path-java", "21.0.5");

        Result result = launch(Map.of("GROVE_JDK_DIRS", jdks.toString(), "PATH", tools + ":" + bin));

        assertThat(result.code()).isZero();
        assertThat(result.stdout()).first().isEqualTo("path-java");
    }

    @Test
    void failsWithOneLineWhenNoJava21OrNewerIsFound() throws Exception {
        Path java17 = fakeJdk("jdk-17", "17.0.15");
        fakeJdk("jdk-8", "1.8.0_392");
        Path bin = Files.createDirectories(tmp.resolve("path-bin"));
        fakeJava(bin.resolve("java"), "path-java", "17.0.15");

        Result result = launch(Map.of("JAVA_HOME", java17.toString(), "GROVE_JDK_DIRS", jdks.toString(),
                "PATH", tools + ":" + bin), "serve");

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.stderr()).containsExactly(NO_JAVA);
        assertThat(result.stdout()).isEmpty();
    }

    @Test
    void ignoresAJavaHomeWithoutJava() throws Exception {
        fakeJdk("jdk-21", "21.0.5");

        Result result = launch(Map.of("JAVA_HOME", tmp.resolve("nothing").toString(), "GROVE_JDK_DIRS", jdks.toString()));

        assertThat(result.stdout()).first().isEqualTo("jdk-21");
    }

    @Test
    void passesJvmOptionsTheHomeAndEveryArgumentUnchanged() throws Exception {
        Path java21 = fakeJdk("jdk-21", "21.0.5");

        Result result = launch(Map.of("JAVA_HOME", java21.toString(), "GROVE_JAVA_OPTS", "-Xmx256m -Dgrove.test=a*"),
                "serve", "--set", "cell.label=two  words", "*");

        String realHome = home.toRealPath().toString();
        assertThat(result.stdout()).containsExactly("jdk-21", "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-Dgrove.test=a*", "-Dgrove.home=" + realHome,
                "-cp", realHome + "/lib/*", "io.grove.runtime.cli.Main", "serve", "--set", "cell.label=two  words", "*");
    }

    @Test
    void servesWithASmallSerialHeapAndRunsClientCommandsWithC1Only() throws Exception {
        Path java21 = fakeJdk("jdk-21", "21.0.5");

        Result serve = launch(Map.of("JAVA_HOME", java21.toString()), "serve", "--dir", "x");
        Result put = launch(Map.of("JAVA_HOME", java21.toString()), "put", "folder");
        Result chosen = launch(Map.of("JAVA_HOME", java21.toString(), "GROVE_JAVA_OPTS", ""), "serve");

        assertThat(serve.stdout()).containsSubsequence("--enable-native-access=ALL-UNNAMED", "-Xmx192m", "-XX:+UseSerialGC",
                "io.grove.runtime.cli.Main", "serve").doesNotContain("-XX:TieredStopAtLevel=1");
        assertThat(put.stdout()).containsSubsequence("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "io.grove.runtime.cli.Main", "put", "folder");
        assertThat(chosen.stdout()).noneMatch(arg -> arg.startsWith("-X"));
    }

    @Test
    void limitsGlibcMallocArenasUnlessTheUserChoseOtherwise() throws Exception {
        Path java21 = fakeJdk("jdk-21", "21.0.5");
        Files.writeString(java21.resolve("bin/java"), """
                #!/bin/sh
                if [ "$1" = "-version" ]; then
                    echo 'openjdk version "21.0.5" 2025-01-21' >&2
                    exit 0
                fi
                echo "arenas=${MALLOC_ARENA_MAX:-unset}"
                """);

        assertThat(launch(Map.of("JAVA_HOME", java21.toString()), "serve").stdout()).containsExactly("arenas=2");
        assertThat(launch(Map.of("JAVA_HOME", java21.toString(), "MALLOC_ARENA_MAX", "8"), "serve").stdout())
                .containsExactly("arenas=8");
    }

    @Test
    void findsItsHomeThroughChainsOfSymlinks() throws Exception {
        Path java21 = fakeJdk("jdk-21", "21.0.5");
        Path links = Files.createDirectories(tmp.resolve("links/bin"));
        Path relative = links.resolve("grove-relative");
        Files.createSymbolicLink(relative, links.relativize(home.resolve("bin/grove")));
        Path outer = Files.createDirectories(tmp.resolve("usr/local/bin")).resolve("grove");
        Files.createSymbolicLink(outer, relative);

        Result result = launch(outer, Map.of("JAVA_HOME", java21.toString()));

        assertThat(result.stdout()).contains("-Dgrove.home=" + home.toRealPath());
    }

    @Test
    void readsTheVersionFromTheReleaseFileWithoutStartingJava() throws Exception {
        withTools("uname");
        // Its java would answer 17 to -version; only the release file says 25, and it is what the launcher reads.
        Path jdk25 = fakeJdk("jdk-25", "17.0.15");
        release(jdk25, "25.0.1", MACHINE, "Hotspot");
        fakeJdk("jdk-21", "21.0.5");

        assertThat(launch(Map.of("GROVE_JDK_DIRS", jdks.toString()), "--version").stdout()).first().isEqualTo("jdk-25");
    }

    @Test
    void asksTheRuntimeItselfWhenItsReleaseFileNamesAnotherArchitecture() throws Exception {
        withTools("uname");
        String other = "x86_64".equals(MACHINE) ? "aarch64" : "x86_64";
        // Runs here although its release file says otherwise (as 32-bit ARM's "arm" against uname's "armv7l").
        release(fakeJdk("jdk-26-runs", "26"), "26", other, null);
        // Does not run here: its java cannot even answer -version.
        Path foreign = fakeJdk("jdk-27-foreign", "27");
        release(foreign, "27", other, null);
        Files.writeString(foreign.resolve("bin/java"), "#!/bin/sh\nexit 126\n");
        fakeJdk("jdk-21", "21.0.5");

        assertThat(launch(Map.of("GROVE_JDK_DIRS", jdks.toString()), "--version").stdout()).first().isEqualTo("jdk-26-runs");
    }

    @Test
    void trainsAStartUpCacheInTheBackgroundOnAReadOnlyCommandThenStartsEveryClientCommandFromIt() throws Exception {
        withTools(AOT_TOOLS);
        Map<String, String> env = Map.of("JAVA_HOME", hotspot25().toString());
        Path aot = home.resolve("var/aot");

        Result first = launch(env, "ls");

        assertThat(first.stdout()).as("the command itself runs as usual").noneMatch(a -> a.startsWith("-XX:AOT"))
                .contains("-cp", home.toRealPath() + "/lib/*");
        Path cache = awaitCache(aot);
        assertThat(Files.readString(cache).strip()).as("the training run: the same command, with AOTCacheOutput")
                .startsWith("trained on").endsWith(" io.grove.runtime.cli.Main ls");

        Result put = launch(env, "put", "folder");
        Result required = launch(Map.of("JAVA_HOME", env.get("JAVA_HOME"), "GROVE_AOT", "require"), "stats");

        String libs = home.toRealPath() + "/lib/";
        assertThat(put.stdout()).containsSubsequence("-Xlog:aot*=off,cds*=off", "-XX:AOTMode=auto", "-XX:AOTCache=" + cache,
                "-cp", libs + "a.jar:" + libs + "some.jar", "io.grove.runtime.cli.Main", "put", "folder");
        assertThat(required.stdout()).contains("-XX:AOTMode=on", "-XX:AOTCache=" + cache);
    }

    @Test
    void trainsTheCellsStartUpCacheOnAWorkloadOfItsOwnThenStartsTheCellFromIt() throws Exception {
        withTools(AOT_TOOLS);
        Map<String, String> env = Map.of("JAVA_HOME", hotspot25().toString());
        Path aot = home.resolve("var/aot");

        Result first = launch(env, "serve", "--dir", "cell");

        assertThat(first.stdout()).as("the cell itself starts as usual").noneMatch(a -> a.startsWith("-XX:AOT"))
                .containsSubsequence("-Xmx192m", "io.grove.runtime.cli.Main", "serve", "--dir", "cell");
        Path cache = awaitCache(aot, "serve");
        assertThat(Files.readString(cache).strip()).as("the training run: its own workload, with the cell's options")
                .startsWith("trained on").contains("-Xmx192m").contains(" io.grove.runtime.cli.Main aot-training " + aot.toRealPath() + "/serve-");

        Result again = launch(env, "serve", "--dir", "cell");
        Result client = launch(env, "put", "folder");

        assertThat(again.stdout()).containsSubsequence("-Xmx192m", "-XX:AOTMode=auto", "-XX:AOTCache=" + cache,
                "io.grove.runtime.cli.Main", "serve", "--dir", "cell");
        assertThat(client.stdout()).as("the cell's cache does not fit a client's options").noneMatch(a -> a.startsWith("-XX:AOT"));
    }

    @Test
    void neverTrainsForOtherCommandsOptionsOfTheUsersOrOtherJvms() throws Exception {
        withTools(AOT_TOOLS);
        Path java25 = hotspot25();
        Path openj9 = fakeJdk("jdk-25-openj9", "25.0.1");
        release(openj9, "25.0.1", MACHINE, "Openj9");
        Path noRelease = fakeJdk("jdk-25-bare", "25.0.1");
        Path java21 = fakeJdk("jdk-21", "21.0.5");
        Map<String, String> on25 = Map.of("JAVA_HOME", java25.toString());
        Path aot = home.resolve("var/aot");

        for (Result r : List.of(
                launch(on25, "serve", "--help"),
                launch(Map.of("JAVA_HOME", java25.toString(), "GROVE_JAVA_OPTS", "-Xmx512m"), "serve"),
                launch(on25, "put", "folder"),
                launch(on25, "init"),
                launch(on25, "--version"),
                launch(on25),
                launch(Map.of("JAVA_HOME", java25.toString(), "GROVE_AOT", "off"), "ls"),
                launch(Map.of("JAVA_HOME", java25.toString(), "GROVE_JAVA_OPTS", "-Xmx512m"), "ls"),
                launch(Map.of("JAVA_HOME", java25.toString(), "JAVA_TOOL_OPTIONS", "-Xshare:off"), "ls"),
                launch(Map.of("JAVA_HOME", java25.toString(), "JDK_JAVA_OPTIONS", "-Xmx1g"), "ls"),
                launch(on25, "ls", "--help"),
                launch(on25, "stats", "-V"),
                launch(Map.of("JAVA_HOME", openj9.toString()), "ls"),
                launch(Map.of("JAVA_HOME", noRelease.toString()), "ls"),
                launch(Map.of("JAVA_HOME", java21.toString()), "ls"))) {
            assertThat(r.stdout()).noneMatch(a -> a.startsWith("-XX:AOT"));
        }
        // A training takes its lock before the command runs, so none was started.
        assertThat(names(aot)).isEmpty();
        launch(on25, "status");
        // Its lock, or (on a slow machine, the training already over) its cache.
        assertThat(names(aot)).anyMatch(n -> n.endsWith(".lock") || n.endsWith(".aot"));
        awaitCache(aot);
    }

    @Test
    void aTrainingRunThatFailsLeavesNoCacheAndIsNotRetriedAtOnce() throws Exception {
        withTools(AOT_TOOLS);
        Map<String, String> env = Map.of("JAVA_HOME", hotspot25().toString(), "FAKE_TRAINING_FAILS", "yes");
        Path aot = home.resolve("var/aot");

        launch(env, "ls");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> names = List.of();
        while (System.nanoTime() < until) {
            names = names(aot);
            if (names.size() == 1 && names.get(0).endsWith(".failed")) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(names).singleElement().asString().matches("cli-\\d+\\.failed");

        launch(env, "ls");

        assertThat(names(aot)).containsExactlyElementsOf(names);
    }

    @Test
    void theRealCliTrainsAndUsesAStartUpCacheWithoutChangingItsOutput() throws Exception {
        Path dist = realDistribution("real");
        Path grove = dist.resolve("bin/grove");
        Path aot = dist.resolve("var/aot");
        String jdk = System.getProperty("java.home");
        Map<String, String> env = Map.of("JAVA_HOME", jdk, "PATH", System.getenv("PATH"));
        Path cell = tmp.resolve("cell");
        Process serve = startCell(dist, cell, Map.of("GROVE_AOT", "off"), "serve.log"); // this test: the client's cache
        try {
            String[] stats = {"stats", "--dir", cell.toString()};
            Result plain = steady(launch(grove, Map.of("JAVA_HOME", jdk, "PATH", System.getenv("PATH"), "GROVE_AOT", "off"), stats));
            assertThat(plain.code()).as(String.join("\n", plain.stderr())).isZero();
            assertThat(plain.stdout()).contains("files:         0");

            assertThat(steady(launch(grove, env, stats))).as("the run that starts the training").isEqualTo(plain);
            Path cache = awaitCache(aot);

            Map<String, String> required = new HashMap<>(env);
            required.put("GROVE_AOT", "require");
            assertThat(steady(launch(grove, required, stats))).as("a run that fails unless the cache fits").isEqualTo(plain);
            // A damaged cache is ignored, quietly (and refused when required).
            Files.write(cache, new byte[4096]);
            assertThat(steady(launch(grove, env, stats))).isEqualTo(plain);
            assertThat(launch(grove, required, stats).code()).isNotZero();
        } finally {
            stop(serve);
        }
    }

    @Test
    void theRealCellTrainsAStartUpCacheAndStartsFromIt() throws Exception {
        Path dist = realDistribution("real-cell");
        Path aot = dist.resolve("var/aot");
        Path cell = tmp.resolve("cell");
        Process first = startCell(dist, cell, Map.of(), "first.log");
        Path cache;
        try {
            // The training runs beside the cell (two throwaway cells of its own) and ends by writing the cache.
            cache = awaitCache(aot, "serve");
        } finally {
            stop(first);
        }
        // Required: the JVM refuses to start unless the cache fits this cell's JVM.
        Process second = startCell(dist, cell, Map.of("GROVE_AOT", "require"), "second.log");
        try {
            String serve = Files.readString(cell.resolve("serve.json"));
            var matcher = Pattern.compile("\"apiUrl\"\\s*:\\s*\"([^\"]+)\"").matcher(serve);
            assertThat(matcher.find()).as(serve).isTrue();
            var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(matcher.group(1) + "/api/v1/health")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("UP");
        } finally {
            stop(second);
        }
        assertThat(cache).exists();
    }

    /** The built distribution unpacked into {@code name}, for tests that need a real JDK 25 (else skipped). */
    private Path realDistribution(String name) throws IOException {
        Assumptions.assumeTrue(Runtime.version().feature() >= 25, "the start-up cache needs JDK 25");
        return BuiltDistribution.unpack(tmp.resolve(name));
    }

    /** Starts {@code grove serve} of {@code dist} on loopback and waits until it serves. */
    private Process startCell(Path dist, Path cell, Map<String, String> extra, String log) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(dist.resolve("bin/grove").toString(), "serve", "--dir", cell.toString(),
                "--port", "0", "--peer-port", "0", "--set", "peer.bind=127.0.0.1", "--set", "transports.lan.enabled=false")
                .redirectErrorStream(true).redirectOutput(tmp.resolve(log).toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("GROVE_") || k.endsWith("JAVA_OPTIONS"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(extra);
        Process process = builder.start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (Files.notExists(cell.resolve("serve.json")) && process.isAlive() && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        assertThat(cell.resolve("serve.json")).as(Files.readString(tmp.resolve(log))).exists();
        return process;
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** The tools the start-up cache needs besides those of the Java selection; without them it is skipped. */
    private static final String[] AOT_TOOLS = {"mkdir", "rmdir", "cksum", "cat", "ls", "rm", "mv", "find", "uname", "sleep",
            "timeout"};
    /** This machine's architecture as `uname -m` names it. */
    private static final String MACHINE = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> "x86_64";
        case "aarch64", "arm64" -> "aarch64";
        default -> System.getProperty("os.arch");
    };

    private void withTools(String... names) throws IOException {
        for (String tool : names) {
            Files.createSymbolicLink(tools.resolve(tool), systemTool(tool));
        }
    }

    /** A fake HotSpot JDK 25 for this machine, its release file as most vendors write it (no JVM_VARIANT). */
    private Path hotspot25() throws IOException {
        Files.writeString(home.resolve("lib/a.jar"), "");
        Path jdk = fakeJdk("jdk-25", "25.0.1");
        release(jdk, "25.0.1", MACHINE, null);
        return jdk;
    }

    /** A release file; {@code variant} null leaves JVM_VARIANT out. */
    private static void release(Path jdk, String version, String arch, String variant) throws IOException {
        Files.writeString(jdk.resolve("release"), """
                IMPLEMENTOR="Someone"
                JAVA_VERSION="%s"
                OS_ARCH="%s"
                """.formatted(version, arch) + (variant == null ? "" : "JVM_VARIANT=\"" + variant + "\"\n"));
    }

    /** A result without the line that changes between runs of {@code grove stats} (the disk's free space). */
    private static Result steady(Result r) {
        return new Result(r.code(), r.stdout().stream().filter(l -> !l.startsWith("store free:")).toList(), r.stderr());
    }

    /** The names of the files in {@code dir}, none if it does not exist. */
    private static List<String> names(Path dir) throws IOException {
        if (Files.notExists(dir)) {
            return List.of();
        }
        try (var list = Files.list(dir)) {
            return list.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    /** Waits for the one client cache a training makes in {@code aot}, with nothing else left there. */
    private static Path awaitCache(Path aot) throws Exception {
        return awaitCache(aot, "cli");
    }

    /** Waits for the one cache of {@code kind} ({@code cli}, {@code serve}) a training makes in {@code aot}. */
    private static Path awaitCache(Path aot, String kind) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(kind.equals("serve") ? 300 : 120);
        List<Path> files = List.of();
        while (System.nanoTime() < until) {
            try (var list = Files.list(aot)) {
                files = list.toList();
            }
            if (files.size() == 1 && files.get(0).getFileName().toString().endsWith(".aot")) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(files).singleElement().satisfies(f -> assertThat(f.getFileName().toString()).matches(kind + "-\\d+\\.aot"));
        return files.get(0).toRealPath();
    }

    private record Result(int code, List<String> stdout, List<String> stderr) {
    }

    private Result launch(Map<String, String> environment, String... args) throws Exception {
        return launch(home.resolve("bin/grove"), environment, args);
    }

    /** Runs a launcher with only the given environment, besides a PATH of the launcher's tools. */
    private Result launch(Path launcher, Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(tmp.toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", tools.toString());
        env.put("GROVE_JDK_DIRS", tmp.resolve("no-jdks").toString());
        env.putAll(environment);
        Path out = tmp.resolve("launch.out");
        Path err = tmp.resolve("launch.err");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the launcher finished within 60 s").isTrue();
            return new Result(process.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
                    Files.readAllLines(err, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
        }
    }

    /** A fake JDK folder under {@code jdks}; returns its home. */
    private Path fakeJdk(String name, String version) throws IOException {
        Path jdk = jdks.resolve(name);
        fakeJava(jdk.resolve("bin/java"), name, version);
        return jdk;
    }

    /** A {@code java} that answers {@code -version} like a real one and otherwise prints its name and arguments. */
    private static void fakeJava(Path java, String name, String version) throws IOException {
        Files.createDirectories(java.getParent());
        Files.writeString(java, """
                #!/bin/sh
                if [ "$1" = "-version" ]; then
                    echo 'openjdk version "%s" 2025-01-21' >&2
                    echo 'OpenJDK Runtime Environment (build %s)' >&2
                    exit 0
                fi
                for arg in "$@"; do
                    case $arg in
                        -XX:AOTCacheOutput=*)
                            [ -z "${FAKE_TRAINING_FAILS:-}" ] || exit 1
                            echo "trained on $*" > "${arg#-XX:AOTCacheOutput=}"
                            exit 0 ;;
                    esac
                done
                printf '%%s\\n' '%s' "$@"
                """.formatted(version, version, name));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static Path systemTool(String name) {
        for (String dir : List.of("/usr/bin", "/bin")) {
            Path tool = Path.of(dir, name);
            if (Files.isExecutable(tool)) {
                return tool;
            }
        }
        throw new IllegalStateException("no " + name + " in /usr/bin or /bin");
    }
}
