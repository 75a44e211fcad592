package dev.cairn.server.internal.mlflow.registry;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import dev.cairn.core.RegistryService;
import dev.cairn.core.governance.Actor;
import dev.cairn.core.model.ModelDetail;
import dev.cairn.core.model.ModelVersion;
import dev.cairn.core.model.NewVersion;
import dev.cairn.core.model.RegisteredModel;
import dev.cairn.core.model.Slice;
import dev.cairn.core.model.Stage;
import dev.cairn.core.model.VersionStatus;
import dev.cairn.server.internal.auth.Access;
import dev.cairn.server.internal.auth.Authentication;
import dev.cairn.server.internal.http.Route;
import dev.cairn.server.internal.mlflow.MlflowException;
import dev.cairn.server.internal.mlflow.MlflowJson;
import dev.cairn.server.internal.mlflow.MlflowRequest;
import dev.cairn.server.internal.mlflow.MlflowRoutes;
import dev.cairn.server.internal.mlflow.registry.RegistryReplies.DownloadUri;
import dev.cairn.server.internal.mlflow.registry.RegistryReplies.ModelPage;
import dev.cairn.server.internal.mlflow.registry.RegistryReplies.ModelReply;
import dev.cairn.server.internal.mlflow.registry.RegistryReplies.VersionPage;
import dev.cairn.server.internal.mlflow.registry.RegistryReplies.VersionReply;
import dev.cairn.server.internal.mlflow.registry.RegistryReplies.VersionsReply;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MLflow's model-registry RPCs (spec §3) over Cairn's registry: the same models, versions, stages, aliases and events
 * as the native API. Handlers read the request, call {@link RegistryService} and render MLflow's messages; MLflow's
 * leniencies (deleting a missing tag or alias succeeds) live here, not in the registry.
 */
public final class RegistryRoutes {
    static final int MAX_MODEL_RESULTS = 1000;
    static final int DEFAULT_MODEL_RESULTS = 100;
    static final int MAX_VERSION_RESULTS = 200_000;

    private final RegistryService registry;

    public RegistryRoutes(RegistryService registry) {
        this.registry = registry;
    }

    public List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        add(routes, HandlerType.POST, "registered-models/create", this::createModel);
        add(routes, HandlerType.GET, "registered-models/get", this::getModel);
        add(routes, HandlerType.POST, "registered-models/rename", this::renameModel);
        add(routes, HandlerType.PATCH, "registered-models/update", this::updateModel);
        add(routes, HandlerType.DELETE, "registered-models/delete", this::deleteModel);
        add(routes, HandlerType.GET, "registered-models/search", this::searchModels);
        add(routes, HandlerType.POST, "registered-models/get-latest-versions", this::latestVersions);
        add(routes, HandlerType.GET, "registered-models/get-latest-versions", this::latestVersions);
        add(routes, HandlerType.POST, "registered-models/set-tag", this::setModelTag);
        add(routes, HandlerType.DELETE, "registered-models/delete-tag", this::deleteModelTag);
        add(routes, HandlerType.POST, "registered-models/alias", this::setAlias);
        add(routes, HandlerType.DELETE, "registered-models/alias", this::deleteAlias);
        add(routes, HandlerType.GET, "registered-models/alias", this::versionByAlias);
        add(routes, HandlerType.POST, "model-versions/create", this::createVersion);
        add(routes, HandlerType.GET, "model-versions/get", this::getVersion);
        add(routes, HandlerType.PATCH, "model-versions/update", this::updateVersion);
        add(routes, HandlerType.DELETE, "model-versions/delete", this::deleteVersion);
        add(routes, HandlerType.GET, "model-versions/search", this::searchVersions);
        add(routes, HandlerType.POST, "model-versions/transition-stage", this::transition);
        add(routes, HandlerType.GET, "model-versions/get-download-uri", this::downloadUri);
        add(routes, HandlerType.POST, "model-versions/set-tag", this::setVersionTag);
        add(routes, HandlerType.DELETE, "model-versions/delete-tag", this::deleteVersionTag);
        return List.copyOf(routes);
    }

    /**
     * Mounts an RPC under both MLflow prefixes, with the registry's not-found errors in MLflow's words. Any
     * authenticated user may call it: the registry checks the caller's role on the model, as for the native API.
     */
    private static void add(List<Route> routes, HandlerType method, String path, Handler handler) {
        routes.addAll(MlflowRoutes.rpc(method, path, Access.AUTHENTICATED, ctx -> {
            try {
                handler.handle(ctx);
            } catch (RegistryException e) {
                throw RegistryErrors.reworded(e);
            }
        }));
    }

    // --- registered models --------------------------------------------------------------------------------------

    private void createModel(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        String name = request.required("name");
        Map<String, String> tags = RegistryInput.tags(request);
        String description = request.string("description", "");
        RegisteredModel model;
        try {
            model = registry.createModel(actor(ctx), name, description, tags);
        } catch (RegistryException e) {
            throw e.code() == ErrorCode.ALREADY_EXISTS ? RegistryErrors.alreadyExists(name) : e;
        }
        MlflowJson.ok(ctx, new ModelReply(RegistryReplies.model(new ModelDetail(model, List.of(), Map.of()))));
    }

    private void getModel(Context ctx) {
        replyModel(ctx, MlflowRequest.of(ctx).required("name"));
    }

    private void renameModel(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        String name = request.required("name");
        String newName = request.required("new_name");
        try {
            registry.renameModel(actor(ctx), name, newName);
        } catch (RegistryException e) {
            throw e.code() == ErrorCode.ALREADY_EXISTS ? RegistryErrors.alreadyExists(newName) : e;
        }
        replyModel(ctx, newName);
    }

    /** MLflow overwrites the description: an absent one clears it. */
    private void updateModel(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        String name = request.required("name");
        registry.updateModel(actor(ctx), name, request.string("description", ""));
        replyModel(ctx, name);
    }

    private void deleteModel(Context ctx) {
        registry.deleteModel(actor(ctx), MlflowRequest.of(ctx).required("name"));
        MlflowJson.empty(ctx);
    }

    private void searchModels(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        int limit = maxResults(request, DEFAULT_MODEL_RESULTS, MAX_MODEL_RESULTS);
        int offset = PageToken.decode(request.string("page_token"));
        Slice<ModelDetail> page = registry.searchModels(
                RegistrySearches.models(request.string("filter"), request.strings("order_by")), offset, limit);
        MlflowJson.ok(ctx, new ModelPage(page.items().stream().map(RegistryReplies::model).toList(),
                next(page, offset)));
    }

    private void latestVersions(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        String name = request.required("name");
        Set<Stage> stages = EnumSet.noneOf(Stage.class);
        request.strings("stages").forEach(s -> stages.add(RegistryInput.stage(s)));
        Set<Stage> wanted = stages.isEmpty() ? EnumSet.allOf(Stage.class) : stages;
        List<RegistryReplies.Version> versions = registry.modelDetail(name).latestVersions().stream()
                .filter(v -> wanted.contains(v.stage())).map(v -> RegistryReplies.version(v, true)).toList();
        MlflowJson.ok(ctx, new VersionsReply(versions));
    }

    private void setModelTag(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        String name = request.required("name");
        String key = RegistryInput.tagKey(request.string("key"));
        registry.setModelTag(actor(ctx), name, key, request.string("value", ""));
        MlflowJson.empty(ctx);
    }

    private void deleteModelTag(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        String name = request.required("name");
        String key = RegistryInput.tagKey(request.string("key"));
        ignoringMissing("tag", () -> registry.deleteModelTag(actor(ctx), name, key));
        MlflowJson.empty(ctx);
    }

    private void setAlias(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        String name = request.required("name");
        String alias = RegistryInput.alias(request);
        int version = RegistryInput.version(request);
        registry.setAlias(actor(ctx), name, alias, version, "");
        MlflowJson.empty(ctx);
    }

    private void deleteAlias(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        String name = request.required("name");
        String alias = RegistryInput.alias(request);
        ignoringMissing("alias", () -> registry.deleteAlias(actor(ctx), name, alias, ""));
        MlflowJson.empty(ctx);
    }

    /** MLflow answers a missing alias, and a missing model, with 400, not 404. */
    private void versionByAlias(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        String name = request.required("name");
        String alias = request.required("alias");
        ModelVersion version;
        try {
            version = registry.versionByAlias(name, alias);
        } catch (RegistryException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                throw RegistryException.invalid("Registered model alias " + alias + " not found.");
            }
            throw e;
        }
        MlflowJson.ok(ctx, new VersionReply(RegistryReplies.version(version, true)));
    }

    // --- model versions -----------------------------------------------------------------------------------------

    /** Registers the version READY in one transaction: no draft is left behind when anything fails. */
    private void createVersion(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        String name = request.required("name");
        String source = request.required("source");
        Map<String, String> tags = RegistryInput.tags(request);
        SourceCheck.check(source);
        String runId = request.string("run_id", "");
        NewVersion spec = new NewVersion(request.string("description", ""), tags, null, null, null, null, source,
                runId.isEmpty() ? null : runId, null, request.string("run_link"));
        ModelVersion version = registry.registerFromSource(actor(ctx), name, spec);
        MlflowJson.ok(ctx, new VersionReply(RegistryReplies.version(version, true)));
    }

    private void getVersion(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        MlflowJson.ok(ctx, new VersionReply(RegistryReplies.version(
                live(request.required("name"), RegistryInput.version(request)), true)));
    }

    /** MLflow overwrites the description: an absent one clears it. */
    private void updateVersion(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        String name = request.required("name");
        int number = RegistryInput.version(request);
        ModelVersion version = registry.updateVersion(actor(ctx), name, number, request.string("description", ""));
        MlflowJson.ok(ctx, new VersionReply(RegistryReplies.version(version, true)));
    }

    private void deleteVersion(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        registry.deleteVersion(actor(ctx), request.required("name"), RegistryInput.version(request));
        MlflowJson.empty(ctx);
    }

    private void searchVersions(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        int limit = maxResults(request, MAX_VERSION_RESULTS, MAX_VERSION_RESULTS);
        int offset = PageToken.decode(request.string("page_token"));
        Slice<ModelVersion> page = registry.searchVersions(
                RegistrySearches.versions(request.string("filter"), request.strings("order_by")), offset, limit);
        MlflowJson.ok(ctx, new VersionPage(page.items().stream().map(v -> RegistryReplies.version(v, false)).toList(),
                next(page, offset)));
    }

    /** {@code archive_existing_versions} absent is false; true towards None or Archived is MLflow's 500. */
    private void transition(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        String name = request.required("name");
        int number = RegistryInput.version(request);
        Stage stage = RegistryInput.stage(request.required("stage"));
        boolean archive = Boolean.TRUE.equals(request.bool("archive_existing_versions"));
        if (archive && !stage.isLive()) {
            throw new MlflowException("INTERNAL_ERROR", 500, "Model version transition cannot archive existing model "
                    + "versions because '" + stage.label() + "' is not an Active stage. Valid stages are "
                    + "['Staging', 'Production']");
        }
        ModelVersion version = registry.transition(actor(ctx), name, number, stage, "", archive);
        MlflowJson.ok(ctx, new VersionReply(RegistryReplies.version(version, true)));
    }

    private void downloadUri(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        ModelVersion version = live(request.required("name"), RegistryInput.version(request));
        String location = RegistryService.downloadLocation(version);
        MlflowJson.ok(ctx, new DownloadUri(location == null ? "" : location));
    }

    private void setVersionTag(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        String name = request.required("name");
        int number = RegistryInput.version(request);
        String key = RegistryInput.tagKey(request.string("key"));
        registry.setVersionTag(actor(ctx), name, number, key, request.string("value", ""));
        MlflowJson.empty(ctx);
    }

    private void deleteVersionTag(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        String name = request.required("name");
        int number = RegistryInput.version(request);
        String key = RegistryInput.tagKey(request.string("key"));
        ignoringMissing("tag", () -> registry.deleteVersionTag(actor(ctx), name, number, key));
        MlflowJson.empty(ctx);
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private void replyModel(Context ctx, String name) {
        MlflowJson.ok(ctx, new ModelReply(RegistryReplies.model(registry.modelDetail(name))));
    }

    /** A version MLflow can see: deleted ones are not found. */
    private ModelVersion live(String name, int number) {
        ModelVersion version = registry.getVersion(name, number);
        if (version.status() == VersionStatus.DELETED) {
            throw RegistryException.notFound(RegistryErrors.versionNotFound(name, number),
                    Map.of("resource", "version", "model", name, "version", number));
        }
        return version;
    }

    private static int maxResults(MlflowRequest request, int absent, int max) {
        Long value = request.int64("max_results");
        if (value == null) {
            return absent;
        }
        if (value < 1 || value > max) {
            throw RegistryException.invalid("Invalid value for request parameter max_results. It must be at most "
                    + max + " and at least 1, but got value " + value);
        }
        return value.intValue();
    }

    /** A token only when more rows follow: the Java client takes any token, even "", as another page. */
    private static String next(Slice<?> page, int offset) {
        return page.hasMore() ? PageToken.encode(offset + page.items().size()) : null;
    }

    private static Actor actor(Context ctx) {
        return Authentication.actor(ctx);
    }

    /** Runs a delete for which MLflow treats a missing tag or alias as a silent no-op. */
    private static void ignoringMissing(String what, Runnable delete) {
        try {
            delete.run();
        } catch (RegistryException e) {
            if (!RegistryErrors.isMissing(e, what)) {
                throw e;
            }
        }
    }
}
