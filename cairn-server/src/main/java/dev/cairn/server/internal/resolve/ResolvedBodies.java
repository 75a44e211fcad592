package dev.cairn.server.internal.resolve;

import dev.cairn.core.resolve.Resolution;
import dev.cairn.server.internal.http.JsonReply;
import dev.cairn.server.internal.http.Wire;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serialized answers of the resolve endpoint by ETag. The ETag names the model, its generation and the version, and
 * every change to a model bumps its generation, so one ETag always stands for the same body: serving readers of a
 * live version costs a map lookup instead of a mapping and a serialization per request.
 */
final class ResolvedBodies {
    private static final int MAX_ENTRIES = 10_000;

    private final ConcurrentHashMap<String, byte[]> bodies = new ConcurrentHashMap<>();

    byte[] get(Resolution resolution) {
        byte[] body = bodies.get(resolution.etag());
        if (body != null) {
            return body;
        }
        if (bodies.size() >= MAX_ENTRIES) {
            bodies.clear(); // bounded without bookkeeping; live entries come back on their next request
        }
        body = JsonReply.serialize(Wire.version(resolution.version()));
        bodies.put(resolution.etag(), body);
        return body;
    }
}
