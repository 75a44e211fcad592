package dev.cairn.server.internal.auth;

import dev.cairn.core.RegistryException;
import dev.cairn.core.governance.Actor;
import dev.cairn.core.governance.Role;

/**
 * Who may call a route, checked before its handler runs. Every route declares one, so none is added without
 * deciding. Routes over the registry are {@link #AUTHENTICATED}: the services check the caller's role on each model
 * there, per-model grants included. The other levels are registry-wide roles for the calls no service checks: MLflow
 * tracking and its artifact proxy, and users.
 */
public enum Access {
    /** No authentication: liveness, readiness and the OpenAPI document. */
    PUBLIC(null),
    /** Any authenticated user; the services then check the caller's role on the model (per-model grants included). */
    AUTHENTICATED(Role.VIEWER),
    /** Reads no service checks (MLflow tracking, artifact downloads): any authenticated user, viewer being least. */
    VIEWER(Role.VIEWER),
    /** Writes no service checks (MLflow tracking, artifact uploads): editor or above across the registry. */
    EDITOR(Role.EDITOR),
    /** Hard deletes of artifact bytes, and users: admins only. */
    ADMIN(Role.ADMIN);

    private final Role least;

    Access(Role least) {
        this.least = least;
    }

    /** The least registry-wide role a caller needs; null for a public route. */
    public Role least() {
        return least;
    }

    /** Refuses with PERMISSION_DENIED a governed caller whose registry-wide role is below this level's. */
    void check(Actor actor, String call) {
        if (least != null && actor.governed() && !actor.role().includes(least)) {
            throw RegistryException.permissionDenied("user '" + actor.name() + "' is " + actor.role().label()
                    + " and may not call " + call + ": that needs the " + least.label() + " role");
        }
    }
}
