package dev.cairn.server.internal.ui;

import dev.cairn.core.GovernanceService;
import dev.cairn.core.governance.Actor;
import dev.cairn.core.governance.Grant;
import dev.cairn.core.governance.Role;

/**
 * Which action forms a caller sees on one model: from their role there (a grant on the model, else their
 * registry-wide role; everything with authentication off). Only what to show: the services decide, and refuse anyway.
 */
public record Can(boolean edit, boolean promote) {
    static Can on(GovernanceService governance, Actor actor, String model) {
        if (!actor.governed()) {
            return new Can(true, true);
        }
        Role role = governance.grants(model).stream().filter(g -> g.user().equals(actor.name())).map(Grant::role)
                .findFirst().orElse(actor.role());
        return new Can(role.includes(Role.EDITOR), role.includes(Role.APPROVER));
    }

    /** Whether any action form shows. */
    public boolean any() {
        return edit || promote;
    }
}
