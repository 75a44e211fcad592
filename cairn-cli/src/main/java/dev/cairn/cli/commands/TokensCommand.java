package dev.cairn.cli.commands;

import dev.cairn.api.ApiModels.CreateToken;
import dev.cairn.api.ApiModels.Token;
import dev.cairn.api.ApiModels.TokenList;
import dev.cairn.cli.CairnCommand;
import dev.cairn.cli.Table;
import dev.cairn.cli.Text;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tokens", description = "Create, list and revoke API tokens.",
        subcommands = {TokensCommand.Create.class, TokensCommand.ListTokens.class, TokensCommand.Revoke.class})
public final class TokensCommand {

    @Command(name = "create", description = {"Create an API token for yourself, or (admin) for another user.",
        "The token is shown only this once; with -o json its secret is the field token (jq -r .token)."})
    static final class Create extends CairnCommand {
        @Option(names = "--user", paramLabel = "NAME", description = "Whose token (default: yours).")
        String user;

        @Option(names = "--expires", paramLabel = "30d|never",
                description = "Lifetime, such as 30d or 12h, or never (default: 90 days).")
        String expires;

        @Override
        protected int run() {
            Token token = client().createToken(new CreateToken(user, expires));
            return print(token, () -> {
                out().println("created a token for " + token.user());
                printSecret(token, out());
            });
        }
    }

    @Command(name = "list", description = "List API tokens (never their secrets): yours, or (admin) another user's.")
    static final class ListTokens extends CairnCommand {
        @Option(names = "--user", paramLabel = "NAME", description = "Whose tokens (default: yours).")
        String user;

        @Override
        protected int run() {
            List<Token> tokens = everyPage(page -> client().listTokens(user, 1000, page), TokenList::tokens,
                    TokenList::nextPageToken);
            return print(new TokenList(tokens, null), () -> {
                Table table = new Table("ID", "USER", "CREATED", "EXPIRES", "STATUS");
                tokens.forEach(t -> table.row(t.id(), t.user(), Text.time(t.createdAt()), expiry(t), status(t)));
                table.print(out());
            });
        }
    }

    @Command(name = "revoke", description = "Revoke a token at once; requests with it are refused from then on.")
    static final class Revoke extends CairnCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        protected int run() {
            Token token = client().revokeToken(id);
            return print(token, () -> out().println("revoked token " + token.id() + " of " + token.user()));
        }
    }

    /** The one place a secret is printed: right after it was created. */
    static void printSecret(Token token, PrintWriter out) {
        out.println("token:   " + token.token());
        out.println("id:      " + token.id());
        out.println("expires: " + expiry(token));
        out.println("This token is shown only now: store it safely.");
    }

    private static String expiry(Token token) {
        return token.expiresAt() == null ? "never" : Text.time(token.expiresAt());
    }

    private static String status(Token token) {
        return token.revokedAt() != null ? "revoked " + Text.time(token.revokedAt())
                : token.active() ? "active" : "expired";
    }
}
