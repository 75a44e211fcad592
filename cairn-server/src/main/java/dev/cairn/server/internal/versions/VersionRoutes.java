package dev.cairn.server.internal.versions;

import dev.cairn.api.ApiModels;
import dev.cairn.core.RegistryException;
import dev.cairn.core.RegistryService;
import dev.cairn.core.model.ModelVersion;
import dev.cairn.core.model.Page;
import dev.cairn.core.model.Stage;
import dev.cairn.core.model.VersionStatus;
import dev.cairn.server.internal.auth.Access;
import dev.cairn.server.internal.http.ApiRequest;
import dev.cairn.server.internal.http.JsonReply;
import dev.cairn.server.internal.http.Route;
import dev.cairn.server.internal.http.Wire;
import io.javalin.http.Context;
import java.util.List;

/** Versions of a model: drafts, commit, description and tags, stage transitions, deletion and comparison. */
public final class VersionRoutes {
    private static final String MODEL = "/api/v1/models/{name}";
    private static final String VERSIONS = MODEL + "/versions";
    private static final String VERSION = VERSIONS + "/{version}";

    private final RegistryService service;

    public VersionRoutes(RegistryService service) {
        this.service = service;
    }

    public List<Route> routes() {
        return List.of(
                Route.get(VERSIONS, Access.AUTHENTICATED, this::list),
                Route.post(VERSIONS, Access.AUTHENTICATED, this::create),
                Route.get(VERSION, Access.AUTHENTICATED, this::get),
                Route.patch(VERSION, Access.AUTHENTICATED, this::update),
                Route.delete(VERSION, Access.AUTHENTICATED, this::delete),
                Route.put(VERSION + "/tags/{key}", Access.AUTHENTICATED, this::setTag),
                Route.delete(VERSION + "/tags/{key}", Access.AUTHENTICATED, this::deleteTag),
                Route.post(VERSION + "/commit", Access.AUTHENTICATED, this::commit),
                Route.post(VERSION + "/stage", Access.AUTHENTICATED, this::transition),
                Route.get(MODEL + "/compare", Access.AUTHENTICATED, this::compare));
    }

    private void list(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        VersionStatus status = request.enumQuery("status", VersionStatus.class);
        String stageText = request.query("stage");
        Stage stage = stageText == null || stageText.isEmpty() ? null : Stage.parse(stageText);
        Page<ModelVersion> page = service.listVersions(request.model(), status, stage, request.limit(), request.pageToken());
        JsonReply.ok(ctx, new ApiModels.VersionList(page.items().stream().map(Wire::version).toList(), page.nextPageToken()));
    }

    private void create(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        ApiModels.CreateVersion body = request.optionalBody(ApiModels.CreateVersion.class);
        ApiModels.CreateVersion spec = body != null ? body
                : new ApiModels.CreateVersion(null, null, null, null, null, null, null, null, null, null);
        ModelVersion draft = service.createVersion(request.actor(), request.model(), Wire.newVersion(spec),
                Boolean.TRUE.equals(spec.createModel()));
        JsonReply.created(ctx, Wire.version(draft));
    }

    private void get(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        JsonReply.ok(ctx, Wire.version(service.getVersion(request.model(), request.version())));
    }

    private void update(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        ApiModels.UpdateVersion body = request.body(ApiModels.UpdateVersion.class);
        if (body.description() == null) {
            throw RegistryException.invalid("nothing to update: the body names no description");
        }
        JsonReply.ok(ctx, Wire.version(service.updateVersion(request.actor(), request.model(), request.version(),
                body.description())));
    }

    private void delete(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        JsonReply.ok(ctx, Wire.version(service.deleteVersion(request.actor(), request.model(), request.version())));
    }

    private void setTag(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        ApiModels.TagValue body = request.body(ApiModels.TagValue.class);
        JsonReply.ok(ctx, Wire.version(service.setVersionTag(request.actor(), request.model(), request.version(),
                request.path("key"), body.value())));
    }

    private void deleteTag(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        JsonReply.ok(ctx, Wire.version(service.deleteVersionTag(request.actor(), request.model(), request.version(),
                request.path("key"))));
    }

    private void commit(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        JsonReply.ok(ctx, Wire.version(service.commit(request.actor(), request.model(), request.version())));
    }

    private void transition(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        ApiModels.Transition body = request.body(ApiModels.Transition.class);
        if (body.stage() == null) {
            throw RegistryException.invalid("stage is required: one of None, Staging, Production, Archived");
        }
        Stage stage = Stage.parse(body.stage());
        boolean archiveExisting = body.archiveExisting() == null || body.archiveExisting();
        JsonReply.ok(ctx, Wire.version(service.transition(request.actor(), request.model(), request.version(), stage,
                body.comment(), archiveExisting)));
    }

    private void compare(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        List<Integer> versions = request.queries("versions").stream()
                .map(v -> ApiRequest.versionNumber("version", v)).toList();
        JsonReply.ok(ctx, Wire.comparison(service.compare(request.model(), versions)));
    }
}
