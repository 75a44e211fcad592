package dev.cairn.core.tracking;

import dev.cairn.core.RegistryException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Page tokens of the MLflow searches, in MLflow's own format — standard base64 of {@code {"offset": N}} — so a token
 * from either server means the same; metric history pages keep the last point's position in the same shape.
 */
final class SearchTokens {
    private static final Pattern OFFSET = Pattern.compile("\\{\\s*\"offset\"\\s*:\\s*(\\d{1,18})\\s*}");

    private SearchTokens() {}

    static String encode(long offset) {
        return Base64.getEncoder().encodeToString(("{\"offset\": " + offset + "}").getBytes(StandardCharsets.UTF_8));
    }

    /** The position in the token; 0 without one. */
    static long decode(String token) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        try {
            String text = new String(Base64.getDecoder().decode(token.strip()), StandardCharsets.UTF_8);
            Matcher m = OFFSET.matcher(text.strip());
            if (m.matches()) {
                return Long.parseLong(m.group(1));
            }
        } catch (IllegalArgumentException notBase64) {
            // reported below, as for any other token this server did not issue
        }
        throw RegistryException.invalid("Invalid page token, could not base64-decode or parse it: '" + token + "'");
    }
}
