package dev.cairn.cli.commands;

import dev.cairn.api.ApiModels.Rollback;
import dev.cairn.api.ApiModels.Version;
import dev.cairn.cli.CairnCommand;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rollback", description = {
    "Move a stage or an alias back to the version that held it before the current one (or to an earlier holder "
            + "named with --to).",
    "Recorded as a new rollback event; history is never rewritten."})
public final class RollbackCommand extends CairnCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Pointer pointer;

    static final class Pointer {
        @Option(names = "--stage", paramLabel = "STAGE", description = "production or staging.")
        String stage;

        @Option(names = "--alias", paramLabel = "ALIAS")
        String alias;
    }

    @Option(names = "--to", paramLabel = "VERSION", description = "An earlier holder to return to.")
    Integer to;

    @Option(names = {"-m", "--comment"}, paramLabel = "TEXT", description = "Why; recorded in the history.")
    String comment;

    @Override
    protected int run() {
        String alias = pointer.alias == null ? null : AliasCommand.strip(pointer.alias);
        Version v = client().rollback(name, new Rollback(pointer.stage, alias, to, comment));
        String what = alias == null ? v.stage() : "@" + alias;
        return print(v, () -> out().println("rolled back " + name + " " + what + " to version " + v.version()));
    }
}
