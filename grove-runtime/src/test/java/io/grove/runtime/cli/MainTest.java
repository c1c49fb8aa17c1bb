package io.grove.runtime.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    @TempDir
    Path tmp;

    private record Result(int code, String err) {
    }

    private static Result run(String... args) {
        StringWriter err = new StringWriter();
        var cli = Main.commandLine(args);
        cli.setErr(new PrintWriter(err));
        PrintStream out = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream()));
        try {
            return new Result(cli.execute(args), err.toString());
        } finally {
            System.setOut(out);
        }
    }

    @Test
    void eachSubcommandIsListedUnderItsOwnName() {
        GroveCommand.SUBCOMMANDS.forEach((name, type) -> assertThat(
                type.getAnnotation(CommandLine.Command.class).name()).as(name).isEqualTo(name));
    }

    @Test
    void aNamedSubcommandIsBuiltAloneAndEverythingElseGetsThemAll() {
        assertThat(Main.commandLine("put", "x", "--dir", "d").getSubcommands()).containsOnlyKeys("put");
        assertThat(Main.commandLine("fleet", "show").getSubcommands()).containsOnlyKeys("fleet");
        assertThat(Main.commandLine("fleet", "show").getSubcommands().get("fleet").getSubcommands())
                .containsKeys("create", "set", "show");
        List<String> all = List.copyOf(GroveCommand.SUBCOMMANDS.keySet());
        for (String[] args : new String[][]{{}, {"--help"}, {"help", "put"}, {"pt"}, {"-V"}}) {
            assertThat(List.copyOf(Main.commandLine(args).getSubcommands().keySet())).as(String.join(" ", args))
                    .isEqualTo(all);
        }
    }

    @Test
    void helpListsEveryCommandAndASubcommandAloneStillReportsErrorsAsTheWholeCli() {
        StringWriter help = new StringWriter();
        var cli = Main.commandLine("--help");
        cli.setOut(new PrintWriter(help));
        assertThat(cli.execute("--help")).isZero();
        for (String name : GroveCommand.SUBCOMMANDS.keySet()) {
            assertThat(help.toString()).contains("  " + name + " ");
        }
        Result bad = run("put", "x", "--bogus");
        assertThat(bad.code()).isEqualTo(Main.USAGE);
        assertThat(bad.err().strip()).startsWith("grove: ").contains("--bogus").contains("'grove put --help'")
                .doesNotContain("\n");
        Result failed = run("ls", "--dir", tmp.resolve("no-cell").toString());
        assertThat(failed.code()).isEqualTo(Main.FAILURE);
        assertThat(failed.err().strip()).startsWith("grove: ").doesNotContain("\n");
        assertThat(run("pt").code()).isEqualTo(Main.USAGE);
    }

    @Test
    void unknownFlagsAreAUsageErrorOnOneLine() {
        Result result = run("serve", "--bogus");
        assertThat(result.code()).isEqualTo(Main.USAGE);
        assertThat(result.err().strip()).startsWith("grove: ").doesNotContain("\n").contains("--bogus");
    }

    @Test
    void aMissingCommandIsAUsageError() {
        assertThat(run().code()).isEqualTo(Main.USAGE);
    }

    @Test
    void initCreatesTheFolderAndServeRefusesABadConfigurationWithOneLine() throws Exception {
        Path dir = tmp.resolve("cell");
        assertThat(run("init", "--dir", dir.toString()).code()).isZero();
        Files.writeString(dir.resolve("grove.yaml"), "api: [unclosed\n");
        Result result = run("serve", "--dir", dir.toString(), "--port", "0", "--peer-port", "0");
        assertThat(result.code()).isEqualTo(Main.FAILURE);
        assertThat(result.err().strip()).startsWith("grove: ").contains("grove.yaml").doesNotContain("\n");
    }

    @Test
    void malformedSetFlagsAreRefused() {
        Result result = run("serve", "--dir", tmp.resolve("c").toString(), "--set", "Not A Key=1");
        assertThat(result.code()).isEqualTo(Main.FAILURE);
        assertThat(result.err()).contains("lower-case");
    }
}
