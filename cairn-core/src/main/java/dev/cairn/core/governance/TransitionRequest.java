package dev.cairn.core.governance;

import dev.cairn.core.model.Pointer;
import java.time.Instant;
import java.util.List;

/**
 * A request to move a version to Production or to a protected alias, decided by approvers. {@code decidedBy},
 * {@code decidedAt} and {@code decisionComment} are null while the request is PENDING.
 */
public record TransitionRequest(
        long id,
        String model,
        int version,
        Pointer target,
        String requestedBy,
        String comment,
        RequestStatus status,
        Instant createdAt,
        List<Approval> approvals,
        String decidedBy,
        Instant decidedAt,
        String decisionComment) {

    public TransitionRequest {
        approvals = approvals == null ? List.of() : List.copyOf(approvals);
    }

    /** One approver's yes. */
    public record Approval(String approver, Instant time, String comment) {}
}
