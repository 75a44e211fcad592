package dev.cairn.cli.commands;

import dev.cairn.api.ApiModels.CreateUser;
import dev.cairn.api.ApiModels.NewUser;
import dev.cairn.api.ApiModels.UpdateUser;
import dev.cairn.api.ApiModels.User;
import dev.cairn.api.ApiModels.UserList;
import dev.cairn.cli.CairnCommand;
import dev.cairn.cli.Table;
import dev.cairn.cli.Text;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "users", description = "Create and list users and change their roles (admin only).",
        subcommands = {UsersCommand.Create.class, UsersCommand.ListUsers.class, UsersCommand.SetRole.class})
public final class UsersCommand {
    static final String ROLES = "viewer, editor, approver or admin";

    /**
     * What {@code users create -o json} prints: the user, and its first token flattened so that
     * {@code jq -r .token} is the secret.
     */
    record CreatedUser(User user, String token, String tokenId, String expiresAt) {}

    @Command(name = "create", description = {"Create a user with a role, and print their first API token.",
        "The token is shown only this once: hand it to the user over a safe channel."})
    static final class Create extends CairnCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = ROLES + ".")
        String role;

        @Option(names = "--expires", paramLabel = "30d|never",
                description = "Lifetime of the first token, such as 30d or 12h, or never (default: 90 days).")
        String expires;

        @Override
        protected int run() {
            NewUser created = client().createUser(new CreateUser(name, role, expires));
            User user = created.user();
            CreatedUser shown = new CreatedUser(user, created.token().token(), created.token().id(),
                    created.token().expiresAt());
            return print(shown, () -> {
                out().println("created user " + user.name() + " (" + user.role() + ")");
                TokensCommand.printSecret(created.token(), out());
            });
        }
    }

    @Command(name = "list", description = "List users and their roles.")
    static final class ListUsers extends CairnCommand {
        @Override
        protected int run() {
            List<User> users = everyPage(token -> client().listUsers(1000, token), UserList::users,
                    UserList::nextPageToken);
            return print(new UserList(users, null), () -> {
                Table table = new Table("NAME", "ROLE", "CREATED", "CREATED BY");
                users.forEach(u -> table.row(u.name(), u.role(), Text.time(u.createdAt()), u.createdBy()));
                table.print(out());
            });
        }
    }

    @Command(name = "set-role", description = "Change a user's role; their tokens keep working with the new role.")
    static final class SetRole extends CairnCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "ROLE", description = ROLES + ".")
        String role;

        @Override
        protected int run() {
            User user = client().updateUser(name, new UpdateUser(role));
            return print(user, () -> out().println(user.name() + " is now " + user.role()));
        }
    }
}
