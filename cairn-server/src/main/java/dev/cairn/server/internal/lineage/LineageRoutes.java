package dev.cairn.server.internal.lineage;

import dev.cairn.api.ApiModels;
import dev.cairn.core.RegistryException;
import dev.cairn.core.RegistryService;
import dev.cairn.core.model.Page;
import dev.cairn.core.model.ModelVersion;
import dev.cairn.server.internal.auth.Access;
import dev.cairn.server.internal.http.ApiRequest;
import dev.cairn.server.internal.http.JsonReply;
import dev.cairn.server.internal.http.Route;
import dev.cairn.server.internal.http.Wire;
import io.javalin.http.Context;
import java.util.List;

/** Reverse lineage: which versions were trained on a dataset, from a commit, or derived from a version. */
public final class LineageRoutes {
    private final RegistryService service;

    public LineageRoutes(RegistryService service) {
        this.service = service;
    }

    public List<Route> routes() {
        return List.of(Route.get("/api/v1/lineage", Access.AUTHENTICATED, this::query));
    }

    private void query(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        String dataset = request.query("dataset");
        String commit = request.query("commit");
        String parent = request.query("parent");
        int given = (dataset != null ? 1 : 0) + (commit != null ? 1 : 0) + (parent != null ? 1 : 0);
        if (given != 1) {
            throw RegistryException.invalid("give exactly one of dataset=URI_NAME_OR_DIGEST, commit=SHA and "
                    + "parent=NAME:VERSION");
        }
        Page<ModelVersion> page;
        if (dataset != null) {
            page = service.versionsUsingDataset(dataset, request.limit(), request.pageToken());
        } else if (commit != null) {
            page = service.versionsFromCommit(commit, request.limit(), request.pageToken());
        } else {
            int colon = parent.lastIndexOf(':');
            if (colon <= 0) {
                throw RegistryException.invalid("parent '" + parent + "' must be NAME:VERSION");
            }
            int version = ApiRequest.versionNumber("parent version", parent.substring(colon + 1));
            page = service.versionsDerivedFrom(parent.substring(0, colon), version, request.limit(), request.pageToken());
        }
        List<ApiModels.Version> versions = page.items().stream()
                .map(Wire::version).toList();
        JsonReply.ok(ctx, new ApiModels.VersionList(versions, page.nextPageToken()));
    }
}
