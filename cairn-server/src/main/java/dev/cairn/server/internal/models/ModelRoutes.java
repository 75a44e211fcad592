package dev.cairn.server.internal.models;

import dev.cairn.api.ApiModels;
import dev.cairn.core.RegistryException;
import dev.cairn.core.RegistryService;
import dev.cairn.core.model.ModelSummary;
import dev.cairn.core.model.Page;
import dev.cairn.core.model.RegisteredModel;
import dev.cairn.server.internal.auth.Access;
import dev.cairn.server.internal.http.ApiRequest;
import dev.cairn.server.internal.http.JsonReply;
import dev.cairn.server.internal.http.Route;
import dev.cairn.server.internal.http.Wire;
import io.javalin.http.Context;
import java.util.List;

/** Registered models: list, create, read, describe, tag, delete. */
public final class ModelRoutes {
    private static final String MODELS = "/api/v1/models";
    private static final String MODEL = MODELS + "/{name}";

    private final RegistryService service;

    public ModelRoutes(RegistryService service) {
        this.service = service;
    }

    public List<Route> routes() {
        return List.of(
                Route.get(MODELS, Access.AUTHENTICATED, this::list),
                Route.post(MODELS, Access.AUTHENTICATED, this::create),
                Route.get(MODEL, Access.AUTHENTICATED, this::get),
                Route.patch(MODEL, Access.AUTHENTICATED, this::update),
                Route.delete(MODEL, Access.AUTHENTICATED, this::delete),
                Route.put(MODEL + "/tags/{key}", Access.AUTHENTICATED, this::setTag),
                Route.delete(MODEL + "/tags/{key}", Access.AUTHENTICATED, this::deleteTag));
    }

    private void list(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        Page<ModelSummary> page = service.listModels(request.query("q"), request.limit(), request.pageToken());
        List<ApiModels.Model> models = page.items().stream().map(m -> Wire.model(m.model(), m.pointers())).toList();
        JsonReply.ok(ctx, new ApiModels.ModelList(models, page.nextPageToken()));
    }

    private void create(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        ApiModels.CreateModel body = request.body(ApiModels.CreateModel.class);
        RegisteredModel model = service.createModel(request.actor(), body.name(), body.description(), body.tags());
        JsonReply.created(ctx, withPointers(model));
    }

    private void get(Context ctx) {
        JsonReply.ok(ctx, withPointers(service.getModel(ApiRequest.of(ctx).model())));
    }

    private void update(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        ApiModels.UpdateModel body = request.body(ApiModels.UpdateModel.class);
        if (body.description() == null) {
            throw RegistryException.invalid("nothing to update: the body names no description");
        }
        JsonReply.ok(ctx, withPointers(service.updateModel(request.actor(), request.model(), body.description())));
    }

    private void delete(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        service.deleteModel(request.actor(), request.model());
        JsonReply.noContent(ctx);
    }

    private void setTag(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        ApiModels.TagValue body = request.body(ApiModels.TagValue.class);
        JsonReply.ok(ctx, withPointers(service.setModelTag(request.actor(), request.model(), request.path("key"), body.value())));
    }

    private void deleteTag(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        JsonReply.ok(ctx, withPointers(service.deleteModelTag(request.actor(), request.model(), request.path("key"))));
    }

    private ApiModels.Model withPointers(RegisteredModel model) {
        return Wire.model(model, service.pointers(model.name()));
    }
}
