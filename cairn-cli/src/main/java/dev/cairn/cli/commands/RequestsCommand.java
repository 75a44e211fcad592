package dev.cairn.cli.commands;

import dev.cairn.api.ApiModels.Approval;
import dev.cairn.api.ApiModels.CreateRequest;
import dev.cairn.api.ApiModels.Request;
import dev.cairn.api.ApiModels.RequestList;
import dev.cairn.cli.CairnCommand;
import dev.cairn.cli.Table;
import dev.cairn.cli.Text;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "requests", description = {"Ask for a version to be moved to Production or a protected alias, and "
        + "approve or reject such requests.",
    "An approval that completes the approvals the policy needs performs the move in the same step. With four-eyes "
        + "(on by default) nobody approves their own request."},
        subcommands = {RequestsCommand.Create.class, RequestsCommand.ListRequests.class, RequestsCommand.Show.class,
            RequestsCommand.Approve.class, RequestsCommand.Reject.class, RequestsCommand.Cancel.class})
public final class RequestsCommand {

    @Command(name = "create", description = "Request that VERSION of NAME move to Production or to a protected alias.")
    static final class Create extends CairnCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "VERSION")
        int version;

        @Option(names = "--to", required = true, paramLabel = "production|ALIAS",
                description = "Where the version should go: production, or an alias such as champion.")
        String target;

        @Option(names = {"-m", "--comment"}, paramLabel = "TEXT", description = "Why; shown to the approvers.")
        String comment;

        @Override
        protected int run() {
            Request r = client().createRequest(new CreateRequest(name, version, target, comment));
            return print(r, () -> out().println("created request " + r.id() + ": " + summary(r) + " (" + r.status()
                    + ")"));
        }
    }

    @Command(name = "list", description = "List transition requests.")
    static final class ListRequests extends CairnCommand {
        @Option(names = "--model", paramLabel = "NAME", description = "Only requests for this model.")
        String model;

        @Option(names = "--status", paramLabel = "STATUS", description = "pending, approved, rejected or cancelled.")
        String status;

        @Override
        protected int run() {
            List<Request> requests = everyPage(page -> client().listRequests(model, status, 1000, page),
                    RequestList::requests, RequestList::nextPageToken);
            // A bare array, as documented for scripts: [{"id": ..., "model": ..., "status": ...}, ...]
            return print(requests, () -> {
                Table table = new Table("ID", "MODEL", "VERSION", "TARGET", "STATUS", "REQUESTED BY", "CREATED",
                        "COMMENT");
                requests.forEach(r -> table.row(r.id(), r.model(), "v" + r.version(), r.target(), r.status(),
                        r.requestedBy(), Text.time(r.createdAt()), r.comment()));
                table.print(out());
            });
        }
    }

    @Command(name = "show", description = "Show one request with its approvals and decision.")
    static final class Show extends CairnCommand {
        @Parameters(paramLabel = "ID")
        long id;

        @Override
        protected int run() {
            Request r = client().getRequest(id);
            return print(r, () -> describe(r).print(out()));
        }
    }

    @Command(name = "approve", description = "Approve a pending request; the last approval it needs moves the version.")
    static final class Approve extends CairnCommand {
        @Parameters(paramLabel = "ID")
        long id;

        @Option(names = {"-m", "--comment"}, paramLabel = "TEXT", description = "Recorded with the approval.")
        String comment;

        @Override
        protected int run() {
            Request r = client().approveRequest(id, comment);
            return print(r, () -> out().println("approved request " + r.id() + ": " + summary(r) + " ("
                    + r.status() + ")"));
        }
    }

    @Command(name = "reject", description = "Reject a pending request; nothing moves.")
    static final class Reject extends CairnCommand {
        @Parameters(paramLabel = "ID")
        long id;

        @Option(names = {"-m", "--comment"}, paramLabel = "TEXT", description = "Why; recorded with the decision.")
        String comment;

        @Override
        protected int run() {
            Request r = client().rejectRequest(id, comment);
            return print(r, () -> out().println("rejected request " + r.id() + ": " + summary(r)));
        }
    }

    @Command(name = "cancel", description = "Withdraw a pending request you made.")
    static final class Cancel extends CairnCommand {
        @Parameters(paramLabel = "ID")
        long id;

        @Override
        protected int run() {
            Request r = client().cancelRequest(id);
            return print(r, () -> out().println("cancelled request " + r.id() + ": " + summary(r)));
        }
    }

    /** {@code fraud v3 -> production}. */
    private static String summary(Request r) {
        return r.model() + " v" + r.version() + " -> " + r.target();
    }

    private static Table describe(Request r) {
        Table table = Table.headless()
                .row("id:", r.id())
                .row("move:", summary(r))
                .row("status:", r.status())
                .row("requested by:", r.requestedBy())
                .row("created:", Text.time(r.createdAt()))
                .row("comment:", r.comment());
        for (Approval a : r.approvals() == null ? List.<Approval>of() : r.approvals()) {
            table.row("approved by:", a.approver() + " at " + Text.time(a.time())
                    + (a.comment() == null ? "" : ": " + a.comment()));
        }
        return table.row("decided by:", r.decidedBy())
                .row("decided:", Text.time(r.decidedAt()))
                .row("decision comment:", r.decisionComment());
    }
}
