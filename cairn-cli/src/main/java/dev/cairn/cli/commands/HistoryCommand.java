package dev.cairn.cli.commands;

import dev.cairn.api.ApiModels.Event;
import dev.cairn.api.ApiModels.EventList;
import dev.cairn.api.ApiModels.Pointers;
import dev.cairn.cli.CairnCommand;
import dev.cairn.cli.Table;
import dev.cairn.cli.Text;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

@Command(name = "history", description = {"Show which version held each stage and alias, and when it changed:",
    "every transition, alias move and rollback with its actor, time and comment, oldest first.",
    "With --at: which version held each stage and alias at that time."})
public final class HistoryCommand extends CairnCommand {
    /** The events that move what serves; --all shows every event instead. */
    static final List<String> POINTER_KINDS = List.of("STAGE_TRANSITION", "ALIAS_SET", "ALIAS_DELETED", "ROLLBACK");

    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--all", description = "Every event of the model: creation, registrations, tags, deletions too.")
    boolean all;

    @Option(names = "--at", paramLabel = "TIME", converter = Arguments.InstantConverter.class,
            description = "Show what held each stage and alias at TIME (ISO-8601, such as 2026-03-01T12:00:00Z).")
    Instant at;

    @Override
    protected int run() {
        if (at != null) {
            if (all) {
                throw new ParameterException(spec.commandLine(), "--at and --all cannot be combined");
            }
            return pointersAt();
        }
        List<Event> events = new ArrayList<>();
        String token = null;
        do {
            EventList page = client().history(name, all ? List.of() : POINTER_KINDS, 1000, token);
            events.addAll(page.events());
            token = page.nextPageToken();
        } while (token != null);
        return print(new EventList(events, null), () -> {
            if (events.isEmpty()) {
                out().println(name + ": no stage or alias changes yet");
                return;
            }
            Table table = new Table("TIME", "ACTOR", "VERSION", "EVENT", "CHANGE", "COMMENT");
            for (Event e : events) {
                Map<String, String> payload = e.payload() == null ? Map.of() : e.payload();
                table.row(Text.time(e.time()), e.actor(), e.version() == null ? null : "v" + e.version(),
                        e.kind().toLowerCase(Locale.ROOT).replace('_', ' '), change(e.kind(), payload),
                        payload.get("comment"));
            }
            table.print(out());
        });
    }

    private int pointersAt() {
        Pointers pointers = client().pointers(name, at);
        return print(pointers, () -> {
            Table table = new Table("POINTER", "VERSION");
            new TreeMap<>(pointers.stages() == null ? Map.of() : pointers.stages())
                    .forEach((stage, version) -> table.row(stage, "v" + version));
            new TreeMap<>(pointers.aliases() == null ? Map.of() : pointers.aliases())
                    .forEach((alias, version) -> table.row("@" + alias, "v" + version));
            if (table.isEmpty()) {
                out().println(name + ": no stage or alias was held at " + at);
            } else {
                out().println(name + " at " + at + ":");
                table.print(out());
            }
        });
    }

    /** A short reading of an event's payload: {@code Production: v2 -> v3}. */
    static String change(String kind, Map<String, String> payload) {
        String from = version(payload.get("from"));
        String to = version(payload.get("to"));
        switch (kind) {
            case "STAGE_TRANSITION":
                String archived = payload.get("archived");
                return payload.get("from") + " -> " + payload.get("to")
                        + (archived == null || archived.isEmpty() ? "" : " (archived v" + archived.replace(",", ", v") + ")");
            case "ALIAS_SET":
                return "@" + payload.get("alias") + ": " + from + " -> " + to;
            case "ALIAS_DELETED":
                return "@" + payload.get("alias") + " removed (was " + from + ")";
            case "ROLLBACK":
                return payload.get("pointer") + ": " + from + " -> " + to;
            default:
                Map<String, String> rest = new LinkedHashMap<>(payload);
                rest.remove("comment");
                return Text.pairs(rest);
        }
    }

    private static String version(String number) {
        return number == null || number.isEmpty() ? "none" : "v" + number;
    }
}
