package dev.cairn.core.resolve;

import dev.cairn.core.model.ModelVersion;

/**
 * The version a reference selects now, and an ETag that changes whenever anything about the model changes (stages,
 * aliases, new versions), so callers can poll with If-None-Match or wait for the next change.
 */
public record Resolution(Reference reference, ModelVersion version, String etag) {}
