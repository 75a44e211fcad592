package dev.cairn.storage.jdbc;

import dev.cairn.core.tracking.Artifact;
import dev.cairn.core.tracking.ArtifactEntry;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The proxied-artifact index. Paths sort by their bytes (SQLite's BINARY collation, PostgreSQL's "C"), so
 * "everything under dir/" is the key range [dir/, dir0) — '0' follows '/' — and every query here is a seek plus a
 * short range scan.
 */
final class ArtifactTable {
    /** Rows read per step of a directory listing. */
    private static final int BATCH = 1000;

    private final Sql sql;

    ArtifactTable(Sql sql) {
        this.sql = sql;
    }

    void put(Artifact artifact, long now) {
        sql.update("INSERT INTO artifacts (path, size, sha256, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (path)"
                        + " DO UPDATE SET size = excluded.size, sha256 = excluded.sha256, updated_at = excluded.updated_at",
                artifact.path(), artifact.size(), artifact.sha256(), now);
    }

    Optional<Artifact> find(String path) {
        return sql.one("SELECT path, size, sha256 FROM artifacts WHERE path = ?", ArtifactTable::row, path);
    }

    List<Artifact> under(String prefix, String afterPath, int limit) {
        SearchSql q = new SearchSql().append("SELECT path, size, sha256 FROM artifacts WHERE path >= ?", prefix);
        String upper = upperBound(prefix);
        if (upper != null) {
            q.append(" AND path < ?", upper);
        }
        if (afterPath != null) {
            q.append(" AND path > ?", afterPath);
        }
        q.append(" ORDER BY path LIMIT ?", limit);
        return sql.list(q.text(), ArtifactTable::row, q.args());
    }

    /**
     * Walks the range of {@code prefix} in path order; on meeting a file inside a subdirectory it lists the
     * subdirectory once and seeks past it, so a directory of a million files below costs one seek.
     */
    List<ArtifactEntry> children(String prefix) {
        List<ArtifactEntry> out = new ArrayList<>();
        String upper = upperBound(prefix);
        String from = prefix;
        boolean inclusive = true;
        while (true) {
            SearchSql q = new SearchSql().append("SELECT path, size, sha256 FROM artifacts WHERE path "
                    + (inclusive ? ">=" : ">") + " ?", from);
            if (upper != null) {
                q.append(" AND path < ?", upper);
            }
            List<Artifact> rows = sql.list(q.append(" ORDER BY path LIMIT ?", BATCH).text(), ArtifactTable::row, q.args());
            boolean jumped = false;
            for (Artifact row : rows) {
                String rest = row.path().substring(prefix.length());
                int slash = rest.indexOf('/');
                if (slash < 0) {
                    out.add(new ArtifactEntry(rest, false, row.size()));
                    continue;
                }
                String dir = rest.substring(0, slash);
                out.add(new ArtifactEntry(dir, true, 0));
                from = prefix + dir + "0";
                inclusive = true;
                jumped = true;
                break;
            }
            if (!jumped) {
                if (rows.size() < BATCH) {
                    // By name, as a file system lists them: "model" before "model.txt", which byte order puts first.
                    out.sort(Comparator.comparing(ArtifactEntry::name));
                    return out;
                }
                from = rows.get(rows.size() - 1).path();
                inclusive = false;
            }
        }
    }

    int delete(String path) {
        return sql.update("DELETE FROM artifacts WHERE path = ? OR (path >= ? AND path < ?)",
                path, path + "/", path + "0");
    }

    /** The smallest string above every string that starts with {@code prefix}; null for "" (no bound). */
    static String upperBound(String prefix) {
        if (prefix.isEmpty()) {
            return null;
        }
        int last = prefix.codePointBefore(prefix.length());
        return prefix.substring(0, prefix.length() - Character.charCount(last)) + Character.toString(last + 1);
    }

    private static Artifact row(ResultSet rs) throws SQLException {
        return new Artifact(rs.getString("path"), rs.getLong("size"), rs.getString("sha256"));
    }
}
