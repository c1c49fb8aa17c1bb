package io.grove.runtime.cli;

import io.grove.runtime.cell.CellFolder;
import io.grove.runtime.web.PasswordFile;
import io.grove.runtime.web.PasswordHash;
import io.grove.runtime.web.PasswordPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * {@code grove password}: sets (or replaces) the dashboard password — how a cell that will serve beyond loopback gets
 * one. Asks twice on a terminal; otherwise reads one line from standard input (for scripts: never a command-line
 * argument, which other users could see in the process list).
 */
@Command(name = "password", mixinStandardHelpOptions = true,
        description = {"Set the dashboard password (stored as an Argon2id hash in the cell folder, mode 0600).",
                "Asks on the terminal, or reads one line from standard input. A running cell uses it at the next login."})
final class PasswordCommand implements Callable<Integer> {
    @Mixin
    CellDirOption dir;

    @Override
    public Integer call() throws IOException {
        CellFolder folder = dir.folder();
        folder.keys(); // an initialised cell folder, or a one-line error saying how to make one
        String password = read();
        try {
            PasswordPolicy.check(password);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        PasswordFile file = new PasswordFile(folder.dir());
        boolean replaced = file.exists();
        file.write(PasswordHash.create(password, new SecureRandom()));
        System.out.println((replaced ? "Replaced" : "Set") + " the dashboard password (" + file.path() + ")");
        return 0;
    }

    private static String read() throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("New dashboard password: ");
            char[] second = console.readPassword("Repeat it: ");
            if (first == null || second == null) {
                throw new CliException("no password given");
            }
            try {
                if (!Arrays.equals(first, second)) {
                    throw new CliException("the two passwords differ; nothing changed");
                }
                return new String(first);
            } finally {
                Arrays.fill(first, '\0');
                Arrays.fill(second, '\0');
            }
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        char[] buffer = new char[PasswordPolicy.MAX_LENGTH * 2 + 2];
        int length = 0;
        int c;
        while (length < buffer.length && (c = in.read()) != -1 && c != '\n') {
            buffer[length++] = (char) c;
        }
        if (length > 0 && buffer[length - 1] == '\r') {
            length--;
        }
        if (length == 0) {
            throw new CliException("no password on standard input; pipe one line, e.g. 'grove password < file'");
        }
        return new String(buffer, 0, length);
    }
}
