package dev.cairn.storage.jdbc;

import dev.cairn.core.governance.RequestStatus;
import dev.cairn.core.governance.TransitionRequest;
import dev.cairn.core.model.Pointer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Transition requests and their approvals. A request is read with the current name of its model, and only while the
 * model is live, as everything else of a deleted model.
 */
final class RequestTable {
    private static final String SELECT = "SELECT r.id, m.name, r.version, r.target, r.requested_by, r.comment,"
            + " r.status, r.created_at, r.decided_by, r.decided_at, r.decision_comment"
            + " FROM transition_requests r JOIN models m ON m.id = r.model_id WHERE m.deleted_at IS NULL";

    private final Sql sql;

    RequestTable(Sql sql) {
        this.sql = sql;
    }

    long insert(long modelId, TransitionRequest request) {
        return sql.scalar("INSERT INTO transition_requests (model_id, version, target, requested_by, comment, status,"
                        + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id", modelId, request.version(),
                request.target().key(), request.requestedBy(), request.comment(), RequestStatus.PENDING,
                request.createdAt());
    }

    Optional<TransitionRequest> find(long id) {
        return withApprovals(sql.list(SELECT + " AND r.id = ?", RequestTable::request, id)).stream().findFirst();
    }

    List<TransitionRequest> list(String model, RequestStatus status, Long beforeId, int limit) {
        StringBuilder query = new StringBuilder(SELECT);
        List<Object> args = new ArrayList<>();
        if (model != null) {
            query.append(" AND m.name = ?");
            args.add(model);
        }
        if (status != null) {
            query.append(" AND r.status = ?");
            args.add(status);
        }
        if (beforeId != null) {
            query.append(" AND r.id < ?");
            args.add(beforeId);
        }
        query.append(" ORDER BY r.id DESC LIMIT ?");
        args.add(limit);
        return withApprovals(sql.list(query.toString(), RequestTable::request, args.toArray()));
    }

    void addApproval(long requestId, TransitionRequest.Approval approval) {
        sql.insertUnique("request " + requestId + " is already approved by '" + approval.approver() + "'",
                "INSERT INTO request_approvals (request_id, approver, time, comment) VALUES (?, ?, ?, ?)",
                requestId, approval.approver(), approval.time(), approval.comment());
    }

    void decide(long requestId, RequestStatus status, String decidedBy, Instant at, String comment) {
        sql.update("UPDATE transition_requests SET status = ?, decided_by = ?, decided_at = ?, decision_comment = ?"
                + " WHERE id = ? AND status = ?", status, decidedBy, at, comment, requestId, RequestStatus.PENDING);
    }

    /** The requests with their approvals, oldest first, read in one query. */
    private List<TransitionRequest> withApprovals(List<TransitionRequest> requests) {
        if (requests.isEmpty()) {
            return requests;
        }
        Map<Long, List<TransitionRequest.Approval>> approvals = new HashMap<>();
        sql.each("SELECT request_id, approver, time, comment FROM request_approvals WHERE request_id IN ("
                        + JdbcTx.placeholders(requests.size()) + ") ORDER BY request_id, time, approver",
                rs -> approvals.computeIfAbsent(rs.getLong("request_id"), id -> new ArrayList<>()).add(
                        new TransitionRequest.Approval(rs.getString("approver"), Sql.instant(rs, "time"),
                                rs.getString("comment"))),
                requests.stream().map(TransitionRequest::id).toArray());
        return requests.stream().map(r -> new TransitionRequest(r.id(), r.model(), r.version(), r.target(),
                r.requestedBy(), r.comment(), r.status(), r.createdAt(), approvals.getOrDefault(r.id(), List.of()),
                r.decidedBy(), r.decidedAt(), r.decisionComment())).toList();
    }

    private static TransitionRequest request(ResultSet rs) throws SQLException {
        return new TransitionRequest(rs.getLong("id"), rs.getString("name"), rs.getInt("version"),
                Pointer.fromKey(rs.getString("target")), rs.getString("requested_by"), rs.getString("comment"),
                RequestStatus.valueOf(rs.getString("status")), Sql.instant(rs, "created_at"), List.of(),
                rs.getString("decided_by"), Sql.instant(rs, "decided_at"), rs.getString("decision_comment"));
    }
}
