package dev.cairn.core.governance;

import java.time.Instant;

/**
 * A stored API token. The secret itself is never stored: only its sha256 ({@code hash}). {@code id} is public and names
 * the token in lists and revocation. {@code expiresAt} is null for a token that does not expire.
 */
public record ApiToken(String id, String user, String hash, Instant createdAt, Instant expiresAt, Instant revokedAt) {
    public boolean activeAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }
}
