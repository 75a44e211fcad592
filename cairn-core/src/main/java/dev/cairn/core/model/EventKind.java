package dev.cairn.core.model;

/** What an audit event records. */
public enum EventKind {
    MODEL_CREATED,
    MODEL_UPDATED,
    MODEL_TAG_SET,
    MODEL_TAG_DELETED,
    MODEL_DELETED,
    /** Payload {@code from} and {@code to}; recorded under the new name, earlier events keep the old one. */
    MODEL_RENAMED,
    VERSION_CREATED,
    FILE_ADDED,
    VERSION_COMMITTED,
    VERSION_UPDATED,
    VERSION_TAG_SET,
    VERSION_TAG_DELETED,
    VERSION_DELETED,
    STAGE_TRANSITION,
    ALIAS_SET,
    ALIAS_DELETED,
    ROLLBACK,
    // --- governance: model-level ones name the model, the others (users, tokens, default policy) name none
    USER_CREATED,
    /** Payload {@code user}, {@code from}, {@code to}: a changed registry-wide role. */
    USER_ROLE_SET,
    /** Payload {@code user}, {@code token_id}, {@code expires_at}; never the secret. */
    TOKEN_CREATED,
    TOKEN_REVOKED,
    /** Payload {@code user}, {@code role}: a per-model grant. */
    GRANT_SET,
    GRANT_DELETED,
    /** Payload {@code policy} (its text); for the default policy the event names no model. */
    POLICY_SET,
    POLICY_DELETED,
    /** Payload {@code request}, {@code target}, {@code comment}. */
    REQUEST_CREATED,
    /** One approver's approval; the transition it completes, if any, is its own event in the same transaction. */
    REQUEST_APPROVED,
    REQUEST_REJECTED,
    REQUEST_CANCELLED,
    /** A promotion refused by policy: payload {@code target} and {@code failed} (the failed checks). */
    PROMOTION_BLOCKED;

    /** Kinds that move a stage or an alias: the model's history of what served. */
    public boolean movesPointer() {
        return this == STAGE_TRANSITION || this == ALIAS_SET || this == ALIAS_DELETED || this == ROLLBACK;
    }
}
