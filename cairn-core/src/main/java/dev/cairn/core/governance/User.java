package dev.cairn.core.governance;

import java.time.Instant;

/** A stored user: a unique name and a role across the registry (per-model grants may differ). */
public record User(long id, String name, Role role, Instant createdAt, String createdBy) {}
