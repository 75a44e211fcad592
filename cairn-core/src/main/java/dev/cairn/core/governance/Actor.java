package dev.cairn.core.governance;

import dev.cairn.core.model.Validate;
import java.util.Objects;

/**
 * Who asks for a change. {@code governed} is true when the server authenticates its callers: then roles, per-model
 * grants and approvals apply. An ungoverned actor is the single local user of a server without authentication: it may
 * do everything, approvals mean nothing, and promotion policies still apply.
 */
public record Actor(String name, Role role, boolean governed) {
    /** The name recorded for a caller of a server without authentication that gave no name. */
    public static final String ANONYMOUS = "anonymous";

    public Actor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
    }

    /** The local user of a server without authentication, recorded on events under {@code name}. */
    public static Actor local(String name) {
        return new Actor(name == null || name.isBlank() ? ANONYMOUS : Validate.text("user", name.strip()), Role.ADMIN, false);
    }

    /** An authenticated user with a role. */
    public static Actor user(String name, Role role) {
        return new Actor(name, role, true);
    }
}
