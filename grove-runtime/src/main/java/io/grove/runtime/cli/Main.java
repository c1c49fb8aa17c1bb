package io.grove.runtime.cli;

import io.grove.runtime.CellStartException;
import io.grove.runtime.cell.CellFolderException;
import io.grove.runtime.config.ConfigException;
import io.grove.runtime.plugin.PluginException;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * The {@code grove} command. Every failure prints one line, {@code grove: <what went wrong and what to do>}, and
 * exits non-zero: 2 for a usage error, 1 for anything else.
 */
public final class Main {
    /** Exit code of a failed command. */
    public static final int FAILURE = 1;
    /** Exit code of a usage error. */
    public static final int USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        Logging.configure();
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this directly). */
    public static int run(String... args) {
        CommandLine cli = commandLine();
        return cli.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new GroveCommand());
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine cmd = e.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println("grove: " + e.getMessage() + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            if (e instanceof CliException || e instanceof CellStartException || e instanceof CellFolderException
                    || e instanceof ConfigException || e instanceof PluginException) {
                err.println("grove: " + e.getMessage());
            } else {
                err.println("grove: unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
                if (System.getenv("GROVE_DEBUG") != null) {
                    e.printStackTrace(err);
                }
            }
            err.flush();
            return e instanceof CliException c ? c.exitCode() : FAILURE;
        });
        return cli;
    }
}
