package dev.cairn.cli.commands;

import dev.cairn.cli.ExitCodes;
import dev.cairn.cli.Main;
import dev.cairn.server.ServerConfig;
import dev.cairn.storage.jdbc.JdbcMetadataStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "db", description = "Maintain the metadata database.",
        subcommands = {DbCommand.Migrate.class})
public final class DbCommand {

    @Command(name = "migrate", description = {"Bring the metadata database's schema up to this version of Cairn, "
            + "then exit.",
        "Run it once before starting replicas of a new version, so that they do not race to migrate on start-up "
                + "(which 'cairn serve' also does, safely)."})
    static final class Migrate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions stores;

        @Override
        public Integer call() {
            Main main = (Main) spec.root().userObject();
            ServerConfig config = stores.apply(ServerConfig.fromEnvironment()).build().relativeTo(main.directory());
            // Opening the store applies every pending migration and checks the resulting schema.
            JdbcMetadataStore.open(config.database()).close();
            spec.commandLine().getOut().println("the metadata database " + config.databaseShown() + " is up to date");
            return ExitCodes.OK;
        }
    }
}
