package dev.cairn.server.internal.mlflow.artifacts;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cairn.core.tracking.Artifact;
import dev.cairn.core.tracking.ArtifactEntry;
import dev.cairn.core.tracking.TrackingService;
import dev.cairn.server.internal.auth.Access;
import dev.cairn.server.internal.http.Route;
import dev.cairn.server.internal.mlflow.MlflowException;
import dev.cairn.server.internal.mlflow.MlflowJson;
import dev.cairn.server.internal.http.StreamCopy;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLConnection;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * MLflow's proxied-artifact endpoints (spec §6), stored in Cairn's blob store: uploads stream from the request into
 * the blob store and downloads from the blob store into the response, so no file is held in memory; an index maps
 * each path to its blob.
 */
public final class ArtifactRoutes {
    private static final List<String> PREFIXES = List.of("/api/2.0/mlflow-artifacts/", "/ajax-api/2.0/mlflow-artifacts/");
    /** Large enough that copying is bound by the socket, not by per-write overhead. */
    private static final Pattern PLAIN_FILENAME = Pattern.compile("[A-Za-z0-9._+\\-]+");

    record FileInfo(String path, @JsonInclude(JsonInclude.Include.ALWAYS) boolean isDir, Long fileSize) {}

    record Listing(List<FileInfo> files) {}

    private final TrackingService tracking;

    public ArtifactRoutes(TrackingService tracking) {
        this.tracking = tracking;
    }

    public List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        for (String prefix : PREFIXES) {
            routes.add(Route.get(prefix + "artifacts", Access.VIEWER, this::list));
            routes.add(Route.get(prefix + "artifacts/<path>", Access.VIEWER, this::download));
            routes.add(Route.put(prefix + "artifacts/<path>", Access.EDITOR, this::upload));
            // Deletes the bytes themselves, beyond any soft delete of a run: admins only.
            routes.add(Route.delete(prefix + "artifacts/<path>", Access.ADMIN, this::delete));
            for (String action : List.of("create", "complete", "abort")) {
                routes.add(Route.post(prefix + "mpu/" + action + "/<path>", Access.EDITOR, ArtifactRoutes::multipart));
            }
        }
        return routes;
    }

    private void list(Context ctx) {
        List<ArtifactEntry> children = tracking.listArtifacts(ctx.queryParam("path"));
        MlflowJson.ok(ctx, new Listing(children.stream()
                .map(c -> new FileInfo(c.name(), c.directory(), c.directory() ? null : c.size())).toList()));
    }

    private void upload(Context ctx) {
        // The raw body, whatever its content type; Javalin's request size limit applies to buffered bodies only.
        tracking.uploadArtifact(ctx.pathParam("path"), ctx.bodyInputStream());
        MlflowJson.empty(ctx);
    }

    private void download(Context ctx) throws IOException {
        Artifact artifact = tracking.artifact(ctx.pathParam("path"));
        String name = artifact.path().substring(artifact.path().lastIndexOf('/') + 1);
        HttpServletResponse res = ctx.res();
        res.setStatus(200);
        String type = URLConnection.guessContentTypeFromName(name);
        // Javalin's default JSON content type left a charset on the response, which does not belong on bytes.
        res.setCharacterEncoding(null);
        res.setContentType(type == null ? "application/octet-stream" : type);
        res.setHeader("Content-Disposition", disposition(name));
        res.setHeader("X-Content-Type-Options", "nosniff");
        res.setContentLengthLong(artifact.size());
        if (artifact.size() == 0) {
            return;
        }
        // Written to the servlet stream directly: Javalin's result stream would add a small-buffer copy.
        try (InputStream in = tracking.openArtifact(artifact)) {
            StreamCopy.copy(in, res.getOutputStream(), artifact.size());
        }
    }

    private void delete(Context ctx) {
        tracking.deleteArtifacts(ctx.pathParam("path"));
        MlflowJson.empty(ctx);
    }

    private static void multipart(Context ctx) {
        throw new MlflowException("NOT_IMPLEMENTED", 501,
                "Multipart upload is not supported for the current artifact repository");
    }

    /** {@code attachment; filename=x} as MLflow sends it, with the RFC 6266 form for names that need encoding. */
    static String disposition(String name) {
        if (PLAIN_FILENAME.matcher(name).matches()) {
            return "attachment; filename=" + name;
        }
        return "attachment; filename*=UTF-8''" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
