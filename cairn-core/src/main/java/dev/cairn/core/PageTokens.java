package dev.cairn.core;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque page tokens: the keyset cursor of the last row, with a tag so a token from one list fails on another. */
final class PageTokens {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private PageTokens() {}

    static int limit(Integer limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw RegistryException.invalid("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        return limit;
    }

    static String encode(String kind, String cursor) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((kind + ":" + cursor).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor in {@code token}, or null when there is no token. */
    static String decode(String kind, String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith(kind + ":")) {
                return text.substring(kind.length() + 1);
            }
        } catch (IllegalArgumentException notBase64) {
            // reported below
        }
        throw RegistryException.invalid("page_token '" + token + "' is not a token of this list");
    }

    static Integer decodeInt(String kind, String token) {
        String cursor = decode(kind, token);
        try {
            return cursor == null ? null : Integer.valueOf(cursor);
        } catch (NumberFormatException e) {
            throw RegistryException.invalid("page_token '" + token + "' is not a token of this list");
        }
    }

    static Long decodeLong(String kind, String token) {
        String cursor = decode(kind, token);
        try {
            return cursor == null ? null : Long.valueOf(cursor);
        } catch (NumberFormatException e) {
            throw RegistryException.invalid("page_token '" + token + "' is not a token of this list");
        }
    }
}
