package dev.cairn.core.search;

import dev.cairn.core.RegistryException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A read position in a filter or order_by string; shared so that both accept exactly the same identifiers. */
final class Cursor {
    private static final Map<String, Entity> PREFIXES = Map.ofEntries(
            Map.entry("attribute", Entity.ATTRIBUTE), Map.entry("attributes", Entity.ATTRIBUTE),
            Map.entry("attr", Entity.ATTRIBUTE), Map.entry("run", Entity.ATTRIBUTE),
            Map.entry("tag", Entity.TAG), Map.entry("tags", Entity.TAG),
            Map.entry("metric", Entity.METRIC), Map.entry("metrics", Entity.METRIC),
            Map.entry("param", Entity.PARAM), Map.entry("params", Entity.PARAM),
            Map.entry("parameter", Entity.PARAM), Map.entry("parameters", Entity.PARAM),
            Map.entry("dataset", Entity.DATASET), Map.entry("datasets", Entity.DATASET));
    /** Filter keywords: as bare identifiers they are almost surely a typo such as "AND AND", so they are refused. */
    private static final Set<String> KEYWORDS = Set.of("AND", "OR", "NOT", "IN", "LIKE", "ILIKE");

    /** An identifier as parsed, with the text it was written as (for error messages). */
    record Identifier(Entity entity, String key, String source) {}

    private final String text;
    private final Function<String, RegistryException> error;
    private int pos;

    Cursor(String text, Function<String, RegistryException> error) {
        this.text = text;
        this.error = error;
    }

    RegistryException error(String detail) {
        return error.apply(detail);
    }

    int pos() {
        return pos;
    }

    String since(int start) {
        return text.substring(start, pos);
    }

    /** Skips whitespace and tells whether anything is left. */
    boolean atEnd() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
        return pos >= text.length();
    }

    /** The next non-blank character; only after {@link #atEnd()} said false. */
    char peek() {
        return text.charAt(pos);
    }

    /** Consumes and returns the next non-blank character; only after {@link #atEnd()} said false. */
    char take() {
        return text.charAt(pos++);
    }

    /** Consumes a match of the pattern unless it runs straight into a word (so "6ae2" is not the number 6). */
    String token(Pattern pattern) {
        Matcher m = pattern.matcher(text).region(pos, text.length());
        if (!m.lookingAt() || (m.end() < text.length() && isWordChar(text.codePointAt(m.end())))) {
            return null;
        }
        pos = m.end();
        return m.group();
    }

    private static boolean isWordChar(int c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.';
    }

    /** What is left, shortened, for pointing at the problem in a message. */
    String rest() {
        String rest = text.substring(pos).strip();
        return rest.length() <= 30 ? rest : rest.substring(0, 30) + "…";
    }

    /** Letters, digits, '_' and '.' (so "tags.mlflow.runName" is one word); possibly empty. */
    String word() {
        atEnd();
        int start = pos;
        while (pos < text.length()) {
            int c = text.codePointAt(pos);
            if (!isWordChar(c)) {
                break;
            }
            pos += Character.charCount(c);
        }
        return since(start);
    }

    /**
     * A word; else a run of comparison symbols (so "a>-1" reads ">" and leaves "-1"); else a run of other symbols up
     * to the next blank, quote or parenthesis, to report as junk. Empty before a quote or parenthesis.
     */
    String operator() {
        String word = word();
        if (!word.isEmpty()) {
            return word;
        }
        int start = pos;
        boolean comparison = pos < text.length() && "=!<>~".indexOf(text.charAt(pos)) >= 0;
        while (pos < text.length() && (comparison ? "=!<>~".indexOf(text.charAt(pos)) >= 0 : isJunk(text.charAt(pos)))) {
            pos++;
        }
        return since(start);
    }

    private static boolean isJunk(char c) {
        return "=!<>~'\"`()".indexOf(c) < 0 && !Character.isWhitespace(c) && !Character.isLetterOrDigit(c);
    }

    /** Consumes the keyword (any case) if it is the next word. */
    boolean keyword(String keyword) {
        int start = pos;
        if (word().equalsIgnoreCase(keyword)) {
            return true;
        }
        pos = start;
        return false;
    }

    /**
     * Text between the quote character at the cursor and its match. The quote is escaped by doubling it (SQL) or
     * with a backslash (as sqlparse reads MLflow filters); "\\" is one backslash; any other backslash is literal,
     * so Windows paths need no escaping.
     */
    String quoted() {
        int start = pos;
        char quote = text.charAt(pos++);
        StringBuilder out = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            char next = pos + 1 < text.length() ? text.charAt(pos + 1) : 0;
            if (c == '\\' && (next == quote || next == '\\')) {
                out.append(next);
                pos += 2;
            } else if (c == quote && next == quote) {
                out.append(quote);
                pos += 2;
            } else if (c == quote) {
                pos++;
                return out.toString();
            } else {
                out.append(c);
                pos++;
            }
        }
        pos = start;
        throw error("unterminated quote " + quote + " at '" + rest() + "'");
    }

    /** name, prefix.key, prefix.`quoted key`, prefix."quoted key", or a quoted bare attribute ("run name"). */
    Identifier identifier() {
        if (atEnd()) {
            throw error("missing identifier at the end");
        }
        int start = pos;
        Entity entity = Entity.ATTRIBUTE;
        String key;
        char first = peek();
        if (first == '"' || first == '`') {
            key = quoted();
        } else if (!Character.isLetter(text.codePointAt(pos)) && first != '_') {
            throw error("expected an identifier (such as name or tags.key) at '" + rest() + "'");
        } else {
            String word = word();
            int dot = word.indexOf('.');
            if (dot < 0 && KEYWORDS.contains(word.toUpperCase(Locale.ROOT))) {
                throw error("expected an identifier but found the keyword '" + word + "'");
            }
            key = word;
            if (dot >= 0) {
                String prefix = word.substring(0, dot);
                entity = PREFIXES.get(prefix.toLowerCase(Locale.ROOT));
                if (entity == null) {
                    throw error("invalid entity type '" + prefix + "' in '" + word
                            + "'; valid prefixes are attribute, tag, metric, param and dataset");
                }
                key = word.substring(dot + 1);
                if (key.isEmpty() && pos < text.length() && (peek() == '"' || peek() == '`')) {
                    key = quoted();
                }
            }
        }
        if (key.isEmpty()) {
            throw error("missing key in identifier '" + since(start) + "'");
        }
        return new Identifier(entity, key, since(start));
    }
}
