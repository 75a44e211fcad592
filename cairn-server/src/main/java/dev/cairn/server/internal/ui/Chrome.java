package dev.cairn.server.internal.ui;

import java.util.List;

/**
 * What every page shows around its content: the title, who is signed in (and as what), whether signing out makes
 * sense, and the flash message of the last action, if any.
 */
public record Chrome(String title, String user, String role, boolean signedIn, Flash flash) {
    /** A message after an action: {@code error} for a refusal, with the failed checks when a policy refused. */
    public record Flash(String message, boolean error, List<String> details) {
        public Flash {
            details = details == null ? List.of() : List.copyOf(details);
        }

        public static Flash ok(String message) {
            return new Flash(message, false, List.of());
        }
    }
}
