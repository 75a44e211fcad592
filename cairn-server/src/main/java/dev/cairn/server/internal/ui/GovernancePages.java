package dev.cairn.server.internal.ui;

import dev.cairn.core.GovernanceService;
import dev.cairn.core.RegistryException;
import dev.cairn.core.RegistryService;
import dev.cairn.core.governance.Actor;
import dev.cairn.core.governance.AuditChain;
import dev.cairn.core.governance.RequestStatus;
import dev.cairn.core.governance.TransitionRequest;
import dev.cairn.core.model.Event;
import dev.cairn.core.model.EventFilter;
import dev.cairn.core.model.EventKind;
import dev.cairn.core.model.ModelVersion;
import dev.cairn.core.model.Page;
import dev.cairn.server.internal.auth.Authentication;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Pending approvals, the audit log with its chain check, and the reverse lineage questions. */
public final class GovernancePages {
    static final int PAGE = 100;

    private final RegistryService service;
    private final GovernanceService governance;
    private final boolean authOn;

    GovernancePages(RegistryService service, GovernanceService governance, boolean authOn) {
        this.service = service;
        this.governance = governance;
        this.authOn = authOn;
    }

    // --- requests -----------------------------------------------------------------------------------------------

    public record RequestsView(List<RequestRow> rows, String next) {}

    public record RequestRow(TransitionRequest request, String target, String created, String createdIso,
                             boolean canDecide) {
        public String modelUrl() {
            return Fmt.model(request.model());
        }

        public String versionUrl() {
            return Fmt.version(request.model(), request.version());
        }
    }

    void requests(Context ctx) {
        requests(ctx, 200, null);
    }

    void requests(Context ctx, int status, Chrome.Flash flash) {
        Actor actor = Authentication.actor(ctx);
        String token = BrowsePages.trimmed(ctx.queryParam("page_token"));
        Page<TransitionRequest> page = governance.listRequests(null, RequestStatus.PENDING, PAGE, token);
        Map<String, Can> can = new HashMap<>();
        List<RequestRow> rows = page.items().stream().map(r -> new RequestRow(r, r.target().toString(),
                Fmt.time(r.createdAt()), Fmt.iso(r.createdAt()),
                can.computeIfAbsent(r.model(), m -> Can.on(governance, actor, m)).promote())).toList();
        Pages.render(ctx, status, "requests.jte", Pages.chrome(ctx, "Pending requests", actor, authOn, flash),
                new RequestsView(rows, page.nextPageToken() == null ? null
                        : "/ui/requests?page_token=" + Fmt.q(page.nextPageToken())));
    }

    // --- audit --------------------------------------------------------------------------------------------------

    public record AuditView(String model, String actor, String kind, List<String> kinds, AuditChain.Report chain,
                            List<EventRow> events, String next) {}

    public record EventRow(long seq, String time, String iso, String actor, String model, Integer version, String kind,
                           String text) {
        public String modelUrl() {
            return model == null ? null : Fmt.model(model);
        }
    }

    void audit(Context ctx) {
        String model = BrowsePages.trimmed(ctx.queryParam("model"));
        String actor = BrowsePages.trimmed(ctx.queryParam("actor"));
        String kind = BrowsePages.trimmed(ctx.queryParam("kind"));
        String token = BrowsePages.trimmed(ctx.queryParam("page_token"));
        List<EventKind> kinds = kind == null ? List.of() : List.of(kind(kind));
        Page<Event> page = service.events(new EventFilter(model, actor, kinds, null, null), PAGE, token);
        List<EventRow> rows = page.items().stream().map(e -> new EventRow(e.seq(), Fmt.time(e.time()),
                Fmt.iso(e.time()), e.actor(), e.model(), e.version(), e.kind().name(), History.describe(e))).toList();
        // Recomputing the chain reads every event: only on request, so the page stays fast on a long log.
        AuditChain.Report chain = "1".equals(ctx.queryParam("verify")) ? governance.verifyAudit(null) : null;
        String next = page.nextPageToken() == null ? null : "/ui/audit?model=" + Fmt.q(model) + "&actor=" + Fmt.q(actor)
                + "&kind=" + Fmt.q(kind) + "&page_token=" + Fmt.q(page.nextPageToken());
        Pages.render(ctx, 200, "audit.jte", Pages.chrome(ctx, "Audit log", Authentication.actor(ctx), authOn, null),
                new AuditView(model == null ? "" : model, actor == null ? "" : actor, kind == null ? "" : kind,
                        Arrays.stream(EventKind.values()).map(Enum::name).toList(), chain, rows, next));
    }

    private static EventKind kind(String text) {
        try {
            return EventKind.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw RegistryException.invalid("unknown event kind '" + text + "'");
        }
    }

    // --- lineage ------------------------------------------------------------------------------------------------

    public record LineageView(String dataset, String commit, String parent, String question, List<ModelVersion> rows,
                              String next) {
        public String versionUrl(ModelVersion v) {
            return Fmt.version(v.modelName(), v.version());
        }
    }

    void lineage(Context ctx) {
        String dataset = BrowsePages.trimmed(ctx.queryParam("dataset"));
        String commit = BrowsePages.trimmed(ctx.queryParam("commit"));
        String parent = BrowsePages.trimmed(ctx.queryParam("parent"));
        String token = BrowsePages.trimmed(ctx.queryParam("page_token"));
        Page<ModelVersion> page = null;
        String question = null;
        String base = null;
        if (dataset != null) {
            page = service.versionsUsingDataset(dataset, PAGE, token);
            question = "Versions trained on dataset " + dataset;
            base = "/ui/lineage?dataset=" + Fmt.q(dataset);
        } else if (commit != null) {
            page = service.versionsFromCommit(commit, PAGE, token);
            question = "Versions built from commit " + commit;
            base = "/ui/lineage?commit=" + Fmt.q(commit);
        } else if (parent != null) {
            int colon = parent.lastIndexOf(':');
            if (colon < 1) {
                throw RegistryException.invalid("parent must be MODEL:VERSION, such as fraud:3; got '" + parent + "'");
            }
            page = service.versionsDerivedFrom(parent.substring(0, colon),
                    BrowsePages.versionNumber(parent.substring(colon + 1)), PAGE, token);
            question = "Versions derived from " + parent;
            base = "/ui/lineage?parent=" + Fmt.q(parent);
        }
        String next = page == null || page.nextPageToken() == null ? null
                : base + "&page_token=" + Fmt.q(page.nextPageToken());
        Pages.render(ctx, 200, "lineage.jte", Pages.chrome(ctx, "Lineage", Authentication.actor(ctx), authOn, null),
                new LineageView(dataset == null ? "" : dataset, commit == null ? "" : commit,
                        parent == null ? "" : parent, question, page == null ? List.of() : page.items(), next));
    }
}
