package dev.cairn.server.internal.files;

import dev.cairn.api.ApiModels;
import dev.cairn.core.RegistryService;
import dev.cairn.core.model.FileEntry;
import dev.cairn.server.internal.http.ApiErrors;
import dev.cairn.server.internal.auth.Access;
import dev.cairn.server.internal.http.ApiRequest;
import dev.cairn.server.internal.http.IfNoneMatch;
import dev.cairn.server.internal.http.JsonReply;
import dev.cairn.server.internal.http.Route;
import dev.cairn.server.internal.http.Wire;
import dev.cairn.server.internal.http.StreamCopy;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * File contents: uploads stream from the request into the blob store, downloads stream from the blob store into the
 * response; neither holds a file in memory. Downloads answer conditional and single-range requests.
 */
public final class FileRoutes {
    public static final String SHA256_HEADER = "X-Content-Sha256";
    private static final String FILES = "/api/v1/models/{name}/versions/{version}/files";
    /** Large enough that copying a cached file is bound by the socket, not by per-write overhead. */

    private static final Pattern UPLOAD_WITHOUT_PATH = Pattern.compile("/api/v1/models/[^/]+/versions/[^/]+/files/*");

    private final RegistryService service;

    public FileRoutes(RegistryService service) {
        this.service = service;
    }

    public List<Route> routes() {
        return List.of(
                Route.get(FILES, Access.AUTHENTICATED, this::list),
                Route.put(FILES + "/<path>", Access.AUTHENTICATED, this::upload),
                Route.get(FILES + "/<path>", Access.AUTHENTICATED, this::download));
    }

    /**
     * Whether a request that matched no route is an upload with an empty file path ({@code PUT .../files/}), which
     * deserves "the path is empty" rather than "no such endpoint".
     */
    public static boolean isUploadWithoutPath(Context ctx) {
        return ctx.method() == HandlerType.PUT && UPLOAD_WITHOUT_PATH.matcher(ctx.path()).matches();
    }

    private void list(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        List<ApiModels.FileInfo> files = service.getVersion(request.model(), request.version())
                .manifest().files().stream().map(Wire::file).toList();
        JsonReply.ok(ctx, Map.of("files", files));
    }

    private void upload(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        Optional<String> declared = Optional.ofNullable(ctx.header(SHA256_HEADER)).map(String::trim);
        FileEntry file = service.addFile(request.actor(), request.model(), request.version(), request.path("path"),
                ctx.bodyInputStream(), declared);
        JsonReply.created(ctx, Wire.file(file));
    }

    private void download(Context ctx) throws IOException {
        ApiRequest request = ApiRequest.of(ctx);
        FileEntry file = service.file(request.model(), request.version(), request.path("path"));
        String etag = "\"" + file.sha256() + "\"";
        HttpServletResponse res = ctx.res();
        res.setHeader("ETag", etag);
        res.setHeader("Accept-Ranges", "bytes");
        if (IfNoneMatch.matches(ctx.header("If-None-Match"), etag)) {
            res.setStatus(304);
            return;
        }
        Optional<ByteRange> range = ByteRange.parse(ctx.header("Range"), file.size());
        if (range.isPresent() && range.get() == ByteRange.UNSATISFIABLE) {
            res.setHeader("Content-Range", "bytes */" + file.size());
            JsonReply.bytes(ctx, 416, ApiErrors.body(416, "range '" + ctx.header("Range") + "' is outside the file's "
                    + file.size() + " bytes"));
            return;
        }
        long offset = range.map(ByteRange::start).orElse(0L);
        long length = range.map(ByteRange::length).orElse(file.size());
        res.setStatus(range.isPresent() ? 206 : 200);
        range.ifPresent(r -> res.setHeader("Content-Range", "bytes " + r.start() + "-" + r.end() + "/" + file.size()));
        res.setContentType("application/octet-stream");
        res.setContentLengthLong(length);
        if (length == 0) {
            return;
        }
        // Written to the servlet stream directly: Javalin's result stream would add a small-buffer copy and compression.
        try (InputStream in = service.openFile(file, offset, length)) {
            StreamCopy.copy(in, res.getOutputStream(), length);
        }
    }
}
