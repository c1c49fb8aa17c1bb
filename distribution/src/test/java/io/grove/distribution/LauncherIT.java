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
        // Its java would answer 17 to -version; only the release file says 25, and it is what the launcher reads.
        Path jdk25 = fakeJdk("jdk-25", "17.0.15");
        Files.writeString(jdk25.resolve("release"), "IMPLEMENTOR=\"Someone\"\nJAVA_VERSION=\"25.0.1\"\n");
        fakeJdk("jdk-21", "21.0.5");

        assertThat(launch(Map.of("GROVE_JDK_DIRS", jdks.toString()), "--version").stdout()).first().isEqualTo("jdk-25");
    }

    @Test
    void recordsOneClientCommandOnJdk25ThenAssemblesAStartUpCacheAndUsesIt() throws Exception {
        withAotTools();
        Path java25 = fakeJdk("jdk-25", "25.0.1");
        Map<String, String> env = Map.of("JAVA_HOME", java25.toString());
        Path aot = home.resolve("var/aot");

        Result first = launch(env, "ls");

        String prefix = aot.toRealPath() + "/cli-";
        String record = first.stdout().stream().filter(a -> a.startsWith("-XX:AOTConfiguration=")).findFirst().orElseThrow();
        assertThat(record).matches(Pattern.quote("-XX:AOTConfiguration=" + prefix) + "\\d+\\.conf-\\d+");
        assertThat(first.stdout()).containsSubsequence("-XX:+UnlockDiagnosticVMOptions", "-XX:-DisplayVMOutput",
                "-XX:AOTMode=record", record, "io.grove.runtime.cli.Main", "ls");
        // The recording JVM writes its configuration at exit; the fake one does it here, under a PID that has ended.
        Path conf = Path.of(record.substring("-XX:AOTConfiguration=".length()));
        Files.writeString(conf, "configuration");

        Result second = launch(env, "ls");

        assertThat(second.stdout()).noneMatch(a -> a.startsWith("-XX:AOT"));
        Path cache = Path.of(conf.toString().replaceFirst("\\.conf-\\d+$", ".aot"));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(Files.exists(cache) && Files.notExists(conf)) && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(Files.readString(cache).strip()).as("assembled in the background from the recorded configuration")
                .isEqualTo("cache from " + conf);
        try (var left = Files.list(aot)) {
            assertThat(left).containsExactly(cache); // no configuration or temporary file stays
        }

        Result third = launch(env, "stats", "--json");

        assertThat(third.stdout()).containsSubsequence("-Xlog:aot*=off,cds*=off", "-XX:AOTCache=" + cache,
                "io.grove.runtime.cli.Main", "stats", "--json").noneMatch(a -> a.startsWith("-XX:AOTMode"));
    }

    @Test
    void neverMakesAStartUpCacheForTheCellOrWhenTheUserChoseTheOptions() throws Exception {
        withAotTools();
        Path java25 = fakeJdk("jdk-25", "25.0.1");
        Path java21 = fakeJdk("jdk-21", "21.0.5");
        Map<String, String> on25 = Map.of("JAVA_HOME", java25.toString());

        List<Result> none = List.of(
                launch(on25, "serve"),
                launch(on25, "--version"),
                launch(on25, "--help"),
                launch(on25),
                launch(Map.of("JAVA_HOME", java25.toString(), "GROVE_AOT", "off"), "ls"),
                launch(Map.of("JAVA_HOME", java25.toString(), "GROVE_JAVA_OPTS", "-Xmx512m"), "ls"),
                launch(Map.of("JAVA_HOME", java21.toString()), "ls"));

        assertThat(none).allSatisfy(r -> assertThat(r.stdout()).noneMatch(a -> a.startsWith("-XX:AOT")));
        assertThat(launch(on25, "ls").stdout()).contains("-XX:AOTMode=record");
    }

    @Test
    void runsTheRealCliOnTheJdkRunningTheseTests() throws Exception {
        Result result = launch(BuiltDistribution.folder().resolve("bin/grove"),
                Map.of("JAVA_HOME", System.getProperty("java.home")), "--version");

        assertThat(result.code()).as(String.join("\n", result.stderr())).isZero();
        assertThat(result.stdout()).containsExactly("grove " + BuiltDistribution.version());
    }

    @Test
    void theRealCliRecordsAssemblesAndUsesAStartUpCacheWithoutChangingItsOutput() throws Exception {
        Assumptions.assumeTrue(Runtime.version().feature() >= 25, "the start-up cache needs JDK 25");
        Path grove = BuiltDistribution.unpack(tmp.resolve("real")).resolve("bin/grove");
        Path aot = grove.resolveSibling("../var/aot").normalize();
        Map<String, String> env = Map.of("JAVA_HOME", System.getProperty("java.home"), "PATH", System.getenv("PATH"));
        String[] noCell = {"ls", "--url", "http://127.0.0.1:1"};
        Result plain = launch(grove, Map.of("JAVA_HOME", System.getProperty("java.home"), "GROVE_AOT", "off"), noCell);
        assertThat(plain.code()).isEqualTo(1);
        assertThat(plain.stderr()).hasSize(1);

        assertThat(launch(grove, env, noCell)).as("the recording run").isEqualTo(plain);
        try (var files = Files.list(aot)) {
            assertThat(files.map(f -> f.getFileName().toString())).singleElement().asString().matches("cli-\\d+\\.conf-\\d+");
        }
        assertThat(launch(grove, env, noCell)).as("the run that starts assembling").isEqualTo(plain);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        List<String> names = List.of();
        while (System.nanoTime() < until) {
            try (var files = Files.list(aot)) {
                names = files.map(f -> f.getFileName().toString()).toList();
            }
            if (names.size() == 1 && names.get(0).endsWith(".aot")) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(names).singleElement().asString().matches("cli-\\d+\\.aot");

        Path log = tmp.resolve("aot.log");
        Map<String, String> logged = new HashMap<>(env);
        logged.put("JAVA_TOOL_OPTIONS", "-Xlog:aot:file=" + log);
        Result cached = launch(grove, logged, noCell);

        assertThat(cached.code()).isEqualTo(plain.code());
        assertThat(cached.stdout()).isEqualTo(plain.stdout());
        assertThat(cached.stderr()).last().isEqualTo(plain.stderr().get(0));
        assertThat(Files.readString(log)).contains("Using AOT-linked classes: true");

        // A damaged cache is ignored, quietly.
        Files.write(aot.resolve(names.get(0)), new byte[4096]);
        assertThat(launch(grove, env, noCell)).isEqualTo(plain);
    }

    private record Result(int code, List<String> stdout, List<String> stderr) {
    }

    /** The tools the start-up cache needs besides those of the Java selection; without them it is skipped. */
    private void withAotTools() throws IOException {
        for (String tool : List.of("mkdir", "cksum", "cat", "ls", "rm", "mv")) {
            Files.createSymbolicLink(tools.resolve(tool), systemTool(tool));
        }
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
                create='' cache='' conf=''
                for arg in "$@"; do
                    case $arg in
                        -XX:AOTMode=create) create=yes ;;
                        -XX:AOTCache=*) cache=${arg#-XX:AOTCache=} ;;
                        -XX:AOTConfiguration=*) conf=${arg#-XX:AOTConfiguration=} ;;
                    esac
                done
                if [ -n "$create" ]; then
                    echo "cache from $conf" > "$cache"
                    exit 0
                fi
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
