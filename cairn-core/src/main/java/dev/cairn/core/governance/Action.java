package dev.cairn.core.governance;

import dev.cairn.core.RegistryException;

/** What a request does, and the least role that may do it. */
public enum Action {
    READ(Role.VIEWER, "read"),
    /** Create models and versions, edit tags and descriptions, move Staging and unprotected aliases. */
    EDIT(Role.EDITOR, "change"),
    REQUEST(Role.EDITOR, "request a promotion of"),
    /** Move Production or a protected alias, roll back, approve or reject requests. */
    PROMOTE(Role.APPROVER, "move Production or protected aliases of"),
    /** Users, tokens, grants, policies and deletions. */
    ADMINISTER(Role.ADMIN, "administer");

    private final Role least;
    private final String verb;

    Action(Role least, String verb) {
        this.least = least;
        this.verb = verb;
    }

    public Role least() {
        return least;
    }

    /**
     * Refuses with PERMISSION_DENIED unless {@code role}, the actor's role where it acts ({@code where}: "model 'x'"
     * or "the registry"), includes this action's least role. Ungoverned actors may do everything.
     */
    public void check(Actor actor, Role role, String where) {
        if (actor.governed() && !role.includes(least)) {
            throw RegistryException.permissionDenied("user '" + actor.name() + "' is " + role.label() + " on " + where
                    + " and may not " + verb + " it: that needs the " + least.label() + " role");
        }
    }
}
