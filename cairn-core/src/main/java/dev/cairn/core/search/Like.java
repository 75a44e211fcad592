package dev.cairn.core.search;

import java.util.Objects;

/** SQL LIKE semantics for in-memory checks: % any run, _ one char; caseSensitive false for ILIKE. */
public final class Like {
    private Like() {}

    /**
     * Whether value matches pattern. There is no escape character (MLflow has none), so every other character,
     * regex metacharacters included, matches itself. A null value never matches: a missing tag does not match.
     */
    public static boolean matches(String value, String pattern, boolean caseSensitive) {
        Objects.requireNonNull(pattern, "pattern");
        if (value == null) {
            return false;
        }
        int[] s = codePoints(value, caseSensitive);
        int[] p = codePoints(pattern, caseSensitive);
        // Greedy wildcard match with one backtrack point: linear-ish, unlike a regex of many .* on long values.
        int i = 0;
        int j = 0;
        int star = -1;
        int resume = 0;
        while (i < s.length) {
            if (j < p.length && (p[j] == '_' || p[j] == s[i]) && p[j] != '%') {
                i++;
                j++;
            } else if (j < p.length && p[j] == '%') {
                star = j++;
                resume = i;
            } else if (star >= 0) {
                j = star + 1;
                i = ++resume;
            } else {
                return false;
            }
        }
        while (j < p.length && p[j] == '%') {
            j++;
        }
        return j == p.length;
    }

    private static int[] codePoints(String text, boolean caseSensitive) {
        return caseSensitive
                ? text.codePoints().toArray()
                : text.codePoints().map(c -> Character.toLowerCase(Character.toUpperCase(c))).toArray();
    }
}
