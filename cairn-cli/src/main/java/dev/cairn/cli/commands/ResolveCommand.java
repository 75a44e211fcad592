package dev.cairn.cli.commands;

import dev.cairn.api.ApiModels.Version;
import dev.cairn.cli.CairnCommand;
import dev.cairn.client.Resolution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "resolve", description = "Show the version a reference selects now.")
public final class ResolveCommand extends CairnCommand {
    static final String REF_HELP = "models:/NAME/VERSION, models:/NAME/Production, models:/NAME/latest, "
            + "models:/NAME@ALIAS, or the same without models:/ (NAME/3, NAME/production, NAME@champion).";

    @Parameters(paramLabel = "REF", description = REF_HELP)
    String reference;

    @Override
    protected int run() {
        Resolution resolution = client().resolve(reference);
        Version v = resolution.version();
        return print(v, () -> {
            out().println(reference + " -> " + v.name() + " version " + v.version());
            VersionView.print(v, out());
        });
    }
}
