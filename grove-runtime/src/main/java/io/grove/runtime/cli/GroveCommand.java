package io.grove.runtime.cli;

import io.grove.runtime.GroveVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code grove} command: only subcommands. */
@Command(name = "grove",
        mixinStandardHelpOptions = true,
        versionProvider = GroveCommand.Version.class,
        description = "Grove: a self-hosted, end-to-end encrypted storage fleet.",
        subcommands = {InitCommand.class, ServeCommand.class, PutCommand.class, GetCommand.class, LsCommand.class,
                HistoryCommand.class, RestoreCommand.class, RmCommand.class, StatsCommand.class, VerifyCommand.class,
                FleetCommand.class, InviteCommand.class, JoinCommand.class, RevokeCommand.class, PeersCommand.class,
                FavouriteCommand.Mark.class, FavouriteCommand.Unmark.class, StatusCommand.class,
                PasswordCommand.class, ShareCommand.class, ShareCommand.Unshare.class, ShareCommand.Feed.class,
                ChatCommand.class,
                CommandLine.HelpCommand.class})
public final class GroveCommand implements Runnable {
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
