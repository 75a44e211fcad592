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
    ROLLBACK;

    /** Kinds that move a stage or an alias: the model's history of what served. */
    public boolean movesPointer() {
        return this == STAGE_TRANSITION || this == ALIAS_SET || this == ALIAS_DELETED || this == ROLLBACK;
    }
}
