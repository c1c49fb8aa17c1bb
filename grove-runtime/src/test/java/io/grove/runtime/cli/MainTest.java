package io.grove.runtime.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    @TempDir
    Path tmp;

    private record Result(int code, String err) {
    }

    private static Result run(String... args) {
        StringWriter err = new StringWriter();
        var cli = Main.commandLine();
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
