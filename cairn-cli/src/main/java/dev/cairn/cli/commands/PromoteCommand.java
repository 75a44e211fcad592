package dev.cairn.cli.commands;

import dev.cairn.api.ApiModels.Transition;
import dev.cairn.api.ApiModels.Version;
import dev.cairn.cli.CairnCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "promote", description = {"Move a version to a stage.",
    "Staging and Production hold one version: moving a version in archives the previous holder."})
public final class PromoteCommand extends CairnCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "VERSION")
    int version;

    @Option(names = "--to", required = true, paramLabel = "STAGE",
            description = "staging, production, archived or none.")
    String stage;

    @Option(names = {"-m", "--comment"}, paramLabel = "TEXT", description = "Why; recorded in the history.")
    String comment;

    @Override
    protected int run() {
        Version v = client().transition(name, version, new Transition(stage, comment, null));
        return print(v, () -> out().println(v.name() + " version " + v.version() + " is now in " + v.stage()));
    }
}
