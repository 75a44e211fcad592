package dev.cairn.core.governance;

import dev.cairn.core.RegistryException;
import java.util.Locale;

/** What a user may do, each role including everything of the ones before it. */
public enum Role {
    /** Read everything and download files. */
    VIEWER,
    /** Create models and versions; edit tags and descriptions; move Staging and unprotected aliases; request Production. */
    EDITOR,
    /** Approve or reject requests; move Production and protected aliases; roll back. */
    APPROVER,
    /** Users, tokens, grants, policies and deletions. */
    ADMIN;

    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    /** The lower-case name the API and CLI use. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String text) {
        if (text != null) {
            for (Role role : values()) {
                if (role.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
                    return role;
                }
            }
        }
        throw RegistryException.invalid("unknown role '" + text + "': expected one of viewer, editor, approver, admin");
    }
}
