package dev.cairn.storage.jdbc;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import dev.cairn.core.governance.ApiToken;
import dev.cairn.core.governance.Grant;
import dev.cairn.core.governance.Role;
import dev.cairn.core.governance.User;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Users, their API tokens and their per-model grants. Tokens and grants name their user by the user's id. */
final class UserTable {
    private static final String USER_COLUMNS = "id, name, role, created_at, created_by";
    private static final String TOKENS = "SELECT t.id, u.name, t.hash, t.created_at, t.expires_at, t.revoked_at"
            + " FROM api_tokens t JOIN users u ON u.id = t.user_id";

    private final Sql sql;

    UserTable(Sql sql) {
        this.sql = sql;
    }

    // --- users --------------------------------------------------------------------------------------------------

    User insert(String name, Role role, String createdBy, Instant now) {
        sql.insertUnique("user '" + name + "' already exists",
                "INSERT INTO users (name, role, created_at, created_by) VALUES (?, ?, ?, ?)", name, role, now, createdBy);
        return find(name).orElseThrow();
    }

    Optional<User> find(String name) {
        return sql.one("SELECT " + USER_COLUMNS + " FROM users WHERE name = ?", UserTable::user, name);
    }

    List<User> list(String afterName, int limit) {
        return afterName == null
                ? sql.list("SELECT " + USER_COLUMNS + " FROM users ORDER BY name LIMIT ?", UserTable::user, limit)
                : sql.list("SELECT " + USER_COLUMNS + " FROM users WHERE name > ? ORDER BY name LIMIT ?",
                        UserTable::user, afterName, limit);
    }

    void setRole(long userId, Role role) {
        sql.update("UPDATE users SET role = ? WHERE id = ?", role, userId);
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(rs.getLong("id"), rs.getString("name"), Role.valueOf(rs.getString("role")),
                Sql.instant(rs, "created_at"), rs.getString("created_by"));
    }

    // --- tokens -------------------------------------------------------------------------------------------------

    void insertToken(ApiToken token) {
        int inserted = sql.insertUnique("token '" + token.id() + "' or its secret already exists",
                "INSERT INTO api_tokens (id, user_id, hash, created_at, expires_at, revoked_at)"
                        + " SELECT ?, id, ?, ?, ?, ? FROM users WHERE name = ?",
                token.id(), token.hash(), token.createdAt(), token.expiresAt(), token.revokedAt(), token.user());
        if (inserted == 0) {
            // The caller looks the user up first; users are never deleted.
            throw new RegistryException(ErrorCode.INTERNAL, "cannot store a token of user '" + token.user()
                    + "': no such user");
        }
    }

    Optional<ApiToken> findTokenByHash(String hash) {
        return sql.one(TOKENS + " WHERE t.hash = ?", UserTable::token, hash);
    }

    Optional<ApiToken> findToken(String id) {
        return sql.one(TOKENS + " WHERE t.id = ?", UserTable::token, id);
    }

    List<ApiToken> listTokens(String user, String afterId, int limit) {
        StringBuilder query = new StringBuilder(TOKENS + " WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (user != null) {
            query.append(" AND u.name = ?");
            args.add(user);
        }
        if (afterId != null) {
            query.append(" AND t.id > ?");
            args.add(afterId);
        }
        query.append(" ORDER BY t.id LIMIT ?");
        args.add(limit);
        return sql.list(query.toString(), UserTable::token, args.toArray());
    }

    boolean revokeToken(String id, Instant now) {
        return sql.update("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", now, id) > 0;
    }

    private static ApiToken token(ResultSet rs) throws SQLException {
        return new ApiToken(rs.getString(1), rs.getString(2), rs.getString(3), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "expires_at"), Sql.instant(rs, "revoked_at"));
    }

    // --- grants -------------------------------------------------------------------------------------------------

    void setGrant(long modelId, long userId, Role role) {
        sql.update("INSERT INTO model_grants (model_id, user_id, role) VALUES (?, ?, ?)"
                + " ON CONFLICT (model_id, user_id) DO UPDATE SET role = excluded.role", modelId, userId, role);
    }

    boolean deleteGrant(long modelId, long userId) {
        return sql.update("DELETE FROM model_grants WHERE model_id = ? AND user_id = ?", modelId, userId) > 0;
    }

    Optional<Role> grantedRole(long modelId, String user) {
        return sql.one("SELECT g.role FROM model_grants g JOIN users u ON u.id = g.user_id"
                + " WHERE g.model_id = ? AND u.name = ?", rs -> Role.valueOf(rs.getString(1)), modelId, user);
    }

    List<Grant> grants(long modelId) {
        return sql.list("SELECT m.name, u.name, g.role FROM model_grants g JOIN users u ON u.id = g.user_id"
                        + " JOIN models m ON m.id = g.model_id WHERE g.model_id = ? ORDER BY u.name",
                rs -> new Grant(rs.getString(1), rs.getString(2), Role.valueOf(rs.getString(3))), modelId);
    }
}
