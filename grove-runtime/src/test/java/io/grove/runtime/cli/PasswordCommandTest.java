package io.grove.runtime.cli;

import io.grove.runtime.web.PasswordFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code grove password} reads one line from standard input (there is no terminal under the test runner). */
class PasswordCommandTest {
    @TempDir
    Path tmp;

    private record Result(int code, String out, String err) {
    }

    private static Result run(String stdin, String... args) {
        StringWriter err = new StringWriter();
        var cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        PrintStream out = System.out;
        InputStream in = System.in;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return new Result(cli.execute(args), captured.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(out);
            System.setIn(in);
        }
    }

    @Test
    void setsAndReplacesThePasswordFromStandardInput() throws Exception {
        Path dir = tmp.resolve("cell");
        assertThat(run("", "init", "--dir", dir.toString()).code()).isZero();

        Result set = run("my dashboard password\r\n", "password", "--dir", dir.toString());
        assertThat(set.code()).isZero();
        assertThat(set.out()).startsWith("Set the dashboard password");
        PasswordFile file = new PasswordFile(dir);
        assertThat(file.read().orElseThrow().matches("my dashboard password")).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path()))).isEqualTo("rw-------");

        Result replaced = run("another password\n", "password", "--dir", dir.toString());
        assertThat(replaced.out()).startsWith("Replaced");
        assertThat(file.read().orElseThrow().matches("another password")).isTrue();
        assertThat(file.read().orElseThrow().matches("my dashboard password")).isFalse();
    }

    @Test
    void refusesAShortOrMissingPasswordWithOneLine() throws Exception {
        Path dir = tmp.resolve("cell");
        assertThat(run("", "init", "--dir", dir.toString()).code()).isZero();
        Result shortOne = run("short\n", "password", "--dir", dir.toString());
        assertThat(shortOne.code()).isEqualTo(Main.FAILURE);
        assertThat(shortOne.err().strip()).startsWith("grove: ").contains("at least 8").doesNotContain("\n");
        Result none = run("", "password", "--dir", dir.toString());
        assertThat(none.code()).isEqualTo(Main.FAILURE);
        assertThat(none.err().strip()).startsWith("grove: ").contains("standard input");
        assertThat(new PasswordFile(dir).exists()).isFalse();
    }

    @Test
    void needsAnInitialisedCellFolder() {
        Result result = run("a good password\n", "password", "--dir", tmp.resolve("nothing").toString());
        assertThat(result.code()).isEqualTo(Main.FAILURE);
        assertThat(result.err().strip()).startsWith("grove: ").contains("grove init");
        assertThat(Files.exists(tmp.resolve("nothing"))).isFalse();
    }
}
