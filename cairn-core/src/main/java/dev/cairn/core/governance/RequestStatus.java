package dev.cairn.core.governance;

/** Where a transition request stands. Only PENDING requests can be approved, rejected or cancelled. */
public enum RequestStatus {
    PENDING,
    /** Approved by enough approvers; the transition was made in the same transaction as the last approval. */
    APPROVED,
    REJECTED,
    /** Withdrawn by the requester. */
    CANCELLED
}
