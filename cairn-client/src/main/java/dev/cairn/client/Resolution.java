package dev.cairn.client;

import dev.cairn.api.ApiModels.Version;

/**
 * The version a reference selects now, and the ETag to pass to {@link CairnClient#watch} to learn when that answer
 * changes.
 */
public record Resolution(Version version, String etag) {}
