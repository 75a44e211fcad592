package dev.cairn.cli.commands;

import dev.cairn.api.ApiModels.CreateWebhook;
import dev.cairn.api.ApiModels.Delivery;
import dev.cairn.api.ApiModels.DeliveryAttempt;
import dev.cairn.api.ApiModels.DeliveryList;
import dev.cairn.api.ApiModels.NewWebhook;
import dev.cairn.api.ApiModels.Webhook;
import dev.cairn.api.ApiModels.WebhookList;
import dev.cairn.cli.CairnCommand;
import dev.cairn.cli.ExitCodes;
import dev.cairn.cli.Table;
import dev.cairn.cli.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "webhooks", description = {"Send the registry's events to HTTP receivers (admin only).",
    "Each event is POSTed as JSON, signed with HMAC-SHA256 in the Cairn-Webhook-Signature header, and retried with "
        + "backoff until the receiver answers 2xx; every delivery and attempt is kept in a log. Delivery is "
        + "at-least-once: receivers de-duplicate by the Cairn-Webhook-Id header."},
        subcommands = {WebhooksCommand.Create.class, WebhooksCommand.ListWebhooks.class, WebhooksCommand.Show.class,
            WebhooksCommand.Delete.class, WebhooksCommand.Test.class, WebhooksCommand.Deliveries.class,
            WebhooksCommand.Replay.class})
public final class WebhooksCommand {

    @Command(name = "create", description = {"Subscribe URL to events; it receives events committed from now on.",
        "Without --secret or --secret-env the server generates the signing secret; it is shown only this once "
            + "(with -o json: the field secret). A secret given with --secret is visible to other users of this "
            + "machine in the process list: prefer --secret-env.",
        "Receivers on loopback and private addresses are refused unless the server runs with "
            + "--allow-private-webhooks."})
    static final class Create extends CairnCommand {
        @Parameters(paramLabel = "URL", description = "The receiver, an http or https URL.")
        String url;

        @Option(names = "--model", paramLabel = "NAME", description = "Only this model's events (default: every model's).")
        String model;

        @Option(names = "--events", paramLabel = "TOPIC", split = ",",
                description = "Only these events, comma-separated, such as stage.transitioned,alias.set,"
                        + "version.registered (default: every event).")
        List<String> events = new ArrayList<>();

        @Option(names = "--secret", paramLabel = "SECRET",
                description = "The signing secret, at least 16 characters. Visible in the process list: prefer "
                        + "--secret-env.")
        String secret;

        @Option(names = "--secret-env", paramLabel = "VAR",
                description = "Read the signing secret from environment variable VAR.")
        String secretEnv;

        @Option(names = "--description", paramLabel = "TEXT", description = "What the receiver is, for the listing.")
        String description;

        @Override
        protected int run() {
            String given = secret(secret, secretEnv, System.getenv());
            NewWebhook created = client().createWebhook(new CreateWebhook(url, model, events, given, description));
            Webhook w = created.webhook();
            return print(created, () -> {
                out().println("created webhook " + w.id() + ": " + w.url() + " (" + scope(w) + ")");
                if (given == null && created.secret() != null) {
                    out().println("secret: " + created.secret());
                    out().println("This secret is shown only now: store it safely. Receivers check the "
                            + "Cairn-Webhook-Signature header with it.");
                }
            });
        }

        /** The secret to send: {@code --secret}, else the variable named by {@code --secret-env}, else none. */
        static String secret(String option, String variable, Map<String, String> env) {
            if (option != null && variable != null) {
                throw new IllegalArgumentException("give --secret or --secret-env, not both");
            }
            if (variable == null) {
                return option;
            }
            String value = env.get(variable);
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException("--secret-env: environment variable " + variable
                        + " is not set or empty");
            }
            return value;
        }
    }

    @Command(name = "list", description = "List webhooks (never their secrets).")
    static final class ListWebhooks extends CairnCommand {
        @Override
        protected int run() {
            WebhookList list = client().listWebhooks();
            return print(list, () -> {
                Table table = new Table("ID", "URL", "MODEL", "EVENTS", "CREATED BY", "CREATED", "DESCRIPTION");
                list.webhooks().forEach(w -> table.row(w.id(), w.url(), w.model() == null ? "*" : w.model(),
                        events(w), w.createdBy(), Text.time(w.createdAt()), w.description()));
                table.print(out());
            });
        }
    }

    @Command(name = "show", description = "Show one webhook (never its secret).")
    static final class Show extends CairnCommand {
        @Parameters(paramLabel = "ID")
        long id;

        @Override
        protected int run() {
            Webhook w = client().getWebhook(id);
            return print(w, () -> Table.headless()
                    .row("id:", w.id())
                    .row("url:", w.url())
                    .row("model:", w.model() == null ? "every model" : w.model())
                    .row("events:", events(w))
                    .row("description:", w.description())
                    .row("created by:", w.createdBy())
                    .row("created:", Text.time(w.createdAt()))
                    .row("events after:", "seq " + w.afterSeq())
                    .print(out()));
        }
    }

    @Command(name = "delete", description = "Delete a webhook together with its deliveries: pending ones are not sent.")
    static final class Delete extends CairnCommand {
        @Parameters(paramLabel = "ID")
        long id;

        @Override
        protected int run() {
            Webhook w = client().deleteWebhook(id);
            return print(w, () -> out().println("deleted webhook " + w.id() + ": " + w.url()));
        }
    }

    @Command(name = "test", description = {"Send a ping to the webhook now, one attempt, and say whether the receiver "
        + "accepted it.", "Exits with status 1 when the receiver did not answer 2xx (its status code or the error is "
        + "printed)."})
    static final class Test extends CairnCommand {
        @Parameters(paramLabel = "ID")
        long id;

        @Override
        protected int run() {
            Delivery d = client().testWebhook(id);
            boolean delivered = "delivered".equals(d.status());
            print(d, () -> out().println(delivered
                    ? "delivered: the receiver answered " + d.lastStatusCode() + " (delivery " + d.id() + ")"
                    : "failed: " + last(d) + " (delivery " + d.id() + ")"));
            return delivered ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }

    @Command(name = "deliveries", description = "List a webhook's deliveries, newest first: what was sent, how often, "
        + "and what the receiver answered.")
    static final class Deliveries extends CairnCommand {
        @Parameters(paramLabel = "ID")
        long id;

        @Option(names = "--status", paramLabel = "STATUS", description = "pending, delivered or failed.")
        String status;

        @Option(names = "--limit", paramLabel = "N", description = "At most N deliveries (default: all).")
        Integer limit;

        @Option(names = "--attempts", description = "Also list every attempt of each delivery.")
        boolean attempts;

        @Override
        protected int run() {
            if (limit != null && limit < 1) {
                throw new IllegalArgumentException("--limit must be at least 1, got " + limit);
            }
            List<Delivery> deliveries = new ArrayList<>();
            String page = null;
            do {
                int wanted = limit == null ? 1000 : Math.min(1000, limit - deliveries.size());
                DeliveryList list = client().deliveries(id, status, wanted, page);
                deliveries.addAll(list.deliveries());
                page = list.nextPageToken();
            } while (page != null && (limit == null || deliveries.size() < limit));
            return print(new DeliveryList(deliveries, null), () -> {
                Table table = new Table("ID", "EVENT SEQ", "TOPIC", "STATUS", "ATTEMPTS", "LAST",
                        "NEXT ATTEMPT / DELIVERED AT");
                deliveries.forEach(d -> table.row(d.id(), d.eventSeq(), d.topic(), d.status(), d.attempts(),
                        last(d), Text.time("delivered".equals(d.status()) ? d.deliveredAt()
                                : "pending".equals(d.status()) ? d.nextAttemptAt() : null)));
                table.print(out());
                if (attempts) {
                    deliveries.forEach(this::printAttempts);
                }
            });
        }

        private void printAttempts(Delivery d) {
            out().println();
            out().println("delivery " + d.id() + " (" + d.topic() + "):");
            List<DeliveryAttempt> log = d.attemptLog() == null ? List.of() : d.attemptLog();
            if (log.isEmpty()) {
                out().println("  no attempts yet");
                return;
            }
            Table table = new Table("ATTEMPT", "TIME", "RESULT", "DURATION");
            log.forEach(a -> table.row(a.attempt(), Text.time(a.time()),
                    a.statusCode() != null ? "HTTP " + a.statusCode() : a.error(), a.durationMillis() + " ms"));
            table.print(out(), "  ");
        }
    }

    @Command(name = "replay", description = "Send a delivery's event again, as a new delivery with a new id.")
    static final class Replay extends CairnCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The webhook.")
        long id;

        @Parameters(index = "1", paramLabel = "DELIVERY_ID", description = "The delivery to send again.")
        String deliveryId;

        @Override
        protected int run() {
            Delivery d = client().replay(id, deliveryId);
            return print(d, () -> out().println("replayed delivery " + deliveryId + " as " + d.id() + " ("
                    + d.status() + ")"));
        }
    }

    /** {@code model fraud, events stage.transitioned, alias.set}. */
    private static String scope(Webhook w) {
        return (w.model() == null ? "every model" : "model " + w.model()) + ", " + events(w);
    }

    private static String events(Webhook w) {
        return w.events() == null || w.events().isEmpty() ? "every event" : Text.list(w.events());
    }

    /** The receiver's last answer: its status code, else the error, else nothing yet. */
    private static String last(Delivery d) {
        if (d.lastStatusCode() != null) {
            return "HTTP " + d.lastStatusCode();
        }
        return d.lastError() == null ? "no attempt yet" : d.lastError();
    }
}
