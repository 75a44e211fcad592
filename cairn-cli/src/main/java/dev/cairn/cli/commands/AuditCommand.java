package dev.cairn.cli.commands;

import dev.cairn.api.ApiModels.AuditReport;
import dev.cairn.api.ApiModels.Event;
import dev.cairn.api.ApiModels.EventList;
import dev.cairn.cli.CairnCommand;
import dev.cairn.cli.ExitCodes;
import dev.cairn.cli.Table;
import dev.cairn.cli.Text;
import dev.cairn.client.AuditFilter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "audit", description = "The registry's audit log: every change, who made it and when, each event "
        + "chained to the one before by its hash.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.ListEvents.class})
public final class AuditCommand {

    @Command(name = "verify", description = {"Recompute the audit log's hash chain and print its head (seq and hash).",
        "Exits with status 1, naming the first bad event, when an event was altered, deleted or reordered, or when "
            + "--expect-head is no longer part of the log."})
    static final class Verify extends CairnCommand {
        @Option(names = "--expect-head", paramLabel = "HASH",
                description = "A head hash printed by an earlier verify, kept somewhere safe: the log must still "
                        + "contain it.")
        String expectHead;

        @Override
        protected int run() {
            AuditReport report = client().verifyAudit(expectHead);
            print(report, () -> {
                if (report.intact()) {
                    out().println("audit log intact: " + Text.count((int) report.checked(), "event") + " checked");
                } else {
                    out().println("audit log BROKEN" + (report.firstBadSeq() == null ? ""
                            : " at event " + report.firstBadSeq()) + ": " + report.problem());
                }
                out().println((report.intact() ? "head: seq " : "intact up to: seq ")
                        + (report.headSeq() == null ? "-" : report.headSeq()) + " hash "
                        + (report.headHash() == null ? "-" : report.headHash()));
            });
            return report.intact() ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }

    @Command(name = "list", description = "List events of the audit log, oldest first.")
    static final class ListEvents extends CairnCommand {
        @Option(names = "--model", paramLabel = "NAME", description = "Only events of this model.")
        String model;

        @Option(names = "--actor", paramLabel = "USER", description = "Only events made by this user.")
        String actor;

        @Option(names = "--kind", paramLabel = "KIND",
                description = "Only events of this kind, such as STAGE_TRANSITION or REQUEST_APPROVED; repeatable.")
        List<String> kinds = new ArrayList<>();

        @Option(names = "--since", paramLabel = "TIME", converter = Arguments.InstantConverter.class,
                description = "Only events at or after TIME (ISO-8601, such as 2026-03-01T12:00:00Z).")
        Instant since;

        @Option(names = "--until", paramLabel = "TIME", converter = Arguments.InstantConverter.class,
                description = "Only events before TIME.")
        Instant until;

        @Option(names = "--limit", paramLabel = "N", description = "At most N events (default: all).")
        Integer limit;

        @Override
        protected int run() {
            if (limit != null && limit < 1) {
                throw new IllegalArgumentException("--limit must be at least 1, got " + limit);
            }
            AuditFilter filter = new AuditFilter(model, actor, kinds, since, until);
            List<Event> events = new ArrayList<>();
            String page = null;
            do {
                int wanted = limit == null ? 1000 : Math.min(1000, limit - events.size());
                EventList list = client().audit(filter, wanted, page);
                events.addAll(list.events());
                page = list.nextPageToken();
            } while (page != null && (limit == null || events.size() < limit));
            return print(new EventList(events, null), () -> {
                Table table = new Table("SEQ", "TIME", "ACTOR", "MODEL", "VERSION", "EVENT", "CHANGE");
                for (Event e : events) {
                    table.row(e.seq(), Text.time(e.time()), e.actor(), e.model(),
                            e.version() == null ? null : "v" + e.version(),
                            e.kind().toLowerCase(Locale.ROOT).replace('_', ' '),
                            HistoryCommand.change(e.kind(), e.payload() == null ? Map.of() : e.payload()));
                }
                table.print(out());
            });
        }
    }
}
