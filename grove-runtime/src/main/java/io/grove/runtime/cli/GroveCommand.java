package io.grove.runtime.cli;

import io.grove.runtime.GroveVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The top-level {@code grove} command: only subcommands. They are not listed in the annotation but in
 * {@link #SUBCOMMANDS}, so that {@link Main} can build just the one a command line names: picocli reads every
 * option of every subcommand it is given, and for the ~20 others that was a quarter of a client command's time.
 */
@Command(name = "grove",
        mixinStandardHelpOptions = true,
        versionProvider = GroveCommand.Version.class,
        description = "Grove: a self-hosted, end-to-end encrypted storage fleet.")
public final class GroveCommand implements Runnable {
    /**
     * Every subcommand by name, in the order help lists them; each made only when it is added. Classes, not
     * constructor references: the JDK 25 AOT cache of the CLI (docs/distribution.md) crashed while it was assembled
     * with a method reference to picocli's {@code HelpCommand}, a class the cache leaves out (its class files are of
     * Java 5).
     */
    static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

    private static Map<String, Class<?>> subcommands() {
        Map<String, Class<?>> all = new LinkedHashMap<>();
        all.put("init", InitCommand.class);
        all.put("serve", ServeCommand.class);
        all.put("put", PutCommand.class);
        all.put("get", GetCommand.class);
        all.put("ls", LsCommand.class);
        all.put("history", HistoryCommand.class);
        all.put("restore", RestoreCommand.class);
        all.put("rm", RmCommand.class);
        all.put("stats", StatsCommand.class);
        all.put("verify", VerifyCommand.class);
        all.put("fleet", FleetCommand.class);
        all.put("invite", InviteCommand.class);
        all.put("join", JoinCommand.class);
        all.put("revoke", RevokeCommand.class);
        all.put("peers", PeersCommand.class);
        all.put("favourite", FavouriteCommand.Mark.class);
        all.put("unfavourite", FavouriteCommand.Unmark.class);
        all.put("status", StatusCommand.class);
        all.put("password", PasswordCommand.class);
        all.put("share", ShareCommand.class);
        all.put("unshare", ShareCommand.Unshare.class);
        all.put("feed", ShareCommand.Feed.class);
        all.put("chat", ChatCommand.class);
        all.put("help", CommandLine.HelpCommand.class);
        return Collections.unmodifiableMap(all);
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"grove " + GroveVersion.version()};
        }
    }
}
