package dev.cairn.storage.jdbc;

import dev.cairn.core.governance.AuditChain;
import dev.cairn.core.model.Event;
import dev.cairn.core.model.EventFilter;
import dev.cairn.core.model.EventKind;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The events table: appends linked into the audit chain, filtered reads, and the chain as stored. Sequence order is
 * chain order, so every append reads the last hash and takes its number under the dialect's event-order lock.
 */
final class EventLog {
    private static final String COLUMNS = "seq, time, actor, model, version, kind, payload, prev_hash, hash";
    /** Rows the backfill reads at a time. */
    private static final int PAGE = 1_000;

    private final Sql sql;
    private final Dialect dialect;
    private final JsonText json;

    EventLog(Sql sql, Dialect dialect, JsonText json) {
        this.sql = sql;
        this.dialect = dialect;
        this.json = json;
    }

    long append(Event event) {
        dialect.lockEventOrder(sql);
        String previous = sql.one("SELECT hash FROM events ORDER BY seq DESC LIMIT 1", EventLog::hashOrGenesis)
                .orElse(AuditChain.GENESIS);
        // Hashed exactly as it will read back: with its number, and its time in whole milliseconds.
        Event stored = new Event(dialect.nextEventSeq(sql), Instant.ofEpochMilli(event.time().toEpochMilli()),
                event.actor(), event.model(), event.version(), event.kind(), event.payload());
        insert(stored, previous, AuditChain.hash(previous, stored));
        return stored.seq();
    }

    List<Event> list(EventFilter filter, Long afterSeq, int limit) {
        StringBuilder query = new StringBuilder("SELECT " + COLUMNS + " FROM events WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (filter.model() != null) {
            query.append(" AND model = ?");
            args.add(filter.model());
        }
        if (filter.actor() != null) {
            query.append(" AND actor = ?");
            args.add(filter.actor());
        }
        if (!filter.kinds().isEmpty()) {
            query.append(" AND kind IN (").append(JdbcTx.placeholders(filter.kinds().size())).append(')');
            args.addAll(filter.kinds());
        }
        if (filter.since() != null) {
            query.append(" AND time >= ?");
            args.add(Sql.millisFrom(filter.since()));
        }
        if (filter.until() != null) {
            query.append(" AND time < ?");
            args.add(Sql.millisFrom(filter.until()));
        }
        if (afterSeq != null) {
            query.append(" AND seq > ?");
            args.add(afterSeq);
        }
        query.append(" ORDER BY seq LIMIT ?");
        args.add(limit);
        return sql.list(query.toString(), this::event, args.toArray());
    }

    /** The newest sequence number, 0 for an empty log: the last entry of the primary key index. */
    long lastSeq() {
        return sql.one("SELECT seq FROM events ORDER BY seq DESC LIMIT 1", rs -> rs.getLong(1)).orElse(0L);
    }

    List<AuditChain.Link> chain(Long afterSeq, int limit) {
        return sql.list("SELECT " + COLUMNS + " FROM events WHERE seq > ? ORDER BY seq LIMIT ?", this::link,
                afterSeq == null ? 0L : afterSeq, limit);
    }

    boolean hasUnhashed() {
        return firstUnhashedAfter(0).isPresent();
    }

    /**
     * Links the rows written before the chain existed (those without a hash) into it, in sequence order, each after
     * the row before it; returns how many. Rows that have a hash are left as they are.
     */
    long chainUnhashed() {
        dialect.lockEventOrder(sql);
        Optional<Long> first = firstUnhashedAfter(0);
        if (first.isEmpty()) {
            return 0; // another process linked them meanwhile
        }
        String previous = sql.one("SELECT hash FROM events WHERE seq < ? ORDER BY seq DESC LIMIT 1",
                EventLog::hashOrGenesis, first.get()).orElse(AuditChain.GENESIS);
        long linked = 0;
        long after = first.get() - 1;
        while (firstUnhashedAfter(after).isPresent()) {
            for (AuditChain.Link row : chain(after, PAGE)) {
                if (row.hash() == null) {
                    String hash = AuditChain.hash(previous, row.event());
                    sql.update("UPDATE events SET prev_hash = ?, hash = ? WHERE seq = ?", previous, hash,
                            row.event().seq());
                    previous = hash;
                    linked++;
                } else {
                    previous = row.hash();
                }
                after = row.event().seq();
            }
        }
        return linked;
    }

    /** One probe of the partial index that holds exactly the rows without a hash. */
    private Optional<Long> firstUnhashedAfter(long seq) {
        return sql.one("SELECT seq FROM events WHERE hash IS NULL AND seq > ? ORDER BY seq LIMIT 1",
                rs -> rs.getLong(1), seq);
    }

    private void insert(Event event, String previousHash, String hash) {
        sql.update("INSERT INTO events (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", event.seq(),
                event.time(), event.actor(), event.model(), event.version(), event.kind(), json.write(event.payload()),
                previousHash, hash);
    }

    private Event event(ResultSet rs) throws SQLException {
        return new Event(rs.getLong("seq"), Sql.instant(rs, "time"), rs.getString("actor"), rs.getString("model"),
                Sql.integer(rs, "version"), EventKind.valueOf(rs.getString("kind")), json.readMap(rs.getString("payload")));
    }

    private AuditChain.Link link(ResultSet rs) throws SQLException {
        return new AuditChain.Link(event(rs), rs.getString("prev_hash"), rs.getString("hash"));
    }

    /** A row from before the chain has no hash; the event after it links to the start. */
    private static String hashOrGenesis(ResultSet rs) throws SQLException {
        return Objects.requireNonNullElse(rs.getString(1), AuditChain.GENESIS);
    }
}
