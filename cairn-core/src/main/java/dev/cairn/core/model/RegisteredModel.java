package dev.cairn.core.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A registered model. {@code lastVersion} is the highest version number ever allocated (0 when none);
 * {@code generation} grows with every change to the model or its versions, so it makes a cheap change detector.
 */
public record RegisteredModel(
        long id,
        String name,
        String description,
        Map<String, String> tags,
        String owner,
        Instant createdAt,
        Instant updatedAt,
        int lastVersion,
        long generation) {

    public RegisteredModel {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }
}
