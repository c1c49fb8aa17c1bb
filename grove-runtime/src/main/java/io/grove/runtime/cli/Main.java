package io.grove.runtime.cli;

import io.grove.runtime.CellStartException;
import io.grove.runtime.cell.CellFolderException;
import io.grove.runtime.config.ConfigException;
import io.grove.runtime.plugin.PluginException;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

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
        if (args.length >= 1 && args.length <= 2 && args[0].equals(AotTraining.COMMAND)) {
            // The launcher's training run of the cell's start-up cache, in the folder it names.
            System.exit(AotTraining.run(args.length == 2 ? Optional.of(Path.of(args[1])) : Optional.empty()));
        }
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this directly). */
    public static int run(String... args) {
        CommandLine cli = commandLine(args);
        return cli.execute(args);
    }

    /** The command line with every subcommand (for help, and for anything else that is not one subcommand). */
    static CommandLine commandLine() {
        return withHandlers(withSubcommands(GroveCommand.SUBCOMMANDS.keySet()));
    }

    /**
     * The command line for {@code args}: when they start with the name of a subcommand (other than {@code help}),
     * only that subcommand is built, the rest never looked at; otherwise ({@code grove}, {@code grove --help},
     * {@code grove help put}, a misspelt command that picocli then answers with suggestions) every one.
     */
    static CommandLine commandLine(String... args) {
        String first = args.length == 0 ? "" : args[0];
        if (first.equals("help") || !GroveCommand.SUBCOMMANDS.containsKey(first)) {
            return commandLine();
        }
        return withHandlers(withSubcommands(List.of(first)));
    }

    private static CommandLine withSubcommands(Collection<String> names) {
        CommandLine cli = new CommandLine(new GroveCommand());
        for (String name : names) {
            cli.addSubcommand(name, GroveCommand.SUBCOMMANDS.get(name));
        }
        return cli;
    }

    /** Sets the handlers on {@code cli} and, as picocli does, on the subcommands it has by now. */
    private static CommandLine withHandlers(CommandLine cli) {
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
