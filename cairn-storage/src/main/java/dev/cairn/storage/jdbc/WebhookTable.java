package dev.cairn.storage.jdbc;

import dev.cairn.core.model.EventKind;
import dev.cairn.core.webhook.Delivery;
import dev.cairn.core.webhook.DeliveryAttempt;
import dev.cairn.core.webhook.DeliveryStatus;
import dev.cairn.core.webhook.Webhook;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Webhooks, their deliveries (the outbox) with every attempt, and the fan-out cursor. A webhook is read with its
 * model's current name; its topics are stored as a comma-separated list of event kinds.
 */
final class WebhookTable {
    private static final String WEBHOOK = "SELECT w.id, w.url, m.name, w.topics, w.secret, w.description, w.created_by,"
            + " w.created_at, w.after_seq FROM webhooks w LEFT JOIN models m ON m.id = w.model_id";
    private static final String DELIVERY = "SELECT d.seq, d.id, d.webhook_id, d.event_seq, d.topic, d.status,"
            + " d.attempts, d.created_at, d.next_attempt_at, d.delivered_at, d.last_status_code, d.last_error"
            + " FROM webhook_deliveries d";

    private final Sql sql;
    private final Dialect dialect;

    /** A delivery and its row number, which orders a webhook's deliveries and keys their attempts. */
    private record Row(long seq, Delivery delivery) {}

    WebhookTable(Sql sql, Dialect dialect) {
        this.sql = sql;
        this.dialect = dialect;
    }

    long insert(Long modelId, Webhook webhook) {
        return sql.scalar("INSERT INTO webhooks (url, model_id, topics, secret, description, created_by, created_at,"
                        + " after_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", webhook.url(), modelId,
                String.join(",", webhook.topics().stream().map(EventKind::name).toList()), webhook.secret(),
                webhook.description(), webhook.createdBy(), webhook.createdAt(), webhook.afterSeq());
    }

    Optional<Webhook> find(long id) {
        return sql.one(WEBHOOK + " WHERE w.id = ?", WebhookTable::webhook, id);
    }

    List<Webhook> list() {
        return sql.list(WEBHOOK + " ORDER BY w.id", WebhookTable::webhook);
    }

    void setSecret(long id, String secret) {
        sql.update("UPDATE webhooks SET secret = ? WHERE id = ?", secret, id);
    }

    void setStart(long id, long afterSeq) {
        sql.update("UPDATE webhooks SET after_seq = ? WHERE id = ?", afterSeq, id);
    }

    boolean delete(long id) {
        sql.update("DELETE FROM webhook_attempts WHERE delivery_seq IN"
                + " (SELECT seq FROM webhook_deliveries WHERE webhook_id = ?)", id);
        sql.update("DELETE FROM webhook_deliveries WHERE webhook_id = ?", id);
        return sql.update("DELETE FROM webhooks WHERE id = ?", id) > 0;
    }

    long holdEventOrder() {
        // Under the event-order lock no event commits before this transaction does: a webhook created with this
        // number as its start misses none of the events after it.
        dialect.lockEventOrder(sql);
        return sql.scalar("SELECT COALESCE(MAX(seq), 0) FROM events");
    }

    long lockCursor() {
        return sql.scalar("SELECT last_seq FROM webhook_cursor WHERE id = 1" + dialect.lockClause());
    }

    void setCursor(long seq) {
        sql.update("UPDATE webhook_cursor SET last_seq = ? WHERE id = 1", seq);
    }

    void insertDelivery(Delivery d) {
        sql.insertUnique("delivery '" + d.id() + "' already exists",
                "INSERT INTO webhook_deliveries (id, webhook_id, event_seq, topic, status, attempts, created_at,"
                        + " next_attempt_at, delivered_at, last_status_code, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
                        + " ?, ?, ?)", d.id(), d.webhookId(), d.eventSeq(), d.topic(), d.status(), d.attempts(),
                d.createdAt(), d.nextAttemptAt(), d.deliveredAt(), d.lastStatusCode(), d.lastError());
    }

    Optional<Delivery> findDelivery(long webhookId, String id) {
        return withAttempts(sql.list(DELIVERY + " WHERE d.webhook_id = ? AND d.id = ?", WebhookTable::row, webhookId, id))
                .stream().findFirst();
    }

    List<Delivery> listDeliveries(long webhookId, DeliveryStatus status, String beforeId, int limit) {
        StringBuilder query = new StringBuilder(DELIVERY + " WHERE d.webhook_id = ?");
        List<Object> args = new ArrayList<>(List.of(webhookId));
        if (status != null) {
            query.append(" AND d.status = ?");
            args.add(status);
        }
        if (beforeId != null) {
            query.append(" AND d.seq < (SELECT b.seq FROM webhook_deliveries b WHERE b.id = ? AND b.webhook_id = ?)");
            args.add(beforeId);
            args.add(webhookId);
        }
        query.append(" ORDER BY d.seq DESC LIMIT ?");
        args.add(limit);
        return withAttempts(sql.list(query.toString(), WebhookTable::row, args.toArray()));
    }

    List<Delivery> due(Long webhookId, Instant now, int limit) {
        // Each webhook's oldest pending delivery, one index probe per webhook: a dead receiver's backlog of pending
        // deliveries is never walked. The literal status lets the planner use the (webhook, status, seq) index.
        StringBuilder heads = new StringBuilder("SELECT (SELECT MIN(h.seq) FROM webhook_deliveries h"
                + " WHERE h.webhook_id = w.id AND h.status = 'PENDING') FROM webhooks w");
        List<Object> args = new ArrayList<>();
        if (webhookId != null) {
            heads.append(" WHERE w.id = ?");
            args.add(webhookId);
        }
        String query = DELIVERY + " WHERE d.seq IN (" + heads + ") AND d.next_attempt_at <= ?"
                + " AND (d.leased_until IS NULL OR d.leased_until < ?) ORDER BY d.next_attempt_at, d.seq LIMIT ?";
        args.add(now);
        args.add(now);
        args.add(limit);
        return sql.list(query, rs -> row(rs).delivery(), args.toArray());
    }

    boolean lease(String id, Instant now, Instant until) {
        return sql.update("UPDATE webhook_deliveries SET leased_until = ? WHERE id = ? AND status = 'PENDING'"
                + " AND next_attempt_at <= ? AND (leased_until IS NULL OR leased_until < ?)", until, id, now, now) == 1;
    }

    void recordAttempt(String id, DeliveryAttempt attempt, DeliveryStatus status, Instant nextAttemptAt) {
        sql.update("INSERT INTO webhook_attempts (delivery_seq, attempt, time, status_code, error, duration_ms)"
                        + " SELECT seq, ?, ?, ?, ?, ? FROM webhook_deliveries WHERE id = ?", attempt.attempt(),
                attempt.time(), attempt.statusCode(), attempt.error(), attempt.durationMillis(), id);
        sql.update("UPDATE webhook_deliveries SET attempts = ?, status = ?, next_attempt_at = ?, delivered_at = ?,"
                        + " last_status_code = ?, last_error = ?, leased_until = NULL WHERE id = ?", attempt.attempt(),
                status, nextAttemptAt, status == DeliveryStatus.DELIVERED ? attempt.time() : null, attempt.statusCode(),
                attempt.error(), id);
    }

    /** The deliveries with their attempts, oldest attempt first, read in one query. */
    private List<Delivery> withAttempts(List<Row> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<Long, List<DeliveryAttempt>> attempts = new HashMap<>();
        sql.each("SELECT delivery_seq, attempt, time, status_code, error, duration_ms FROM webhook_attempts"
                        + " WHERE delivery_seq IN (" + JdbcTx.placeholders(rows.size()) + ") ORDER BY delivery_seq, attempt",
                rs -> attempts.computeIfAbsent(rs.getLong("delivery_seq"), s -> new ArrayList<>()).add(
                        new DeliveryAttempt(rs.getInt("attempt"), Sql.instant(rs, "time"), Sql.integer(rs, "status_code"),
                                rs.getString("error"), rs.getLong("duration_ms"))),
                rows.stream().map(Row::seq).toArray());
        return rows.stream().map(r -> r.delivery().withAttemptLog(attempts.getOrDefault(r.seq(), List.of()))).toList();
    }

    private static Row row(ResultSet rs) throws SQLException {
        long eventSeq = rs.getLong("event_seq");
        Long event = rs.wasNull() ? null : eventSeq;
        return new Row(rs.getLong("seq"), new Delivery(rs.getString("id"), rs.getLong("webhook_id"), event,
                rs.getString("topic"), DeliveryStatus.valueOf(rs.getString("status")), rs.getInt("attempts"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "next_attempt_at"), Sql.instant(rs, "delivered_at"),
                Sql.integer(rs, "last_status_code"), rs.getString("last_error"), List.of()));
    }

    private static Webhook webhook(ResultSet rs) throws SQLException {
        String topics = rs.getString("topics");
        List<EventKind> kinds = topics.isEmpty() ? List.of()
                : Arrays.stream(topics.split(",")).map(EventKind::valueOf).toList();
        return new Webhook(rs.getLong("id"), rs.getString("url"), rs.getString("name"), kinds, rs.getString("secret"),
                rs.getString("description"), rs.getString("created_by"), Sql.instant(rs, "created_at"),
                rs.getLong("after_seq"));
    }
}
