package dev.cairn.server.internal.ui;

import dev.cairn.core.GovernanceService;
import dev.cairn.core.RegistryException;
import dev.cairn.core.RegistryService;
import dev.cairn.core.compare.Comparison;
import dev.cairn.core.deploy.Deployment;
import dev.cairn.core.deploy.DeploymentService;
import dev.cairn.core.governance.Actor;
import dev.cairn.core.governance.RequestStatus;
import dev.cairn.core.governance.TransitionRequest;
import dev.cairn.core.model.ModelPointers;
import dev.cairn.core.model.ModelSummary;
import dev.cairn.core.model.ModelVersion;
import dev.cairn.core.model.Page;
import dev.cairn.core.model.RegisteredModel;
import dev.cairn.core.model.Stage;
import dev.cairn.core.verify.VerifyReport;
import dev.cairn.server.internal.auth.Authentication;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The reading pages of the registry: models, one model, one version, and versions compared. */
public final class BrowsePages {
    static final int MODELS_PAGE = 50;
    /** Pages of models read at most for one filtered page. */
    static final int FILTER_PAGES = 20;
    static final int VERSIONS_PAGE = 25;
    static final int HISTORY_SHOWN = 30;
    /** The chart plots at most this many versions, the newest. */
    static final int CHART_MAX = 500;

    private final RegistryService service;
    private final GovernanceService governance;
    private final DeploymentService deployments;
    private final boolean authOn;

    BrowsePages(RegistryService service, GovernanceService governance, DeploymentService deployments, boolean authOn) {
        this.service = service;
        this.governance = governance;
        this.deployments = deployments;
        this.authOn = authOn;
    }

    // --- models -------------------------------------------------------------------------------------------------

    public record ModelsView(String query, String stage, String alias, String tag, List<ModelRow> rows, String next,
                             String first, boolean filtered) {}

    public record ModelRow(String name, String production, String metricName, String metricValue,
                           List<String> aliases, String changed, String changedIso) {}

    /**
     * Models by name, keyset-paged. The stage, alias and tag filters are applied to whole pages of the name-ordered
     * list, read until a page's worth matched or {@link #FILTER_PAGES} pages were read; the next link resumes after
     * the last page read, so paging stays keyset-based.
     */
    void models(Context ctx) {
        String q = trimmed(ctx.queryParam("q"));
        String stage = trimmed(ctx.queryParam("stage"));
        String alias = trimmed(ctx.queryParam("alias"));
        String tag = trimmed(ctx.queryParam("tag"));
        String token = trimmed(ctx.queryParam("page_token"));
        Stage wantedStage = stage == null ? null : Stage.parse(stage);
        String wantedAlias = alias == null ? null : alias.startsWith("@") ? alias.substring(1) : alias;
        boolean filtered = wantedStage != null || wantedAlias != null || tag != null;
        List<ModelSummary> matches = new ArrayList<>();
        String next = token;
        int pages = 0;
        do {
            Page<ModelSummary> page = service.listModels(q, MODELS_PAGE, next);
            page.items().stream().filter(s -> matches(s, wantedStage, wantedAlias, tag)).forEach(matches::add);
            next = page.nextPageToken();
            pages++;
        } while (filtered && next != null && matches.size() < MODELS_PAGE && pages < FILTER_PAGES);
        List<ModelRow> rows = new ArrayList<>();
        for (ModelSummary s : matches) {
            Integer prod = s.pointers().stages().get(Stage.PRODUCTION.label());
            String metric = null;
            String value = "";
            if (prod != null) {
                Map<String, Double> metrics = service.getVersion(s.model().name(), prod).metrics();
                metric = keyMetrics(metrics.keySet(), 1).stream().findFirst().orElse(null);
                value = metric == null ? "" : Fmt.num(metrics.get(metric));
            }
            rows.add(new ModelRow(s.model().name(), prod == null ? "none" : "v" + prod, metric, value,
                    aliases(s.pointers()), Fmt.time(s.model().updatedAt()), Fmt.iso(s.model().updatedAt())));
        }
        String base = "/?q=" + Fmt.q(q) + "&stage=" + Fmt.q(stage) + "&alias=" + Fmt.q(alias) + "&tag=" + Fmt.q(tag);
        Pages.render(ctx, 200, "models.jte", chrome(ctx, "Models", null), new ModelsView(orEmpty(q),
                wantedStage == null ? "" : wantedStage.label(), orEmpty(alias), orEmpty(tag), rows,
                next == null ? null : base + "&page_token=" + Fmt.q(next), token == null ? null : base, filtered));
    }

    /** Whether a model has a version in {@code stage}, the alias, and the tag ({@code key} or {@code key=value}). */
    private static boolean matches(ModelSummary s, Stage stage, String alias, String tag) {
        if (stage != null && !s.pointers().stages().containsKey(stage.label())) {
            return false;
        }
        if (alias != null && !s.pointers().aliases().containsKey(alias)) {
            return false;
        }
        if (tag != null) {
            int eq = tag.indexOf('=');
            String key = eq < 0 ? tag : tag.substring(0, eq).strip();
            String value = s.model().tags().get(key);
            return value != null && (eq < 0 || value.equals(tag.substring(eq + 1).strip()));
        }
        return true;
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }

    // --- one model ----------------------------------------------------------------------------------------------

    public record ModelView(RegisteredModel model, String production, String staging, List<String> aliases,
                            List<String> aliasNames, List<String> metricNames, List<VersionRow> versions,
                            String older, String newest, List<History.Entry> history, List<TransitionRequest> requests,
                            Can can, String compareDefault, List<ServingRow> serving) {
        public String url() {
            return Fmt.model(model.name());
        }
    }

    public record VersionRow(int version, String status, String stage, List<String> aliases, List<String> metrics,
                             String createdBy, String createdAt, String createdIso, String digest) {}

    /** One version that live instances serve now, and those instances. */
    public record ServingRow(int version, List<ServingInstance> instances) {}

    /** A live instance: its id, where it runs (or ""), who reported it, and since when it serves the version. */
    public record ServingInstance(String id, String host, String reportedBy, String since, String sinceIso) {}

    void model(Context ctx) {
        model(ctx, 200, null);
    }

    /** The model page; an action that was refused shows it again with {@code flash} and its status. */
    void model(Context ctx, int status, Chrome.Flash flash) {
        String name = ctx.pathParam("name");
        String token = trimmed(ctx.queryParam("page_token"));
        RegisteredModel model = service.getModel(name);
        ModelPointers pointers = service.pointers(name);
        Page<ModelVersion> page = service.listVersions(name, null, null, VERSIONS_PAGE, token);
        Set<String> names = new TreeSet<>();
        page.items().forEach(v -> names.addAll(v.metrics().keySet()));
        List<String> shown = keyMetrics(names, 3);
        List<VersionRow> rows = page.items().stream().map(v -> new VersionRow(v.version(), v.status().name(),
                v.stage().label(), v.aliases(), shown.stream().map(m -> Fmt.num(v.metrics().get(m))).toList(),
                v.createdBy(), Fmt.time(v.createdAt()), Fmt.iso(v.createdAt()), Fmt.digest(v.manifest().digest())))
                .toList();
        String url = Fmt.model(name);
        List<TransitionRequest> requests = governance.listRequests(name, RequestStatus.PENDING, 50, null).items();
        String compare = page.items().size() >= 2 ? page.items().get(1).version() + "," + page.items().get(0).version() : "";
        Actor actor = Authentication.actor(ctx);
        ModelView view = new ModelView(model, holder(pointers, Stage.PRODUCTION), holder(pointers, Stage.STAGING),
                aliases(pointers), new ArrayList<>(new TreeMap<>(pointers.aliases()).keySet()), shown, rows,
                page.nextPageToken() == null ? null : url + "?page_token=" + Fmt.q(page.nextPageToken()),
                token == null ? null : url, History.timeline(service, name, HISTORY_SHOWN), requests,
                Can.on(governance, actor, name), compare, serving(actor, name));
        Pages.render(ctx, status, "model.jte", chrome(ctx, name, flash), view);
    }

    /** The live instances of the model grouped by the version they serve, highest version first. */
    private List<ServingRow> serving(Actor actor, String name) {
        Map<Integer, List<ServingInstance>> byVersion = new TreeMap<>(Comparator.reverseOrder());
        for (DeploymentService.Instance instance : deployments.deployments(actor, name, false)) {
            Deployment d = instance.deployment();
            byVersion.computeIfAbsent(d.version(), v -> new ArrayList<>()).add(new ServingInstance(d.instanceId(),
                    d.host() == null ? "" : d.host(), d.reportedBy(), Fmt.time(d.since()), Fmt.iso(d.since())));
        }
        return byVersion.entrySet().stream().map(e -> new ServingRow(e.getKey(), e.getValue())).toList();
    }

    // --- one version --------------------------------------------------------------------------------------------

    public record VersionView(ModelVersion v, List<String> metricNames, List<String> paramNames, List<String> tagNames,
                              List<String> pointersNow, List<String> pointersBefore, LineageGraph graph,
                              VerifyReport.VersionCheck check, String url) {
        public String fileUrl(String path) {
            return "/api/v1/models/" + Fmt.seg(v.modelName()) + "/versions/" + v.version() + "/files/" + Fmt.path(path);
        }
    }

    void version(Context ctx) {
        String name = ctx.pathParam("name");
        int number = versionNumber(ctx.pathParam("version"));
        ModelVersion v = service.getVersion(name, number);
        List<String> now = new ArrayList<>();
        if (v.stage().isLive()) {
            now.add(v.stage().label());
        }
        v.aliases().forEach(a -> now.add("@" + a));
        List<String> before = new ArrayList<>(History.pointersOf(service, name, number));
        before.removeAll(now);
        VerifyReport.VersionCheck check = null;
        if (ctx.queryParam("verify") != null) {
            check = service.verify(name, number).versions().stream().findFirst().orElse(null);
        }
        VersionView view = new VersionView(v, new ArrayList<>(new TreeSet<>(v.metrics().keySet())),
                new ArrayList<>(new TreeSet<>(v.params().keySet())), new ArrayList<>(new TreeSet<>(v.tags().keySet())),
                now, before, LineageGraph.of(v, now), check, Fmt.version(name, number));
        Pages.render(ctx, 200, "version.jte", chrome(ctx, name + " v" + number, null), view);
    }

    // --- compare ------------------------------------------------------------------------------------------------

    public record CompareView(String model, String versionsText, Comparison comparison, List<String> metrics,
                              String metric, MetricChart chart, String chartNote) {
        public String modelUrl() {
            return Fmt.model(model);
        }
    }

    void compare(Context ctx) {
        String name = ctx.pathParam("name");
        service.getModel(name);
        List<Integer> numbers = new ArrayList<>();
        String text = trimmed(ctx.queryParam("versions"));
        if (text == null) {
            service.listVersions(name, null, null, 2, null).items().forEach(v -> numbers.add(0, v.version()));
        } else {
            for (String part : text.split("[,\\s]+")) {
                if (!part.isBlank()) {
                    numbers.add(versionNumber(part.strip().replaceFirst("^v", "")));
                }
            }
        }
        Comparison comparison = numbers.size() >= 2 ? service.compare(name, numbers) : null;
        Page<ModelVersion> recent = service.listVersions(name, null, null, CHART_MAX, null);
        Set<String> metricNames = new TreeSet<>();
        recent.items().forEach(v -> metricNames.addAll(v.metrics().keySet()));
        String metric = trimmed(ctx.queryParam("metric"));
        if (metric == null || !metricNames.contains(metric)) {
            metric = keyMetrics(metricNames, 1).stream().findFirst().orElse(null);
        }
        MetricChart chart = metric == null ? null
                : MetricChart.of(name, metric, recent.items(), History.heldProduction(service, name));
        String note = recent.nextPageToken() == null ? null
                : "This model has more than " + CHART_MAX + " versions: the chart plots the newest " + CHART_MAX + ".";
        String versionsText = String.join(",", numbers.stream().map(String::valueOf).toList());
        Pages.render(ctx, 200, "compare.jte", chrome(ctx, "Compare " + name, null),
                new CompareView(name, versionsText, comparison, new ArrayList<>(metricNames), metric, chart, note));
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private Chrome chrome(Context ctx, String title, Chrome.Flash flash) {
        return Pages.chrome(ctx, title, Authentication.actor(ctx), authOn, flash);
    }

    /** The metrics worth a column: {@code auc} first when present, then the others alphabetically. */
    static List<String> keyMetrics(Set<String> names, int max) {
        List<String> ordered = new ArrayList<>(new TreeSet<>(names));
        ordered.sort(Comparator.comparing((String m) -> !m.equals("auc")));
        return ordered.subList(0, Math.min(max, ordered.size()));
    }

    private static String holder(ModelPointers pointers, Stage stage) {
        Integer v = pointers.stages().get(stage.label());
        return v == null ? "none" : "v" + v;
    }

    private static List<String> aliases(ModelPointers pointers) {
        List<String> out = new ArrayList<>();
        new TreeMap<>(pointers.aliases()).forEach((alias, v) -> out.add("@" + alias + " → v" + v));
        return out;
    }

    static int versionNumber(String text) {
        try {
            int v = Integer.parseInt(text.strip());
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException | NullPointerException e) {
            // reported below
        }
        throw RegistryException.invalid("'" + text + "' is not a version number (1, 2, 3 ...)");
    }

    static String trimmed(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

}
