package dev.cairn.cli.commands;

import dev.cairn.api.ApiModels.Grant;
import dev.cairn.api.ApiModels.GrantList;
import dev.cairn.cli.CairnCommand;
import dev.cairn.cli.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "grants", description = "Per-model grants: a role that replaces a user's own role on one model, "
        + "narrower or wider (admin only).",
        subcommands = {GrantsCommand.Set.class, GrantsCommand.ListGrants.class, GrantsCommand.Delete.class})
public final class GrantsCommand {

    @Command(name = "set", description = "Give USER the role ROLE on MODEL (viewer, editor, approver or admin).")
    static final class Set extends CairnCommand {
        @Parameters(index = "0", paramLabel = "MODEL")
        String model;

        @Parameters(index = "1", paramLabel = "USER")
        String user;

        @Parameters(index = "2", paramLabel = "ROLE")
        String role;

        @Override
        protected int run() {
            Grant grant = client().setGrant(model, user, role);
            return print(grant, () -> out().println(grant.user() + " is " + grant.role() + " on " + grant.model()));
        }
    }

    @Command(name = "list", description = "List the grants on MODEL.")
    static final class ListGrants extends CairnCommand {
        @Parameters(paramLabel = "MODEL")
        String model;

        @Override
        protected int run() {
            GrantList grants = client().listGrants(model);
            return print(grants, () -> table(grants).print(out()));
        }
    }

    @Command(name = "delete", description = "Remove USER's grant on MODEL: their own role applies again.")
    static final class Delete extends CairnCommand {
        @Parameters(index = "0", paramLabel = "MODEL")
        String model;

        @Parameters(index = "1", paramLabel = "USER")
        String user;

        @Override
        protected int run() {
            client().deleteGrant(model, user);
            GrantList remaining = client().listGrants(model);
            return print(remaining, () -> out().println("deleted the grant of " + user + " on " + model));
        }
    }

    private static Table table(GrantList grants) {
        Table table = new Table("USER", "ROLE");
        grants.grants().forEach(g -> table.row(g.user(), g.role()));
        return table;
    }
}
