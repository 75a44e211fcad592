package dev.cairn.server.internal.ui;

import dev.cairn.core.RegistryService;
import dev.cairn.core.model.Event;
import dev.cairn.core.model.EventFilter;
import dev.cairn.core.model.EventKind;
import dev.cairn.core.model.Page;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model's history as the UI tells it: the moves of its stages and aliases, requests and blocked promotions, in
 * words. The event log lists oldest first; the newest {@link #SCAN_LIMIT} matching events are read, no more.
 */
public final class History {
    /** The kinds of a model's timeline. */
    static final List<EventKind> TIMELINE = List.of(EventKind.STAGE_TRANSITION, EventKind.ALIAS_SET,
            EventKind.ALIAS_DELETED, EventKind.ROLLBACK, EventKind.REQUEST_CREATED, EventKind.REQUEST_APPROVED,
            EventKind.REQUEST_REJECTED, EventKind.REQUEST_CANCELLED, EventKind.PROMOTION_BLOCKED);
    private static final List<EventKind> MOVES = List.of(EventKind.STAGE_TRANSITION, EventKind.ALIAS_SET,
            EventKind.ROLLBACK);
    /** Pages of 1,000 events read at most: a bound on the time a page may spend on a very long history. */
    private static final int SCAN_PAGES = 20;

    private History() {}

    /** One line of the timeline. */
    public record Entry(long seq, String time, String iso, String actor, String kind, Integer version, String text) {}

    /** The newest {@code max} timeline events of a model, newest first. */
    static List<Entry> timeline(RegistryService service, String model, int max) {
        List<Event> events = newest(service, model, TIMELINE, max);
        List<Entry> entries = new ArrayList<>();
        for (int i = events.size() - 1; i >= 0; i--) {
            Event e = events.get(i);
            entries.add(new Entry(e.seq(), Fmt.time(e.time()), Fmt.iso(e.time()), e.actor(), e.kind().name(),
                    e.version(), describe(e)));
        }
        return entries;
    }

    /** Versions that held Production at some time (as far as the scanned history goes). */
    static Set<Integer> heldProduction(RegistryService service, String model) {
        Set<Integer> held = new LinkedHashSet<>();
        for (Event e : newest(service, model, MOVES, SCAN_PAGES * 1000)) {
            if (e.version() != null && "Production".equals(target(e))) {
                held.add(e.version());
            }
        }
        return held;
    }

    /** The stages and aliases that ever pointed at one version: {@code Production}, {@code @champion}. */
    static Set<String> pointersOf(RegistryService service, String model, int version) {
        Set<String> held = new LinkedHashSet<>();
        for (Event e : newest(service, model, MOVES, SCAN_PAGES * 1000)) {
            if (e.version() != null && e.version() == version) {
                String target = target(e);
                if (target != null && !target.equals("None") && !target.equals("Archived")) {
                    held.add(target);
                }
            }
        }
        return held;
    }

    /** The pointer an event moved to its version: a stage label or {@code @alias}; null for other events. */
    private static String target(Event e) {
        Map<String, String> p = e.payload();
        return switch (e.kind()) {
            case STAGE_TRANSITION -> p.get("to");
            case ALIAS_SET -> "@" + p.get("alias");
            case ROLLBACK -> p.get("pointer");
            default -> null;
        };
    }

    private static List<Event> newest(RegistryService service, String model, List<EventKind> kinds, int max) {
        Deque<Event> kept = new ArrayDeque<>();
        EventFilter filter = EventFilter.of(model, kinds);
        String token = null;
        for (int pages = 0; pages < SCAN_PAGES; pages++) {
            Page<Event> page = service.events(filter, 1000, token);
            for (Event e : page.items()) {
                kept.addLast(e);
                if (kept.size() > max) {
                    kept.removeFirst();
                }
            }
            token = page.nextPageToken();
            if (token == null) {
                break;
            }
        }
        return new ArrayList<>(kept);
    }

    /** An event in words, such as {@code v3: Staging → Production}. */
    static String describe(Event e) {
        Map<String, String> p = e.payload();
        String v = e.version() == null ? "" : "v" + e.version();
        String text = switch (e.kind()) {
            case STAGE_TRANSITION -> v + ": " + p.getOrDefault("from", "?") + " → " + p.getOrDefault("to", "?")
                    + (p.containsKey("archived") ? " (archived v" + p.get("archived").replace(",", ", v") + ")" : "")
                    + (p.containsKey("request") ? " by request #" + p.get("request") : "");
            case ALIAS_SET -> "@" + p.get("alias") + " → " + v
                    + (blank(p.get("from")) ? "" : " (was v" + p.get("from") + ")");
            case ALIAS_DELETED -> "@" + p.get("alias") + " removed (was v" + p.get("from") + ")";
            case ROLLBACK -> "rollback of " + p.get("pointer") + ": " + (blank(p.get("from")) ? "none" : "v" + p.get("from"))
                    + " → v" + p.get("to");
            case REQUEST_CREATED -> "request #" + p.get("request") + ": " + v + " → " + p.get("target");
            case REQUEST_APPROVED -> "request #" + p.get("request") + " approved";
            case REQUEST_REJECTED -> "request #" + p.get("request") + " rejected";
            case REQUEST_CANCELLED -> "request #" + p.get("request") + " cancelled";
            case PROMOTION_BLOCKED -> v + " blocked from " + p.get("target") + ": " + p.get("failed");
            default -> (v.isEmpty() ? "" : v + ": ") + e.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        };
        String comment = p.get("comment");
        return blank(comment) ? text : text + " — “" + comment + "”";
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
