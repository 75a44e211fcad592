package dev.cairn.server.internal.health;

import java.util.Optional;

/** One dependency /readyz asks: why it cannot serve now, or empty when it can. */
@FunctionalInterface
public interface ReadinessCheck {
    Optional<String> problem();
}
