package dev.cairn.cli.commands;

import dev.cairn.api.ApiModels.Model;
import dev.cairn.api.ApiModels.SetAlias;
import dev.cairn.api.ApiModels.Version;
import dev.cairn.cli.CairnCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "alias", description = "Point a named alias (champion, canary, ...) at a version, or remove it.",
        subcommands = {AliasCommand.Set.class, AliasCommand.Delete.class})
public final class AliasCommand {

    @Command(name = "set", description = "Point ALIAS at VERSION (moving it if it pointed elsewhere).")
    static final class Set extends CairnCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "ALIAS")
        String alias;

        @Parameters(index = "2", paramLabel = "VERSION")
        int version;

        @Option(names = {"-m", "--comment"}, paramLabel = "TEXT", description = "Why; recorded in the history.")
        String comment;

        @Override
        protected int run() {
            Version v = client().setAlias(name, strip(alias), new SetAlias(version, comment));
            return print(v, () -> out().println(v.name() + "@" + strip(alias) + " -> version " + v.version()));
        }
    }

    @Command(name = "delete", description = "Remove ALIAS from the model.")
    static final class Delete extends CairnCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "ALIAS")
        String alias;

        @Override
        protected int run() {
            client().deleteAlias(name, strip(alias));
            Model m = client().getModel(name);
            return print(m, () -> out().println("deleted alias " + name + "@" + strip(alias)));
        }
    }

    /** Accepts {@code @champion} as well as {@code champion}, as references write it. */
    static String strip(String alias) {
        return alias.startsWith("@") ? alias.substring(1) : alias;
    }
}
