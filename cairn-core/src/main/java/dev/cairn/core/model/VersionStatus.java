package dev.cairn.core.model;

/** The life of a version: a draft becomes READY (immutable) or FAILED_REGISTRATION. */
public enum VersionStatus {
    PENDING_REGISTRATION,
    READY,
    FAILED_REGISTRATION,
    ARTIFACTS_PURGED,
    DELETED
}
