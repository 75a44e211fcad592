package dev.cairn.cli.commands;

import dev.cairn.api.ApiModels.WhoAmI;
import dev.cairn.cli.CairnCommand;
import dev.cairn.cli.Table;
import picocli.CommandLine.Command;

@Command(name = "whoami", description = "Show who the server takes you for: your user name and role.")
public final class WhoamiCommand extends CairnCommand {
    @Override
    protected int run() {
        WhoAmI me = client().whoami();
        return print(me, () -> Table.headless()
                .row("user:", me.user())
                .row("role:", me.role())
                .row("authenticated:", me.authenticated() ? "yes" : "no (the server runs without authentication)")
                .print(out()));
    }
}
